"""Trunk post-build hook (after csp.py): makes the build installable and offline.

Writes into the built sw.js this build's id and the list of every file the app shell needs (all
of dist/ but sw.js itself), so the service worker caches exactly this build; and puts the id in
index.html (<meta name="gridledger-build">) so a page knows which build it is. The id is the
SHA-256 of the files' names and contents: any change to any file is a new build.
"""
import hashlib
import json
import os
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")

files = []
for root, _dirs, names in os.walk(staging):
    for name in names:
        rel = os.path.relpath(os.path.join(root, name), staging).replace(os.sep, "/")
        if rel != "sw.js":
            files.append(rel)
files.sort()

digest = hashlib.sha256()
for rel in files:
    digest.update(rel.encode("utf-8") + b"\0")
    with open(os.path.join(staging, rel), "rb") as f:
        digest.update(f.read())
build = digest.hexdigest()[:16]

sw_path = os.path.join(staging, "sw.js")
with open(sw_path, encoding="utf-8") as f:
    sw = f.read()
if "__GRIDLEDGER_BUILD__" not in sw:
    sys.exit("pwa: sw.js has no build placeholder (already processed?)")
sw = sw.replace("'__GRIDLEDGER_BUILD__'", json.dumps(build))
sw = sw.replace("['__GRIDLEDGER_FILES__']", json.dumps(["/" + f for f in files]))
with open(sw_path, "w", encoding="utf-8") as f:
    f.write(sw)

index = os.path.join(staging, "index.html")
with open(index, encoding="utf-8") as f:
    html = f.read()
meta = '<meta name="gridledger-build" content="%s" />' % build
html = html.replace("</head>", "  " + meta + "\n</head>", 1)
with open(index, "w", encoding="utf-8") as f:
    f.write(html)
print("pwa: build %s, %d file(s) for offline use" % (build, len(files)))
