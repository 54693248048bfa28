// GridLedger's service worker: keeps one build of the app shell (index.html, the app's and the
// database worker's scripts and wasm, the styles, the icons) so that after one visit the app
// opens and works with the network off. The database itself is in OPFS and never passes here.
//
// One build, one cache: the post-build hook (scripts/pwa.py) writes the build's id and its file
// list below. A new build installs beside the old one and waits; the page tells the person a new
// version is ready and, when they agree, asks it to take over; every open tab then reloads, so a
// page of one build never runs with the scripts or the worker of another.
const BUILD = '__GRIDLEDGER_BUILD__';
const FILES = ['__GRIDLEDGER_FILES__'];
const CACHE = 'gridledger-' + BUILD;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: 'reload' })))),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'gridledger-take-over') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('gridledger-') && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Every app URL (/cases, /shared#…) is the same page: this build's index.html.
  const key = req.mode === 'navigate' ? '/index.html' : url.pathname;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key))
      .then((hit) => hit || fetch(req)),
  );
});
