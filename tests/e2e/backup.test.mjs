// End-to-end storage and backup: the home page says when the last full backup was and reminds
// when one is due; one click downloads a full backup (every record, nothing masked); the
// settings page shows persistent storage, space used and left, and the reminder cadence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, newProfileDir, launch, shot, App, SetupPage } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

test('a full backup in one click, with the last one and a reminder on the home page', async () => {
  const { context, page } = await launch(newProfileDir(), { viewport: { width: 1280, height: 900 } });
  opened.push(context);
  const app = new App(page, server.url);
  await app.open('/');
  const s = new SetupPage(page);
  await s.waitForIt();
  await s.fillCommunity({ name: '和平社区', code: '410103008001', street: '建中街街道', device: '和平社区电脑', actor: '赵敏', role: '社区干部' });
  await s.submit();
  await page.getByRole('heading', { name: '和平社区', level: 1 }).waitFor();
  await app.open('/residents/new');
  await page.getByLabel('姓名').fill('钱学文');
  await page.getByLabel('身份证号').fill('11010519491231002X');
  await page.getByLabel('联系电话').fill('13812345678');
  await page.getByLabel('所属网格').selectOption({ index: 1 });
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存').waitFor();

  // Never backed up: the home page reminds (a week is the default cadence).
  await app.nav('首页');
  const bar = page.locator('#backup-bar');
  await bar.waitFor();
  assert.match(await bar.innerText(), /上次完整备份: 从未备份/);
  assert.match(await bar.getAttribute('class'), /due/);
  await shot(page, 'backup-01-home-reminder');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60000 }),
    page.locator('#backup-bar-now').click(),
  ]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-backup-')), download.suggestedFilename());
  await download.saveAs(file);
  const b = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(b.format, 'gridledger-bundle');
  assert.deepEqual(b.masked ?? {}, {}, 'nothing masked in a backup');
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /钱学文/);
  assert.match(text, /13812345678/);
  assert.match(text, /11010519491231002X/);
  // The bar now shows the backup and no longer reminds.
  await page.waitForFunction(() => !document.querySelector('#backup-bar')?.classList.contains('due'));
  assert.match(await bar.innerText(), /上次完整备份: \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

  // Settings: persistent storage, space, the last backup and the cadence.
  await app.nav('设置');
  const card = page.locator('#storage-card');
  await card.waitFor();
  await page.waitForFunction(() => /MB|GB/.test(document.querySelector('#storage-usage')?.textContent ?? ''));
  assert.match(await page.locator('#storage-usage').innerText(), /[\d.]+ (MB|GB) \/ [\d.]+ (MB|GB) \(剩余 [\d.]+ (MB|GB)\)/);
  assert.match(await page.locator('#storage-persisted').innerText(), /已获准|未获准|无法查询/);
  assert.match(await page.locator('#storage-last-backup').innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await page.getByLabel('备份提醒').selectOption('0');
  await shot(page, 'backup-02-settings');
  // The export log records it as a backup.
  await app.nav('数据交换');
  await page.locator('section[aria-labelledby="elog-h"] tbody tr', { hasText: download.suggestedFilename() }).first().waitFor();

  // A new computer (a fresh browser profile): the setup screen restores the backup. A wrong
  // file first: refused under the file field, and the device stays not set up.
  const other = await launch(newProfileDir(), { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(other.context);
  const p2 = other.page;
  await new App(p2, server.url).open('/');
  await new SetupPage(p2).waitForIt();
  const junk = path.join(path.dirname(file), 'not-a-backup.json');
  fs.writeFileSync(junk, '{"format": "something else"}');
  await p2.locator('#restore-file').setInputFiles(junk);
  await p2.locator('#restore-device').fill('新电脑');
  await p2.locator('#restore-actor').fill('赵敏');
  await p2.locator('#restore-submit').click();
  await p2.locator('#restore-file-error').waitFor();
  await shot(p2, 'backup-03-restore-refused');
  await p2.locator('#restore-file').setInputFiles(file);
  await p2.locator('#restore-submit').click();
  await p2.getByRole('heading', { name: '和平社区', level: 1 }).waitFor({ timeout: 60000 });
  await p2.goto(server.url + '/residents?q=钱学文');
  const row = p2.locator('table.list tbody tr', { hasText: '钱学文' });
  await row.waitFor();
  assert.match(await row.innerText(), /钱学文/);
  assert.match(await p2.locator('.actor').textContent(), /赵敏/, 'the person named is the staff member of that name');
  assert.deepEqual(other.errors, []);
});

