// The office PC with no host: `gridledger serve` (the program built with the app inside it,
// scripts/build-serve.sh) serves the app on 127.0.0.1 and the foundation's smoke flow passes
// there; a second start on the same port finds the first one. A file:// copy of the app shows
// the page that explains why it cannot work there and what does.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { newProfileDir, launch, shot, root, startServer, App, SetupPage, ResidentsPage } from './lib.mjs';

const tool = path.resolve(root, process.env.CARGO_TARGET_DIR ?? 'target', 'release', 'gridledger');
const opened = [];
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
});

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

test('gridledger serve carries the app and serves it on 127.0.0.1', async () => {
  const port = await freePort();
  const child = spawn(tool, ['serve', '--port', String(port), '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  try {
    for (let i = 0; i < 100 && !out.includes(`http://127.0.0.1:${port}/`); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, new RegExp(`GridLedger: http://127.0.0.1:${port}/ \\(\\d+ files\\)`), out);
    const base = `http://127.0.0.1:${port}`;
    // The page, an app route, the wasm with its type, a missing file.
    const index = await fetch(base + '/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /text\/html/);
    const html = await index.text();
    const wasm = html.match(/\/app-[0-9a-f]+_bg\.wasm/)[0];
    const w = await fetch(base + wasm);
    assert.equal(w.headers.get('content-type'), 'application/wasm');
    assert.match(w.headers.get('cache-control'), /immutable/);
    assert.equal((await fetch(base + '/residents')).status, 200);
    assert.equal((await fetch(base + '/nothing-here.js')).status, 404);
    // A second start on the same port: it is a GridLedger, so it says so and exits.
    const again = execFileSync(tool, ['serve', '--port', String(port), '--no-open'], { encoding: 'utf8' });
    assert.match(again, /already running/);

    // The foundation's smoke flow, in a browser, on the served app.
    const { context, page, errors } = await launch(newProfileDir());
    opened.push(context);
    await page.goto(base + '/');
    const setup = new SetupPage(page);
    await setup.waitForIt();
    await setup.loadSample();
    await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 120000 });
    await new App(page, base).nav('居民');
    const residents = new ResidentsPage(page);
    await residents.search('王');
    assert.ok((await residents.total()) > 0);
    await residents.rows().first().waitFor();
    await shot(page, 'serve-01-residents');
    // The page (this search) reloads from the service worker with the database still there.
    await page.reload();
    await page.getByRole('heading', { name: '居民台账', level: 1 }).waitFor({ timeout: 60000 });
    await residents.rows().first().waitFor({ timeout: 60000 });
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    child.kill();
  }
});

test('a file:// copy explains itself instead of a blank page', async () => {
  const { context, page } = await launch(newProfileDir());
  opened.push(context);
  await page.goto('file://' + path.join(root, 'dist', 'index.html'));
  const box = page.locator('#wrong-way');
  await box.waitFor({ state: 'visible' });
  const text = await box.innerText();
  assert.match(text, /无法从本地文件打开/);
  assert.match(text, /gridledger serve/);
  assert.match(text, /HTTPS/);
  assert.match(text, /cannot run from a local file/);
  await shot(page, 'serve-02-file-url');
});

test('a plain-http LAN address explains itself and saves nothing', async () => {
  // The app's files on an ordinary http server, reached by a LAN name (the browser maps the
  // name to this machine, so no packet leaves it): not a secure context, so no OPFS.
  const server = await startServer();
  const port = new URL(server.url).port;
  const { context, page } = await launch(newProfileDir(), {
    viewport: { width: 390, height: 844 }, mobile: true,
    args: ['--host-resolver-rules=MAP office-pc.lan 127.0.0.1'],
  });
  opened.push(context);
  try {
    await page.goto(`http://office-pc.lan:${port}/`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    await page.getByRole('heading', { name: '无法在此处保存数据' }).waitFor({ timeout: 30000 });
    const text = await page.locator('main').innerText();
    assert.match(text, /不是安全上下文/);
    assert.match(text, /HTTPS/);
    assert.match(text, /gridledger serve/);
    assert.equal(await page.getByRole('button', { name: '完成设置' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: '载入示例社区' }).count(), 0);
    await shot(page, 'serve-03-lan-http');
  } finally {
    await server.close();
  }
});
