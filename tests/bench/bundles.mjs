// Benchmark (prints figures; not a test): bundle export and import in headless Chromium, for
// the sample community, and a residents ledger (.xlsx) import. The street scale is
// tests/bench/street.mjs.
//   node tests/bench/bundles.mjs [ledger.xlsx]   (after `trunk build --release`)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, newProfileDir, launch, App, SetupPage } from '../e2e/lib.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-bench-'));
const server = await startServer();

function line(label, ms, extra = '') {
  console.log(`${label.padEnd(44)} ${String(Math.round(ms)).padStart(8)} ms  ${extra}`);
}

async function exchange(page, app) {
  await app.nav('数据交换');
  await page.getByRole('heading', { name: '数据交换', level: 1 }).waitFor();
}

async function importFile(page, file, label) {
  let t0 = Date.now();
  await page.locator('#bundle_file').setInputFiles(file);
  await page.getByRole('heading', { name: /导入预览/ }).waitFor({ timeout: 600000 });
  line(`${label}: read, check, preview`, Date.now() - t0, `${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  t0 = Date.now();
  await page.getByRole('button', { name: '确认导入' }).click();
  await page.getByText(/^已导入/).waitFor({ timeout: 600000 });
  line(`${label}: apply`, Date.now() - t0);
}

// Community: load the sample, export it (unmasked), import it into a street office.
{
  const { context, page } = await launch(newProfileDir());
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  let t0 = Date.now();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 120000 });
  line('sample community: generate and store', Date.now() - t0);
  await exchange(page, app);
  for (const box of await page.locator('fieldset .checks input[type=checkbox]').all()) {
    if (await box.isChecked()) await box.click();
  }
  t0 = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 600000 }),
    page.getByRole('button', { name: '导出并下载' }).click(),
  ]);
  const file = path.join(dir, 'community.gridledger.json');
  await download.saveAs(file);
  line('sample community: export and download', Date.now() - t0, `${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  await context.close();

  const s = await launch(newProfileDir());
  const sapp = new App(s.page, server.url);
  await streetSetUp(s.page, sapp);
  await exchange(s.page, sapp);
  await importFile(s.page, file, 'sample community into a street');
  await s.context.close();
}

async function streetSetUp(page, app) {
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await page.getByLabel('街道', { exact: true }).check();
  await page.getByLabel('街道名称').fill('建中街街道');
  await page.getByLabel(/街道区划代码/).fill('410103008');
  await page.locator('section.card').first().getByLabel('本机名称').fill('街道办电脑');
  await page.locator('section.card').first().getByLabel('使用人姓名').fill('王主任');
  await new SetupPage(page).submit();
  await page.getByRole('heading', { name: '建中街街道', level: 1 }).waitFor();
}

// A 10,000-row residents ledger (.xlsx, made by `ledger_bench --write`) into the sample
// community through the import page: read and check every row, then write.
const ledgerFile = process.argv[2];
if (ledgerFile) {
  const { context, page } = await launch(newProfileDir());
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 120000 });
  await app.open('/residents/import');
  await page.locator('#ledger_file').waitFor({ state: 'attached' });
  let t0 = Date.now();
  await page.locator('#ledger_file').setInputFiles(ledgerFile);
  await page.locator('#ledger-new').waitFor({ timeout: 600000 });
  const n = async (id) => page.locator(`#ledger-${id}`).innerText();
  line('ledger 10,000 rows: read, map, check', Date.now() - t0, `${await n('new')} new, ${await n('update')} update, ${await n('rejected')} rejected`);
  t0 = Date.now();
  await page.locator('#ledger-apply').click();
  await page.locator('#ledger-done').waitFor({ timeout: 600000 });
  line('ledger 10,000 rows: write', Date.now() - t0);
  await context.close();
}

await server.close();
fs.rmSync(dir, { recursive: true, force: true });
