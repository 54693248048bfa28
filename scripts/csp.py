"""Trunk post-build hook: puts a strict Content-Security-Policy into the built index.html.

Scripts run only from this origin, plus Trunk's inline loader by the SHA-256 of its exact text
(computed here, after the build, so the hash always matches); WebAssembly may compile
('wasm-unsafe-eval'); nothing is fetched from or sent to another origin. Styles allow inline
attributes (the grid tree indents by a CSS variable); photos and QR codes are data:/blob: URLs.
"""
import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
path = os.path.join(staging, "index.html")
with open(path, encoding="utf-8") as f:
    html = f.read()

hashes = []
for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
    hashes.append("'sha256-%s'" % base64.b64encode(digest).decode("ascii"))

policy = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
).strip()
meta = '<meta http-equiv="Content-Security-Policy" content="%s" />' % policy
html = re.sub(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
# Before anything that loads: the policy applies from where it appears.
html = html.replace("<head>", "<head>\n  " + meta, 1)
with open(path, "w", encoding="utf-8") as f:
    f.write(html)
print("csp: %d inline script(s) allowed by hash" % len(hashes))
