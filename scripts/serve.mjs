// Serves the built app (dist/) on 127.0.0.1 only, with the right MIME types (wasm streaming
// needs application/wasm) and a fallback to index.html for the app's real URLs (/residents/...).
// Usage: node scripts/serve.mjs [--dir dist] [--port 8080]   (port 0 picks a free one)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const root = path.resolve(opt('--dir', 'dist'));
const port = Number(opt('--port', process.env.PORT ?? 8080));

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

export function createServer(dir = root) {
  return http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || st.isDirectory()) {
        // An app URL (no file extension): serve the app; a missing asset: 404.
        if (path.extname(rel) === '' || rel.endsWith('/')) file = path.join(dir, 'index.html');
        else {
          res.writeHead(404).end('not found');
          return;
        }
      }
      const type = types[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
      fs.createReadStream(file).pipe(res);
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`${root}/index.html not found: build first (trunk build --release)`);
    process.exit(1);
  }
  const server = createServer(root);
  server.listen(port, '127.0.0.1', () => {
    console.log(`GridLedger: http://127.0.0.1:${server.address().port}/`);
  });
}
