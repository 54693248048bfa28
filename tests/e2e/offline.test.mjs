// End-to-end: the installed app. After one visit GridLedger opens and works with its server
// gone (the service worker keeps the build; the data is in OPFS); it is installable (a manifest
// with its icons); and a new build is taken only when the person agrees: until then the page
// keeps running the build it started with.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, newProfileDir, launch, shot, App, SetupPage } from './lib.mjs';
import { createServer } from '../../scripts/serve.mjs';

let dir;
const opened = [];
before(() => {
  // A copy of the build: the test changes it to play a new release.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-dist-'));
  fs.cpSync(path.join(root, 'dist'), dir, { recursive: true });
});
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

async function serve(port = 0) {
  const server = createServer(dir);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

const build = (page) => page.locator('meta[name=gridledger-build]').getAttribute('content');

test('after one visit the app opens offline; a new build waits for the person', async () => {
  let server = await serve();
  const base = `http://127.0.0.1:${server.port}`;
  const { context, page, errors } = await launch(newProfileDir());
  opened.push(context);
  const app = new App(page, base);
  await app.open('/');
  const setup = new SetupPage(page);
  await setup.waitForIt();

  // Installable: the manifest names the app and its icons, and they are there.
  const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
  assert.equal(manifest.short_name, '网格台账');
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) {
    const ok = await page.evaluate(async (src) => (await fetch(src)).ok, icon.src);
    assert.ok(ok, `icon ${icon.src} is served`);
  }
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.type === 'image/png'));

  // The service worker has this build and controls the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  const first = await build(page);
  assert.match(first, /^[0-9a-f]{16}$/);

  await setup.fillCommunity({ name: '和平社区', code: '410103008001', street: '建中街街道', device: '和平社区电脑', actor: '赵敏', role: '社区干部' });
  await setup.submit();
  await page.getByRole('heading', { name: '和平社区', level: 1 }).waitFor();

  // The server goes away: the app still opens, on any of its addresses, with its data.
  await server.close();
  await page.reload();
  await page.getByRole('heading', { name: '和平社区', level: 1 }).waitFor({ timeout: 30000 });
  await app.open('/residents/new');
  await page.getByLabel('姓名').fill('钱学文');
  await page.getByLabel('身份证号').fill('11010519491231002X');
  await page.getByLabel('所属网格').selectOption({ index: 1 });
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存').waitFor();
  await shot(page, 'offline-saved');

  // A new release appears on the server (same address). The page finds it and asks; it keeps
  // running the old build until the person says reload.
  const next = 'feedfacecafebeef';
  const sw = fs.readFileSync(path.join(dir, 'sw.js'), 'utf8');
  fs.writeFileSync(path.join(dir, 'sw.js'), sw.replace(JSON.stringify(first), JSON.stringify(next)));
  const index = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  fs.writeFileSync(path.join(dir, 'index.html'), index.replace(first, next));
  server = await serve(Number(new URL(base).port));
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  const banner = page.locator('.update-banner');
  await banner.waitFor({ timeout: 30000 });
  assert.match(await banner.innerText(), /新版本/);
  await shot(page, 'offline-update-ready');
  assert.equal(await build(page), first, 'nothing reloaded before the person agreed');
  await page.waitForTimeout(1000);
  assert.equal(await build(page), first);

  await banner.getByRole('button', { name: '重新加载' }).click();
  await page.waitForFunction((b) => document.querySelector('meta[name=gridledger-build]')?.content === b, next, { timeout: 30000 });
  await app.open('/residents?q=钱学文');
  await page.locator('table.list tbody tr', { hasText: '钱学文' }).waitFor({ timeout: 30000 });
  await server.close();
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|net::/.test(e)), []);
});
