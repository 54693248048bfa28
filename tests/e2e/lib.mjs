// Shared pieces of the browser tests: the static server for dist/, Debian's Chromium through
// playwright-core (never a downloaded browser), and page models (one class per screen, with
// methods named after what a user does).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../../scripts/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const shotsDir = path.join(here, 'screenshots');
fs.mkdirSync(shotsDir, { recursive: true });

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function startServer() {
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ is missing: run trunk build --release first');
  const server = createServer(dist);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((r) => server.close(r)) };
}

export function newProfileDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-profile-'));
}

/** Launches Chromium on a profile directory (reuse the directory to "restart the browser"). */
export async function launch(profileDir, { viewport = { width: 1280, height: 900 }, mobile = false, args = [] } = {}) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    viewport,
    isMobile: mobile,
    hasTouch: mobile,
    locale: 'zh-CN',
    // Where the offices are: the browser, not the app, knows the zone.
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
}

/** The page must not scroll sideways (phone layouts). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

export class App {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async open(pathname = '/') {
    await this.page.goto(this.base + pathname);
  }
  /** Follows a main navigation link; on a phone the links sit behind the menu button. */
  async nav(name) {
    const toggle = this.page.getByRole('button', { name: /^(菜单|Menu)$/ });
    if (await toggle.isVisible()) await toggle.click();
    await this.page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  }
}

export class SetupPage {
  constructor(page) {
    this.page = page;
  }
  async waitForIt() {
    await this.page.getByRole('heading', { name: /设置本机|set up this device/ }).waitFor();
  }
  async fillCommunity({ name, code, street, device, actor, role }) {
    // The set-up form (the restore card below has fields of the same names).
    const p = this.page.locator('section.card').first();
    await p.getByLabel('社区名称').fill(name);
    await p.getByLabel(/统计用区划代码/).fill(code);
    await p.getByLabel('所属街道').fill(street);
    await p.getByLabel('本机名称').fill(device);
    await p.getByLabel('使用人姓名').fill(actor);
    if (role) await p.getByLabel('使用人角色').selectOption({ label: role });
  }
  async submit() {
    await this.page.getByRole('button', { name: '完成设置' }).click();
  }
  fieldError(label) {
    const form = this.page.locator('section.card').first();
    return form.locator('.field', { has: this.page.getByLabel(label) }).locator('.error');
  }
  async loadSample() {
    await this.page.getByRole('button', { name: '载入示例社区' }).click();
  }
}

export class GridsPage {
  constructor(page) {
    this.page = page;
  }
  node(name) {
    return this.page.locator('li.node', { has: this.page.locator('.node-name', { hasText: new RegExp(`^${name}$`) }) });
  }
  async addChild(parent, name) {
    await this.page.getByRole('button', { name: `添加下级 ${parent}` }).click();
    const editor = this.page.locator('form.node-editor');
    await editor.getByLabel('新网格名称').fill(name);
    await editor.getByRole('button', { name: '保存', exact: true }).click();
    await this.node(name).waitFor();
  }
}

export class ResidentForm {
  constructor(page) {
    this.page = page;
  }
  async fill({ name, id, gender, birth, phone, grid }) {
    const p = this.page;
    if (name !== undefined) await p.getByLabel('姓名').fill(name);
    if (id !== undefined) await p.getByLabel('身份证号').fill(id);
    if (gender) await p.getByLabel('性别').selectOption({ label: gender });
    if (birth !== undefined) await p.getByLabel('出生日期').fill(birth);
    if (phone !== undefined) await p.getByLabel('联系电话').fill(phone);
    if (grid) await p.getByLabel('所属网格').selectOption({ label: grid });
  }
  async save() {
    await this.page.getByRole('button', { name: '保存', exact: true }).click();
  }
  fieldError(label) {
    return this.page.locator('.field', { has: this.page.getByLabel(label, { exact: true }) }).locator('.error');
  }
}

export class ResidentsPage {
  constructor(page) {
    this.page = page;
  }
  async search(text) {
    await this.page.getByRole('searchbox').fill(text);
    await this.page.waitForURL((u) => (new URL(u).searchParams.get('q') ?? '') === text);
    // The count on screen answers this search (not the one before it).
    await this.page.waitForFunction(
      (t) => {
        const c = document.querySelector('.count');
        return c && c.dataset.q === t && c.getAttribute('aria-busy') === 'false';
      },
      text,
    );
  }
  rows() {
    return this.page.locator('table.list tbody tr');
  }
  async total() {
    const t = await this.page.locator('.count').innerText();
    return Number(t.match(/\d+/)[0]);
  }
}

/** Data exchange: export (a real download) and import with its preview. */
export class ExchangePage {
  constructor(page, app) {
    this.page = page;
    this.app = app;
  }
  async open() {
    await this.app.nav('数据交换');
    await this.page.getByRole('heading', { name: '数据交换', level: 1 }).waitFor();
  }
  /** Exports with the given options and returns the downloaded file's path. */
  async export({ incremental = false, mask = null, passphrase = null, photos = false, file }) {
    const p = this.page;
    // The bundle export card (the field bundle card below it has fields of the same names).
    const sec = p.locator('section[aria-labelledby="export-h"]');
    const inc = sec.getByLabel(/只导出上次/);
    if ((await inc.isChecked()) !== incremental) await inc.click();
    if (mask === false) {
      for (const box of await sec.locator('fieldset .checks input[type=checkbox]').all()) {
        if (await box.isChecked()) await box.click();
      }
    }
    if (photos) await sec.getByLabel(/包含事件照片/).check();
    if (passphrase) {
      await sec.getByLabel('用密码加密文件').check();
      await sec.getByLabel('密码', { exact: true }).fill(passphrase);
      await sec.getByLabel('再次输入密码').fill(passphrase);
    }
    const [download] = await Promise.all([
      p.waitForEvent('download', { timeout: 60000 }),
      p.locator('section[aria-labelledby="export-h"]').getByRole('button', { name: '导出并下载' }).click(),
    ]);
    assert.match(download.suggestedFilename(), passphrase ? /\.gridledger$/ : /\.gridledger\.json$/);
    await download.saveAs(file);
    await p.getByText(/^已导出/).waitFor();
    return file;
  }
  async choose(file) {
    await this.page.locator('#bundle_file').setInputFiles(file);
  }
  async preview() {
    await this.page.getByRole('heading', { name: /导入预览/ }).waitFor({ timeout: 60000 });
    return this.counts();
  }
  /** The preview table: { total: {new, updated, ...}, residents: {...} } (summed over communities). */
  async counts() {
    const rows = await this.page.locator('table.counts tbody tr:not(.group)').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
    const out = {};
    for (const [label, ...nums] of rows) {
      const [n, u, same, d, c] = nums.map(Number);
      const prev = out[label] ?? { new: 0, updated: 0, unchanged: 0, deleted: 0, conflicts: 0 };
      out[label] = { new: prev.new + n, updated: prev.updated + u, unchanged: prev.unchanged + same, deleted: prev.deleted + d, conflicts: prev.conflicts + c };
    }
    return out;
  }
  async apply() {
    await this.page.getByRole('button', { name: '确认导入' }).click();
    await this.page.getByText(/^已导入/).waitFor({ timeout: 60000 });
  }
  async cancel() {
    await this.page.getByRole('button', { name: '取消', exact: true }).click();
  }
}


/** Sets up a street office (建中街街道) on the setup screen. */
export async function setupStreet(page, s) {
  const form = page.locator('section.card').first();
  await form.getByLabel('街道', { exact: true }).check();
  await form.getByLabel('街道名称').fill('建中街街道');
  await form.getByLabel(/街道区划代码/).fill('410103008');
  await form.getByLabel('本机名称').fill('街道办电脑');
  await form.getByLabel('使用人姓名').fill('王主任');
  await s.submit();
  await page.getByRole('heading', { name: '建中街街道', level: 1 }).waitFor();
}

/**
 * Opens a blank page of the app's origin with `window.spawnDb()`: a tiny client that starts a
 * database worker and sends it protocol requests (JSON envelopes), as the app does.
 */
export async function openDbClient(page, base) {
  const blank = base + '/scripts-free-page';
  await page.route(blank, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>t</title>' }));
  await page.goto(blank);
  // Where the app's service worker already controls the origin it answers every navigation
  // with the app (routes never see it): unregister it, and the next navigation is ours.
  if (await page.evaluate(() => !!navigator.serviceWorker?.controller)) {
    await page.evaluate(async () => {
      for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
    });
    await page.goto(blank);
  }
  await page.addScriptTag({ content: `
window.spawnDb = () => new Promise((resolve, reject) => {
  const w = new Worker('/worker_loader.js');
  const pending = new Map();
  let seq = 0;
  let onProgress = null;
  let askedToRecycle = false;
  const send = (body, file) => new Promise((res) => {
    seq += 1;
    pending.set(seq, res);
    const env = JSON.stringify({ seq, body });
    w.postMessage(file ? { env, file } : env);
  });
  w.onerror = (e) => reject(new Error(e.message));
  w.onmessage = (e) => {
    if (e.data === 'gridledger-worker-ready') {
      resolve({
        call: (body) => send(body).then((r) => r.body),
        // A request with a file attached, or one whose reply carries a file: { body, file }.
        callFile: (body, file) => send(body, file),
        // Hears the worker's progress messages ({ seq, stage, done, total }).
        onProgress: (cb) => { onProgress = cb; },
        terminate: () => w.terminate(),
        // Whether the worker asked to be replaced (grown large, nothing held: protocol::RECYCLE).
        askedToRecycle: () => askedToRecycle,
      });
      return;
    }
    if (typeof e.data === 'string' && e.data.startsWith('gridledger-db-open')) return; // the database opened: a mark, not a reply
    if (e.data === 'gridledger-recycle') { askedToRecycle = true; return; }
    let env;
    let file = null;
    if (typeof e.data === 'string') env = JSON.parse(e.data);
    else if (e.data && typeof e.data.progress === 'string') { onProgress?.(JSON.parse(e.data.progress)); return; }
    else if (e.data && typeof e.data.env === 'string') { env = JSON.parse(e.data.env); file = e.data.file ?? null; }
    else return;
    pending.get(env.seq)?.({ body: env.body, file });
    pending.delete(env.seq);
  };
});
` });
}

/** A camera-sized JPEG (3000×2000 unless told) with `text` on it, drawn by the browser itself. */
export async function cameraPhoto(page, { text = '随手拍', color = '#3a7', width = 3000, height = 2000, name = 'IMG_20261125_0930.jpg' } = {}) {
  const b64 = await page.evaluate(({ text, color, width, height }) => {
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, width, height);
    grad.addColorStop(0, color); grad.addColorStop(1, '#c33');
    g.fillStyle = grad;
    g.fillRect(0, 0, width, height);
    g.fillStyle = '#fff';
    g.font = `${Math.round(height / 7)}px sans-serif`;
    g.fillText(text, width / 5, height * 0.55);
    return c.toDataURL('image/jpeg', 0.95).split(',')[1];
  }, { text, color, width, height });
  return { name, mimeType: 'image/jpeg', buffer: Buffer.from(b64, 'base64') };
}
