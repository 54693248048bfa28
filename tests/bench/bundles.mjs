// Benchmark (prints figures; not a test): bundle export and import in headless Chromium, for
// the sample community and for a street-scale bundle made by the command-line tool.
//   node tests/bench/bundles.mjs [path/to/gridledger]   (after `trunk build --release`)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, newProfileDir, launch, App, SetupPage, openDbClient } from '../e2e/lib.mjs';

const tool = process.argv[2] ?? 'target/release/gridledger';
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
// BENCH_STREET_FILE=path skips it and the ledger, and times the street part on that file.
const streetFile = process.env.BENCH_STREET_FILE;
if (!streetFile) {
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

// Street scale: 15 communities, ~200,000 residents, made by the command-line tool.
{
  const file = path.join(dir, 'street.gridledger.json');
  let t0 = Date.now();
  if (streetFile) {
    fs.copyFileSync(streetFile, file);
  } else {
    execFileSync(tool, ['sample', '--communities', '15', '--scale', 'street', '--seed', '1', '-o', file], { stdio: 'ignore' });
    line('street scale: generate (command-line tool)', Date.now() - t0, `${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  }
  const s = await launch(newProfileDir());
  const app = new App(s.page, server.url);
  await streetSetUp(s.page, app);
  await exchange(s.page, app);
  try {
    await importFile(s.page, file, 'street scale into an empty street');
    await exchange(s.page, app);
    t0 = Date.now();
    const [download] = await Promise.all([
      s.page.waitForEvent('download', { timeout: 600000 }),
      s.page.getByRole('button', { name: '导出并下载' }).click(),
    ]);
    await download.saveAs(path.join(dir, 'street-export.gridledger.json'));
    line('street scale: export and download', Date.now() - t0);
    await streetCases(s.page);
    await streetResidents(s.page);
  } catch (e) {
    console.log(`street scale in the browser failed: ${e.message.split('\n')[0]}`);
  }
  await s.context.close();
}
/**
 * Cases at street scale, timed at the database worker through the app's own protocol (what a
 * list, a filter, a case page or a step costs, without the page's rendering): p50 and p95.
 */
async function streetCases(page) {
  await page.goto('about:blank');
  await openDbClient(page, server.url);
  const r = await page.evaluate(async () => {
    const db = await window.spawnDb();
    const status = (await db.call('Status')).Ok.Status;
    const timed = async (body, n) => {
      const ms = [];
      let last;
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        last = await db.call(typeof body === 'function' ? body(i) : body);
        ms.push(performance.now() - t0);
      }
      // The first run separately: what is computed once and kept until the data change (the
      // care list's who-is-due) makes the later runs cheaper.
      const first = ms[0];
      ms.sort((a, b) => a - b);
      return { first, p50: ms[Math.floor(n / 2)], p95: ms[Math.min(n - 1, Math.floor(n * 0.95))], last };
    };
    const code = status.communities[0].code;
    const root = (await db.call({ GridTree: { community_code: code } })).Ok.GridTree.nodes[0].id;
    const q = (extra) => ({ ListCases: { community_code: '', offset: 0, limit: 30, ...extra } });
    const out = { communities: status.communities.length };
    const first = await timed(q({}), 10);
    out.total = first.last.Ok.Cases.total;
    out['list, whole street, newest first'] = first;
    out['list, one community'] = await timed(q({ community_code: code }), 10);
    out['list, one grid subtree'] = await timed(q({ community_code: code, grid_id: root }), 10);
    out['list, state: escalated (street queue)'] = await timed(q({ state: 'escalated' }), 10);
    out['list, overdue only'] = await timed(q({ overdue_only: true }), 10);
    out['list, category group 01'] = await timed(q({ category: '01' }), 10);
    out['list, channel 12345'] = await timed(q({ channel: 'hotline_12345' }), 10);
    out['list, text search 垃圾'] = await timed(q({ text: '垃圾' }), 10);
    out['list, October, by deadline'] = await timed(q({ from: '2026-10-01', to: '2026-10-31', sort: 'deadline' }), 10);
    out['list, page 100'] = await timed(q({ offset: 3000 }), 10);
    const rows = (await db.call(q({ limit: 200 }))).Ok.Cases.rows;
    out['list, one assignee'] = await timed(q({ assignee: rows.find((x) => x.assignee)?.assignee ?? '' }), 10);
    out['case page (events, photos, moves)'] = await timed((i) => ({ GetCase: { id: rows[i % rows.length].id } }), 50);
    // The dashboard: every figure and chart of the page in one request (charts drawn too).
    const dash = (extra) => ({ Dashboard: { community_code: '', grid_id: '', from: '', to: '', lang: 'zh', narrow: false, ...extra } });
    const year = { from: '2026-01-01', to: '2026-12-31' };
    out['dashboard, whole street, this month'] = await timed(dash({}), 10);
    out['dashboard, whole street, a year'] = await timed(dash(year), 10);
    out['dashboard, one community, a year'] = await timed(dash({ ...year, community_code: code }), 10);
    out['dashboard, one grid subtree, a year'] = await timed(dash({ ...year, community_code: code, grid_id: root }), 10);
    const open = rows.filter((x) => !['closed', 'rated', 'voided'].includes(x.state));
    out['one step (督办) on an open case'] = await timed((i) => ({ CaseMove: { case_id: open[i % open.length].id, mv: 'urge', remark: '', assignee: '', rating: '' } }), 30);
    db.terminate();
    return out;
  });
  console.log(`street cases in the worker: ${r.total} cases in ${r.communities} communities (each list also computes its figures)`);
  for (const [k, v] of Object.entries(r)) {
    if (typeof v !== 'object') continue;
    const err = v.last?.Err ? `  ERROR ${JSON.stringify(v.last.Err)}` : '';
    console.log(`  ${k.padEnd(42)} first ${v.first.toFixed(1).padStart(8)} ms   p50 ${v.p50.toFixed(1).padStart(8)} ms   p95 ${v.p95.toFixed(1).padStart(8)} ms${err}`);
  }
}

/**
 * Resident search and list at street scale (~200,000 residents), timed at the database worker
 * through the app's protocol: 200 searches each by name, pinyin initials, phone tail and ID
 * tail (whole street, a page of 50 with its total), and list pages: p50 and p95.
 */
async function streetResidents(page) {
  await page.goto('about:blank');
  await openDbClient(page, server.url);
  // The initials, from the app's own table (one letter per code point from U+4E00; surname
  // readings aside, which only change which names a query finds, not its cost).
  const table = fs.readFileSync(new URL('../../assets/pinyin/initials-4e00-9fff.txt', import.meta.url), 'utf8');
  const r = await page.evaluate(async (table) => {
    const initialsOf = (name) => [...name].map((c) => {
      const l = table[c.codePointAt(0) - 0x4e00] ?? '';
      return /[a-z]/.test(l) ? l : '';
    }).join('');
    const db = await window.spawnDb();
    const q = (extra) => ({ SearchResidents: { community_code: '', text: '', grid_id: null, tag_id: null, offset: 0, limit: 50, ...extra } });
    const timed = async (body, n) => {
      const ms = [];
      let last;
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        last = await db.call(body(i));
        ms.push(performance.now() - t0);
      }
      const first = ms[0];
      ms.sort((a, b) => a - b);
      return { first, p50: ms[Math.floor(n / 2)], p95: ms[Math.min(n - 1, Math.floor(n * 0.95))], last };
    };
    const first = (await db.call(q({}))).Ok.Residents;
    const picks = [];
    for (let k = 0; k < 4; k++) {
      const off = Math.floor((first.total / 4) * k);
      picks.push(...(await db.call(q({ offset: off }))).Ok.Residents.rows);
    }
    const pick = (i) => picks[(i * 7919) % picks.length];
    const out = { total: first.total };
    out['list, whole street, first page'] = await timed(() => q({}), 50);
    out['list, whole street, deep page'] = await timed((i) => q({ offset: (i * 3571) % first.total }), 50);
    out['search: full name'] = await timed((i) => q({ text: pick(i).name }), 200);
    out['search: surname (one character)'] = await timed((i) => q({ text: pick(i).name.slice(0, 1) }), 200);
    out['search: pinyin initials'] = await timed((i) => q({ text: initialsOf(pick(i).name) }), 200);
    out['search: phone tail (4 digits)'] = await timed((i) => q({ text: (pick(i).phone || '13800000000').slice(-4) }), 200);
    out['search: ID tail (6)'] = await timed((i) => q({ text: pick(i).id_number.slice(-6) }), 200);
    db.terminate();
    return out;
  }, table);
  console.log(`street residents in the worker: ${r.total} residents`);
  for (const [k, v] of Object.entries(r)) {
    if (typeof v !== 'object') continue;
    const err = v.last?.Err ? `  ERROR ${JSON.stringify(v.last.Err)}` : '';
    console.log(`  ${k.padEnd(42)} first ${v.first.toFixed(1).padStart(8)} ms   p50 ${v.p50.toFixed(1).padStart(8)} ms   p95 ${v.p95.toFixed(1).padStart(8)} ms${err}`);
  }
}

// A 10,000-row residents ledger (.xlsx, made by `ledger_bench --write`) into the sample
// community through the import page: read and check every row, then write.
const ledgerFile = process.argv[3];
if (ledgerFile && !streetFile) {
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
