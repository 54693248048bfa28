// End-to-end residents' ledgers in Excel: an office ledger saved by LibreOffice (a title row,
// a column no rule knows, five bad rows, a footer) is imported through the mapping step (the
// unknown column mapped to 标签 by hand), the rejected rows are listed with their reasons and
// downloaded as an .xlsx (which reads back into the same step), the valid rows are imported;
// a filtered list is exported (masked, then unmasked) and the unmasked file imports back as
// updates, never duplicates. The mapping and the rejects fit a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, newProfileDir, launch, shot, horizontalOverflow, App, SetupPage, ResidentsPage, root } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

const fixture = (name) => path.join(root, 'tests/fixtures/ledger', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-ledger-'));

/** The import page's counts: { new, update, rejected }. */
async function counts(page) {
  const n = async (id) => Number(await page.locator(`#ledger-${id}`).innerText());
  return { new: await n('new'), update: await n('update'), rejected: await n('rejected') };
}

async function pick(page, file) {
  await page.locator('#ledger_file').setInputFiles(file);
  await page.locator('table.mapping').waitFor();
  await page.locator('#ledger-new').waitFor();
}

async function saveDownload(page, click, name) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), click()]);
  const file = path.join(tmp, name ?? download.suggestedFilename());
  await download.saveAs(file);
  return { file, suggested: download.suggestedFilename() };
}

test('an office ledger in, its rejects back out, a list out and in again', async () => {
  const profile = newProfileDir();
  const b = await launch(profile);
  opened.push(b.context);
  const page = b.page;
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });

  await app.nav('居民');
  await page.getByRole('link', { name: '导入 Excel' }).click();
  await page.getByRole('heading', { name: '导入居民台账', level: 1 }).waitFor();
  await pick(page, fixture('永安社区居民台账.xlsx'));
  assert.equal(await page.locator('#ledger-header').inputValue(), '3', 'the title rows are skipped');
  // The guessed columns; 重点关注类型 is not guessed.
  assert.equal(await page.locator('#map-1').inputValue(), 'name');
  assert.equal(await page.locator('#map-3').inputValue(), 'id_number');
  assert.equal(await page.locator('#map-7').inputValue(), 'address');
  assert.equal(await page.locator('#map-8').inputValue(), '');
  assert.deepEqual(await counts(page), { new: 10, update: 0, rejected: 5 });
  const tagsBefore = await page.locator('table.list').last().locator('.tag').count();
  assert.equal(tagsBefore, 0, 'no tags while the column is ignored');

  // The person maps the column to 标签; the check runs again.
  await page.locator('#map-8').selectOption('tags');
  await page.locator('table.list').last().locator('.tag', { hasText: '独居老人' }).first().waitFor();
  assert.deepEqual(await counts(page), { new: 10, update: 0, rejected: 5 });
  const reasons = await page.locator('table.rejects tbody tr').allInnerTexts();
  assert.equal(reasons.length, 5);
  assert.match(reasons[0], /^14\s+钱多多[\s\S]*身份证号：校验位不正确/);
  assert.match(reasons[1], /被存成了数字/);
  assert.match(reasons[2], /与文件第 4 行的身份证号重复/);
  assert.match(reasons[3], /找不到网格“第九网格”/);
  assert.match(reasons[4], /姓名：必填/);
  await shot(page, 'ledger-01-mapping-and-rejects');

  // The rejects as an .xlsx: it reads back into the same step (five rows, all refused again).
  const rejects = await saveDownload(page, () => page.getByRole('button', { name: '下载未通过的行（Excel）' }).first().click());
  assert.equal(rejects.suggested, '永安社区居民台账-未导入.xlsx');
  assert.equal(fs.readFileSync(rejects.file).subarray(0, 2).toString(), 'PK');

  // Import the valid rows.
  await page.locator('#ledger-apply').click();
  await page.locator('#ledger-done').waitFor({ timeout: 60000 });
  assert.match(await page.locator('#ledger-done').innerText(), /新增 10 · 更新 0 · 新建住户 \d+ · 未通过 5/);

  // The rejects file, opened: its own columns plus 行号 and 原因. Four rows are still wrong;
  // the repeated 王秀英 is now an update of the one just imported.
  await page.getByRole('button', { name: '再导入一个文件' }).click();
  await pick(page, rejects.file);
  assert.equal(await page.locator('#ledger-header').inputValue(), '1');
  assert.equal(await page.locator('table.mapping tbody tr').count(), 12, 'ten columns, 行号, 原因');
  assert.deepEqual(await counts(page), { new: 0, update: 1, rejected: 4 });

  // The imported residents are in the list, with their tags and address.
  await page.getByRole('link', { name: '返回居民列表' }).click();
  const list = new ResidentsPage(page);
  await list.search('赵磊');
  await page.locator('table.list tbody tr', { hasText: '5栋1单元101' }).waitFor();
  assert.match(await page.locator('table.list tbody tr', { hasText: '5栋1单元101' }).innerText(), /^赵磊\s+男/);
  await list.search('刘德明');
  const liu = page.locator('table.list tbody tr', { hasText: '3号楼2单元502' });
  await liu.waitFor();
  assert.match(await liu.innerText(), /^刘德明[\s\S]*(空巢老人[\s\S]*残疾人|残疾人[\s\S]*空巢老人)/);

  // Export the filtered list: masked by default, then unmasked; the unmasked file comes back
  // as updates.
  await list.search('刘');
  await page.waitForFunction(() => /\d/.test(document.querySelector('.count')?.textContent ?? ''));
  const shown = await list.total();
  await page.locator('.export-box summary').click();
  const masked = await saveDownload(page, () => page.locator('#export-xlsx').click(), 'masked.xlsx');
  assert.match(masked.suggested, /^永安社区居民-脱敏-\d{4}-\d{2}-\d{2}\.xlsx$/);
  await page.locator('input[name=mask-id_number]').uncheck();
  await page.locator('input[name=mask-phone]').uncheck();
  const plain = await saveDownload(page, () => page.locator('#export-xlsx').click(), 'plain.xlsx');
  assert.match(plain.suggested, /^永安社区居民-\d{4}-\d{2}-\d{2}\.xlsx$/);

  await page.getByRole('link', { name: '导入 Excel' }).click();
  await pick(page, masked.file);
  const m = await counts(page);
  assert.equal(m.new, 0, 'masked ID numbers never make new residents');
  assert.ok(m.rejected > 0);
  assert.match(await page.locator('table.rejects').innerText(), /脱敏/);
  await page.getByRole('button', { name: '取消' }).click();
  await pick(page, plain.file);
  assert.deepEqual(await counts(page), { new: 0, update: shown, rejected: 0 });
  await page.locator('#ledger-apply').click();
  await page.locator('#ledger-done').waitFor({ timeout: 60000 });
  await page.getByRole('link', { name: '查看居民列表' }).click();
  await list.search('刘');
  await page.waitForFunction(() => /\d/.test(document.querySelector('.count')?.textContent ?? ''));
  assert.equal(await list.total(), shown, 'updated, not duplicated');
  assert.deepEqual(b.errors, []);
});

test('the mapping step and the rejects fit a phone', async () => {
  const profile = newProfileDir();
  const b = await launch(profile, { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(b.context);
  const page = b.page;
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });
  await app.open('/residents/import');
  await pick(page, fixture('永安社区花名册-GBK.csv'));
  assert.deepEqual(await counts(page), { new: 5, update: 0, rejected: 0 });
  assert.equal(await page.locator('#map-3').inputValue(), 'building', 'the two-row header');
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'ledger-02-phone');
  // A file that is no spreadsheet is refused with a reason, and nothing else changes.
  const junk = path.join(tmp, 'photo.xlsx');
  fs.writeFileSync(junk, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
  await page.locator('#ledger_file').setInputFiles(junk);
  await page.getByRole('alert').filter({ hasText: '无法读取此文件' }).waitFor();
  assert.deepEqual(b.errors, []);
});
