// The street benchmark (issue 9): GridLedger at street scale in headless Chromium, side by side
// with the official SQLite WebAssembly build doing the same writes and searches. Prints one table
// and writes the figures as JSON; any failed step fails the run (exit 1, no table).
//   node tests/bench/street.mjs [--tool target/release/gridledger] [--bundle street.json]
//                               [--out bench-street.json] [--small]
// (after `trunk build --release`; scripts/bench-street.sh does all of it). --small runs the
// whole flow on one generated community (the test command's smoke run).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, newProfileDir, launch, App, SetupPage, setupStreet, openDbClient, root } from '../e2e/lib.mjs';
import { timeCases, quantiles } from './measure.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const small = argv.includes('--small');
const tool = opt('--tool', path.join(root, 'target/release/gridledger'));
const outFile = opt('--out', path.join(root, small ? 'bench-street-small.json' : 'bench-street.json'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-street-'));
const T = 30 * 60 * 1000;
// How many times over each side runs the resident searches (see the search figures).
const SEARCH_PASSES = 3;

// name → { gl, peer?, unit, target? }, in the order measured.
const figures = new Map();
const put = (section, name, gl, unit, extra = {}) => figures.set(`${section}: ${name}`, { section, name, gl, unit, ...extra });

function fail(msg) {
  throw new Error(msg);
}

// ---- 1. the bundle and the peer's input --------------------------------------------------
let bundleFile = opt('--bundle', null);
if (!bundleFile) {
  bundleFile = path.join(dir, 'street.gridledger.json');
  const t0 = Date.now();
  const a = small ? ['sample', '--seed', '1', '-o', bundleFile] : ['sample', '--communities', '15', '--scale', 'street', '--seed', '1', '-o', bundleFile];
  execFileSync(tool, a, { stdio: 'ignore' });
  put('bundle', 'generate (gridledger sample, seed 1)', Date.now() - t0, 'ms');
}
const bundleBytes = fs.statSync(bundleFile).size;
put('bundle', 'file size', bundleBytes / 1e6, 'MB');
const peerDir = path.join(dir, 'peer');
execFileSync(tool, ['peer-input', bundleFile, '-o', path.join(peerDir, 'data')], { stdio: 'ignore' });
fs.copyFileSync(path.join(root, 'tests/bench/peer-worker.mjs'), path.join(peerDir, 'peer-worker.mjs'));
fs.symlinkSync(path.join(root, 'node_modules/@sqlite.org/sqlite-wasm/dist'), path.join(peerDir, 'sqlite'));
fs.writeFileSync(path.join(peerDir, 'index.html'), '<!doctype html><title>peer</title>');
const searches = JSON.parse(fs.readFileSync(path.join(peerDir, 'data/searches.json'), 'utf8'));
const peerTables = JSON.parse(fs.readFileSync(path.join(peerDir, 'data/tables.json'), 'utf8'));
const records = peerTables.reduce((n, t) => n + t.count, 0);
put('bundle', 'records', records, '');
const peerVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@sqlite.org/sqlite-wasm/package.json'), 'utf8')).version;

const server = await startServer();
const peerServer = await staticServer(peerDir);

// ---- 2. download: what the first paint needs, and the worker --------------------------------
{
  const dist = path.join(root, 'dist');
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = fs.readdirSync(dist).filter((f) => /\.(wasm|js|css)$/.test(f) && f !== 'sw.js');
  const linked = new Set([...html.matchAll(/(?:href|src)="\/?([^"]+)"/g)].map((m) => m[1]));
  const sums = { first: [0, 0, 0], worker: [0, 0, 0] };
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dist, f));
    const gz = zlib.gzipSync(bytes, { level: 9 }).length;
    const br = zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    const part = f.startsWith('worker') ? 'worker' : linked.has(f) ? 'first' : null;
    if (!part) continue;
    put('download', `${part === 'first' ? 'first paint' : 'worker'}: ${f.replace(/-[0-9a-f]{12,16}(?=[._])/, '')} (raw / gzip / brotli)`, gz / 1024, 'KiB gz', { raw: bytes.length / 1024, brotli: br / 1024 });
    sums[part][0] += bytes.length;
    sums[part][1] += gz;
    sums[part][2] += br;
  }
  if (sums.first[0] === 0 || sums.worker[0] === 0) fail('dist/ has no app or no worker files');
  put('download', 'first paint total (raw / gzip / brotli)', sums.first[1] / 1024, 'KiB gz', { raw: sums.first[0] / 1024, brotli: sums.first[2] / 1024, target: '≤ 600' });
  put('download', 'all wasm and JS total', (sums.first[1] + sums.worker[1]) / 1024, 'KiB gz', { raw: (sums.first[0] + sums.worker[0]) / 1024, brotli: (sums.first[2] + sums.worker[2]) / 1024, target: '≤ 1228.8' });
}

// ---- 3. cold start, first visit; the street office set up ----------------------------------
const profile = newProfileDir();
/** One launch of the browser on the profile, to the app's first paint and its database. */
async function launchApp() {
  const s = await launch(profile);
  await s.page.goto(server.url + '/');
  await s.page.waitForFunction(() => ['gridledger-db-ready', 'gridledger-db-open'].every((n) => performance.getEntriesByName(n).length > 0), null, { timeout: 120000 });
  const m = await s.page.evaluate(() => ({
    paint: performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime,
    open: performance.getEntriesByName('gridledger-db-open')[0].startTime,
    ready: performance.getEntriesByName('gridledger-db-ready')[0].startTime,
    // Whether the app's service worker answered (a repeat visit) or the network did.
    sw: !!navigator.serviceWorker?.controller,
  }));
  if (m.paint === undefined) fail('no first-contentful-paint entry');
  if (m.ready < m.paint) fail('the database was ready before the first paint (the UI waited for it?)');
  return { s, m };
}
// The worker's own mark: loaded, OPFS opened, schema checked (it starts from index.html, beside
// the app's wasm), dated by the worker's clock, not when the page's busy main thread gets to the
// message; then the app, once its wasm runs, has the database's status.
async function coldStart(label) {
  const { s, m } = await launchApp();
  put('cold start', `${label}: first paint`, m.paint, 'ms');
  put('cold start', `${label}: database ready (in the worker)`, m.open, 'ms');
  put('cold start', `${label}: the app has its status`, m.ready, 'ms');
  return s;
}
// A repeat visit: the browser launched again on the profile, the app answered by its service
// worker as an office finds it each morning. Three launches (one varies by ±50 ms on this VM):
// their median against the target, and the slowest. The last launch stays open.
const LAUNCHES = 3;
async function repeatVisit(label) {
  const seen = [];
  let s;
  for (let i = 0; i < LAUNCHES; i++) {
    if (s) await s.context.close();
    const r = await launchApp();
    if (!r.m.sw) fail(`${label}: the app's service worker did not answer (not a repeat visit)`);
    s = r.s;
    seen.push(r.m);
  }
  const median = (k) => [...seen.map((m) => m[k])].sort((a, b) => a - b)[(LAUNCHES - 1) / 2];
  const slowest = (k) => Math.max(...seen.map((m) => m[k]));
  put('cold start', `${label}: first paint (median of ${LAUNCHES} launches)`, median('paint'), 'ms', { target: '≤ 1000' });
  put('cold start', `${label}: database ready (in the worker; median of ${LAUNCHES})`, median('open'), 'ms', { target: '≤ 500' });
  put('cold start', `${label}: database ready, the slowest of ${LAUNCHES}`, slowest('open'), 'ms');
  put('cold start', `${label}: the app has its status (median of ${LAUNCHES})`, median('ready'), 'ms');
  return s;
}
{
  const s = await coldStart('first visit, empty database');
  await new SetupPage(s.page).waitForIt();
  await setupStreet(s.page, new SetupPage(s.page));
  await s.context.close();
}
{
  const s = await repeatVisit('repeat visit, empty street');
  await s.context.close();
}

// ---- 4. import through the app's path, then again (a no-op); export; memory -------------------
let statusAfter;
{
  const s = await launch(profile);
  const { page } = s;
  page.setDefaultTimeout(T);
  await openDbClient(page, server.url);
  // The same records in another bundle: \`gridledger merge\` of the street bundle alone writes
  // them again under another device and export time (so another checksum): a bundle imported
  // before is recognised from its header, this one goes through the whole merge.
  const copyFile = path.join(path.dirname(bundleFile), 'remerged-' + path.basename(bundleFile));
  execFileSync(tool, ['merge', bundleFile, '-o', copyFile], { stdio: 'ignore' });
  await page.evaluate(() => {
    for (const id of ['f', 'f2']) {
      const i = document.createElement('input');
      i.type = 'file';
      i.id = id;
      document.body.append(i);
    }
  });
  await page.locator('#f').setInputFiles(bundleFile);
  await page.locator('#f2').setInputFiles(copyFile);
  const importOnce = (input = '#f') => page.evaluate(async (input) => {
    const db = await window.spawnDb();
    const file = document.querySelector(input).files[0];
    const t0 = performance.now();
    const stages = {};
    db.onProgress((p) => { if (!(p.stage in stages)) stages[p.stage] = performance.now() - t0; });
    const staged = await db.callFile({ StageImport: { file_name: file.name, passphrase: null, accept_identity: true } }, file);
    const tStaged = performance.now() - t0;
    if (!staged.body.Ok) return { err: staged.body.Err };
    const before = staged.body.Ok.ImportPreview.imported_before;
    const applied = await db.call({ ApplyImport: { accept_identity: true } });
    const total = performance.now() - t0;
    const memory = (await db.call('Status')).Ok.Status.memory_bytes;
    const recycle = db.askedToRecycle();
    db.terminate();
    if (!applied.Ok) return { err: applied.Err };
    return { stages, tStaged, total, memory, recycle, recognised: before != null, changes: applied.Ok.Imported.totals };
  }, input);
  const phases = (label, r) => {
    if (r.err) fail(`${label}: ${JSON.stringify(r.err)}`);
    const order = ['read', 'plan', 'write', 'settle'];
    // Nothing to write (a no-op) reports no "write" stage: it took no time.
    const at = order.map((k) => r.stages[k] ?? (k === 'write' ? r.stages.settle : undefined));
    if (at.some((x) => x === undefined)) fail(`${label}: stages seen ${JSON.stringify(r.stages)}`);
    put('import', `${label}: read, parse, check`, at[1], 'ms');
    put('import', `${label}: plan`, at[2] - at[1], 'ms');
    put('import', `${label}: write`, at[3] - at[2], 'ms');
    put('import', `${label}: settle, preview`, r.tStaged - at[3], 'ms');
    put('import', `${label}: apply (commit)`, r.total - r.tStaged, 'ms');
    put('import', `${label}: whole`, r.total, 'ms');
    put('memory', `worker wasm memory after ${label}`, r.memory / 2 ** 20, 'MiB');
    // The app then replaces the worker (protocol::RECYCLE): it must have asked.
    if (r.memory > 256 * 2 ** 20 && !r.recycle) fail(`${label}: the worker grew to ${r.memory} bytes and did not ask to be replaced`);
    return r.total;
  };
  const first = phases('street bundle into an empty street', await importOnce());
  const same = await importOnce();
  if (same.err) fail(`the same bundle again: ${JSON.stringify(same.err)}`);
  if (!same.recognised) fail('the same bundle again was not recognised as imported before');
  put('import', 'the same bundle again (recognised from its header): read, preview', same.tStaged, 'ms');
  put('import', 'the same bundle again (recognised from its header): apply (logged)', same.total - same.tStaged, 'ms');
  put('import', 'the same bundle again (recognised from its header): whole', same.total, 'ms');
  put('import', 'the same bundle again ÷ import', same.total / first, '×', { target: '< 0.25' });
  const copy = await importOnce('#f2');
  if (copy.recognised) fail('another bundle of the same records was taken for the one imported before');
  const c = copy.changes ?? {};
  if (c.new || c.updated || c.deleted) fail(`the same records again changed something: ${JSON.stringify(c)}`);
  const again = phases('the same records, another bundle (no-op merge)', copy);
  put('import', 'no-op merge of the same records ÷ import', again / first, '×', { target: '< 0.25' });
  fs.rmSync(copyFile, { force: true });

  const r = await page.evaluate(async () => {
    const db = await window.spawnDb();
    const status = (await db.call('Status')).Ok.Status;
    const code = status.communities[0].code;
    const t0 = performance.now();
    const whole = await db.callFile({ ExportBundle: { options: { communities: [], destination: 'bench', mask: {}, actor: 'bench' }, passphrase: null } });
    const t1 = performance.now();
    const one = await db.callFile({ ExportBundle: { options: { communities: [code], destination: 'bench1', mask: { residents: ['id_number', 'phone'] }, actor: 'bench' }, passphrase: 'bench-passphrase-1' } });
    const t2 = performance.now();
    const after = (await db.call('Status')).Ok.Status;
    db.terminate();
    return { whole: t1 - t0, one: t2 - t1, wholeErr: whole.body.Err, oneErr: one.body.Err, wholeSize: whole.file?.size, oneSize: one.file?.size, status: after };
  });
  if (r.wholeErr || r.oneErr) fail(`export: ${JSON.stringify(r.wholeErr ?? r.oneErr)}`);
  put('export', 'the whole street', r.whole, 'ms', { size: r.wholeSize });
  put('export', 'one community, masked and encrypted', r.one, 'ms', { size: r.oneSize });
  statusAfter = r.status;
  await s.context.close();
}

// ---- 5. the worker: resident searches, case lists, dashboard, memory (before any edit) -------
{
  const s = await launch(profile);
  const { page } = s;
  page.setDefaultTimeout(T);
  await openDbClient(page, server.url);
  const r = await page.evaluate(async ({ searches, passes }) => {
    const db = await window.spawnDb();
    const out = {};
    for (let pass = 0; pass < passes; pass++) for (const s of searches) {
      const t0 = performance.now();
      const reply = await db.call({ SearchResidents: { community_code: '', text: s.text, grid_id: null, tag_id: null, offset: 0, limit: 50 } });
      const ms = performance.now() - t0;
      if (!reply.Ok) return { err: `${s.kind} ${s.text}: ${JSON.stringify(reply.Err)}` };
      (out[s.kind] ??= []).push({ pass, ms, total: reply.Ok.Residents.total, rows: reply.Ok.Residents.rows.length });
    }
    // One resident saved through the protocol (the worker's share of a save on screen).
    const ids = (await db.call({ SearchResidents: { community_code: '', text: '', grid_id: null, tag_id: null, offset: 0, limit: 30 } })).Ok.Residents.rows.map((x) => x.id);
    const saves = [];
    for (let i = 0; i < ids.length; i++) {
      const form = (await db.call({ GetResident: { id: ids[i] } })).Ok.Resident;
      form.phone = `1370000${String(1000 + i).padStart(4, '0')}`;
      const t0 = performance.now();
      const reply = await db.call({ SaveResident: form });
      saves.push(performance.now() - t0);
      if (!reply.Ok) return { err: `SaveResident: ${JSON.stringify(reply.Err)}` };
    }
    // A home visit recorded (care data): the kept lists are updated in place, and the next
    // worker's first dashboard reads them (an import keeps them computed too).
    const care = await db.call({ CareList: { community_code: '', offset: 0, limit: 1 } });
    const who = care.Ok?.CarePage?.rows?.[0]?.resident_id;
    if (!who) return { err: `CareList: ${JSON.stringify(care)}` };
    const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const visit = await db.call({ RecordVisit: { resident_id: who, visit_date: day, visitor_name: '网格员', condition: 'good' } });
    if (!visit.Ok) return { err: `RecordVisit: ${JSON.stringify(visit.Err)}` };
    // The worker updates the kept lists after the visit's reply; the next request's reply
    // comes after that (a person goes on working; a worker ended at once may not have).
    await db.call('Status');
    db.terminate();
    return { out, saves };
  }, { searches, passes: SEARCH_PASSES });
  if (r.err) fail(r.err);
  const sw = quantiles(r.saves);
  put('edits', 'save one resident, in the worker: p50', sw.p50, 'ms');
  put('edits', 'save one resident, in the worker: p95', sw.p95, 'ms');
  const cases = await timeCases(page, server.url);
  for (const [k, v] of Object.entries(cases)) {
    const dashboard = k.startsWith('dashboard');
    put(dashboard ? 'dashboard' : 'cases', `${k}: p95`, v.p95, 'ms', { p50: v.p50, target: dashboard ? '≤ 300' : undefined });
  }
  // The first dashboard a worker draws (the home page right after the app opens): here the
  // first since a visit was recorded (the kept list updated in place); then, in a fresh worker
  // with nothing changed since; after a resident moved out (the kept list updated in place);
  // after they came back (listed again in place).
  put('dashboard', 'whole street, this month: a worker\'s first after a visit (kept list updated)', cases['dashboard, whole street, this month'].first, 'ms', { target: '≤ 300' });
  // A fresh worker's first dashboard, after `before` (run first in a worker of its own, which
  // answers one more request before it ends: the kept lists are written after a reply).
  const firstDashboard = (before) => page.evaluate(async (before) => {
    let db = await window.spawnDb();
    if (before !== 'nothing') {
      if (!window.benchMovedOut) {
        const care = await db.call({ CareList: { community_code: '', offset: 0, limit: 1 } });
        window.benchMovedOut = care.Ok?.CarePage?.rows?.[0]?.resident_id;
        if (!window.benchMovedOut) return { err: `CareList: ${JSON.stringify(care)}` };
      }
      const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
      const kind = before === 'moved out' ? 'moved_out' : 'returned';
      const changed = await db.call({ ChangeStatus: { resident_id: window.benchMovedOut, kind, event_date: day } });
      if (!changed.Ok) return { err: `ChangeStatus: ${JSON.stringify(changed.Err)}` };
      await db.call('Status');
      db.terminate();
      db = await window.spawnDb();
    }
    await db.call('Status');
    const t0 = performance.now();
    const r = await db.call({ Dashboard: { community_code: '', grid_id: '', from: '', to: '', lang: 'zh', narrow: false } });
    const ms = performance.now() - t0;
    db.terminate();
    return { ms, err: r.Err };
  }, before);
  const fresh = await firstDashboard('nothing');
  if (fresh.err) fail(`dashboard in a fresh worker: ${JSON.stringify(fresh.err)}`);
  put('dashboard', 'whole street, this month: a fresh worker\'s first, nothing changed (care list kept)', fresh.ms, 'ms', { target: '≤ 300' });
  const left = await firstDashboard('moved out');
  if (left.err) fail(`dashboard after a status change: ${JSON.stringify(left.err)}`);
  put('dashboard', 'whole street, this month: a fresh worker\'s first after a resident moved out (kept list updated)', left.ms, 'ms', { target: '≤ 300' });
  const back = await firstDashboard('returned');
  if (back.err) fail(`dashboard after a return: ${JSON.stringify(back.err)}`);
  put('dashboard', 'whole street, this month: a fresh worker\'s first after they came back (kept list updated)', back.ms, 'ms', { target: '≤ 300' });
  // Where "database ready" goes: the worker's script and wasm until it listens, then its own
  // open (OPFS pool, the database, the schema check) and the status read.
  const status = await page.evaluate(async () => {
    const t0 = performance.now();
    const db = await window.spawnDb();
    const listening = performance.now() - t0;
    const s = (await db.call('Status')).Ok.Status;
    const answered = performance.now() - t0;
    db.terminate();
    return { ...s, listening, answered };
  });
  put('cold start', 'a worker on the street database: script and wasm until it listens', status.listening, 'ms');
  put('cold start', 'a worker on the street database: its open (OPFS, database, schema)', status.open_millis, 'ms');
  put('cold start', 'a worker on the street database: spawn to the first status', status.answered, 'ms');
  put('memory', 'worker wasm memory after both exports', statusAfter.memory_bytes / 2 ** 20, 'MiB');
  put('memory', 'worker wasm memory, a fresh worker on the street', status.memory_bytes / 2 ** 20, 'MiB');
  await s.context.close();
  globalThis.glSearch = r.out;
}

// ---- 6. repeat visit on the street database; page memory; search to the screen; edits --------
{
  // The timings above ran in pages of their own, which took the app's service worker off the
  // origin: a visit to the app brings it back (it is what the office's last visit left).
  {
    const { s } = await launchApp();
    await s.page.evaluate(() => navigator.serviceWorker.ready);
    await s.page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60000 });
    await s.context.close();
  }
  const s = await repeatVisit('repeat visit, street database');
  const { page } = s;
  page.setDefaultTimeout(60000);
  // The page's JS heap with the app on the street's data (the dashboard drawn).
  await page.getByRole('heading', { name: '建中街街道', level: 1 }).waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  put('memory', 'page JS heap (used), app open on the street', heap.usedSize / 2 ** 20, 'MiB');

  // Searches to the screen: the residents page, input to the rows drawn (less its 250 ms pause).
  await new App(page, server.url).open('/residents');
  await page.locator('.count[aria-busy=false]').waitFor();
  await page.locator('table.list tbody tr').first().waitFor();
  const domRows = await page.locator('table.list tbody tr').count();
  put('lists', 'rows in the DOM, residents list (whole street)', domRows, 'rows', { target: '≤ 200' });
  const ids = await page.evaluate(() => [...document.querySelectorAll('table.list tbody tr a[href^="/residents/"]')].map((a) => a.getAttribute('href')));
  if (ids.length < 5) fail(`residents list shows ${ids.length} links`);
  const screen = [];
  const sample = searches.filter((x, i) => i % 5 === 0 && x.text !== searches[i - 5]?.text).slice(0, 40);
  for (const q of sample) {
    const ms = await page.evaluate((text) => new Promise((resolve, reject) => {
      const box = document.querySelector('input[type=search]');
      const done = () => {
        const c = document.querySelector('.count');
        return c && c.dataset.q === text && c.getAttribute('aria-busy') === 'false';
      };
      // Checked every frame: the first frame that shows the answer (frame granularity).
      const t0 = performance.now();
      const frame = () => (done() ? resolve(performance.now() - t0 - 250) : requestAnimationFrame(frame));
      requestAnimationFrame(frame);
      box.value = text;
      box.dispatchEvent(new InputEvent('input', { bubbles: true }));
      setTimeout(() => reject(new Error(`search ${text}: not on screen in 10 s (${document.querySelector('.count')?.outerHTML}, ${location.href})`)), 10000);
    }), q.text);
    screen.push(ms);
  }
  const sq = quantiles(screen);
  put('search', `resident search to the screen (${screen.length} queries): p50`, sq.p50, 'ms');
  put('search', `resident search to the screen (${screen.length} queries): p95`, sq.p95, 'ms', { target: '≤ 100' });

  // One edit: a resident saved (the form's 保存 to its 已保存).
  const saves = [];
  for (let i = 0; i < 20; i++) {
    await new App(page, server.url).open(ids[i % ids.length]);
    // The saved resident has loaded once its name is in the form.
    await page.getByLabel('姓名').waitFor();
    for (let k = 0; k < 100 && (await page.getByLabel('姓名').inputValue()) === ''; k++) await page.waitForTimeout(50);
    await page.getByLabel('联系电话').fill(`1390000${String(1000 + i).padStart(4, '0')}`);
    saves.push(await timedClick(page, '保存', 'saved'));
  }
  const sv = quantiles(saves);
  put('edits', 'save one resident: p50', sv.p50, 'ms');
  put('edits', 'save one resident: p95', sv.p95, 'ms', { target: '≤ 30' });

  // One case step: 督办 on an open case (its 确认 to the new line on the timeline).
  await new App(page, server.url).open('/cases');
  await page.locator('.case-list li').first().waitFor();
  put('lists', 'rows in the DOM, case list (whole street)', await page.locator('.case-list li').count(), 'rows', { target: '≤ 200' });
  const cases = await page.evaluate(() => [...document.querySelectorAll('.case-list li a[href^="/cases/"]')].map((a) => a.getAttribute('href')));
  const steps = [];
  for (let i = 0; i < 20 && cases.length; i++) {
    await new App(page, server.url).open(cases[i % cases.length]);
    const urge = page.getByRole('button', { name: '督办', exact: true });
    await page.locator('.timeline li').first().waitFor();
    if (!(await urge.isVisible())) continue;
    await urge.click();
    const before = await page.locator('.timeline li').count();
    steps.push(await timedClick(page, '确认', 'timeline', before));
  }
  if (steps.length < 5) fail(`only ${steps.length} cases offered 督办`);
  const st = quantiles(steps);
  put('edits', 'one case step (督办): p50', st.p50, 'ms');
  put('edits', 'one case step (督办): p95', st.p95, 'ms', { target: '≤ 30' });
  await s.context.close();
}

// ---- 7. the peer: the same rows and searches through @sqlite.org/sqlite-wasm -----------------
{
  const s = await launch(newProfileDir());
  const { page } = s;
  page.setDefaultTimeout(T);
  await page.goto(peerServer.url + '/');
  const r = await page.evaluate(async ({ searches, passes }) => {
    const spawn = () => {
      const w = new Worker('/peer-worker.mjs', { type: 'module' });
      w.call = (msg) => new Promise((resolve, reject) => {
        w.onmessage = (e) => (e.data.err ? reject(new Error(e.data.err)) : resolve(e.data.ok));
        w.onerror = (e) => reject(new Error(e.message));
        w.postMessage(msg);
      });
      return w;
    };
    let w = spawn();
    const opened = await w.call({ op: 'open' });
    const imported = await w.call({ op: 'import' });
    await w.call({ op: 'close' });
    w.terminate();
    // The searches in a fresh worker on the written database, as GridLedger's (section 5).
    w = spawn();
    const reopened = await w.call({ op: 'open', reopen: true });
    const out = {};
    for (let pass = 0; pass < passes; pass++) for (const s of searches) {
      const t0 = performance.now();
      const res = await w.call({ op: 'search', search: s });
      (out[s.kind] ??= []).push({ pass, ms: performance.now() - t0, total: res.total, rows: res.rows.length });
    }
    w.terminate();
    return { opened, imported, reopened, out };
  }, { searches, passes: SEARCH_PASSES }).catch((e) => fail(`peer: ${e.message}`));
  if (r.imported.rows !== records) fail(`peer wrote ${r.imported.rows} rows of ${records}`);
  put('peer', `@sqlite.org/sqlite-wasm ${peerVersion} (SQLite ${r.opened.version}): open and schema`, r.opened.ms, 'ms');
  put('peer', 'JSON.parse of its rows (not counted)', r.imported.parseMs, 'ms');
  put('peer', 'a fresh worker opens the written database (searched there)', r.reopened.ms, 'ms');
  const glImport = figures.get('import: street bundle into an empty street: whole').gl;
  const glNoop = figures.get('import: the same records, another bundle (no-op merge): whole').gl;
  figures.get('import: street bundle into an empty street: whole').peer = r.imported.insertMs;
  put('ratio', 'whole import ÷ peer insert of parsed rows', glImport / r.imported.insertMs, '×', { target: '≤ 1.0' });
  put('ratio', 'no-op merge of the same records ÷ peer insert', glNoop / r.imported.insertMs, '×');
  // Each side runs the 200 searches of a kind three times over, in a fresh worker, in the same
  // order. The first pass (cold: pages read from OPFS, code compiled on first use) is the one a
  // person meets and has the ≤ 50 ms target. Its p95 is the 10th slowest of ~200 timings of
  // 1–6 ms for the short searches, where one scheduling hiccup on either side moves it by 1–3 ms
  // (the kind that came out slower than the peer changed from run to run); "never slower than
  // the peer" is judged on all three passes (600 timings of the same queries on both sides).
  for (const [kind, gl] of Object.entries(globalThis.glSearch)) {
    const peer = r.out[kind];
    if (peer?.length !== gl.length) fail(`search ${kind}: GridLedger ran ${gl.length}, the peer ${peer?.length}`);
    for (let i = 0; i < gl.length; i++) {
      if (gl[i].total !== peer[i].total) fail(`search ${kind} #${i}: GridLedger finds ${gl[i].total}, the peer ${peer[i].total}`);
      if (gl[i].rows !== peer[i].rows) fail(`search ${kind} #${i}: GridLedger's page has ${gl[i].rows} rows, the peer's ${peer[i].rows}`);
    }
    const first = (xs) => xs.filter((x) => x.pass === 0).map((x) => x.ms);
    const n = first(gl).length;
    const a = quantiles(first(gl));
    const b = quantiles(first(peer));
    put('search', `${kind} (${n}), in the worker, first pass: p50`, a.p50, 'ms', { peer: b.p50 });
    put('search', `${kind} (${n}), in the worker, first pass: p95`, a.p95, 'ms', { peer: b.p95, target: '≤ 50' });
    const all = quantiles(gl.map((x) => x.ms));
    const allPeer = quantiles(peer.map((x) => x.ms));
    put('search', `${kind} (${n} × ${SEARCH_PASSES}), in the worker, all passes: p95`, all.p95, 'ms', { peer: allPeer.p95 });
    put('ratio', `${kind} search p95 ÷ peer, first pass`, a.p95 / b.p95, '×');
    put('ratio', `${kind} search p95 ÷ peer, all ${SEARCH_PASSES} passes`, all.p95 / allPeer.p95, '×', { target: '≤ 1.0' });
  }
  await s.context.close();
}

await server.close();
await peerServer.close();
fs.rmSync(dir, { recursive: true, force: true });

// ---- the table and the JSON ------------------------------------------------------------------
const fmt = (v) => (v === undefined ? '' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
console.log(`GridLedger street benchmark${small ? ' (small)' : ''}: ${records} records, ${(bundleBytes / 1e6).toFixed(1)} MB; peer @sqlite.org/sqlite-wasm ${peerVersion}`);
console.log(`${'figure'.padEnd(78)} ${'GridLedger'.padStart(11)} ${'peer'.padStart(9)}  unit     target`);
const order = ['bundle', 'download', 'cold start', 'import', 'export', 'edits', 'search', 'cases', 'dashboard', 'lists', 'memory', 'peer', 'ratio'];
const sorted = [...figures.values()].sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
let section = '';
for (const f of sorted) {
  if (f.section !== section) {
    section = f.section;
    console.log(`-- ${section}`);
  }
  let label = f.name;
  if (f.raw !== undefined) label += `: ${f.raw.toFixed(0)} / ${f.gl.toFixed(0)} / ${f.brotli.toFixed(0)}`;
  console.log(`  ${label.padEnd(76)} ${fmt(f.gl).padStart(11)} ${fmt(f.peer).padStart(9)}  ${f.unit.padEnd(8)} ${f.target ?? ''}`);
}
const json = {
  when: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memory_gib: os.totalmem() / 2 ** 30 },
  small,
  bundle_bytes: bundleBytes,
  records,
  peer: `@sqlite.org/sqlite-wasm@${peerVersion}`,
  figures: Object.fromEntries(figures),
};
fs.writeFileSync(outFile, JSON.stringify(json, null, 2));
console.log(`figures written to ${outFile}`);

// ---- helpers -------------------------------------------------------------------------------

/**
 * Clicks the button named `name` and times, in the page, until the write shows: "saved" (the
 * form's 已保存 notice) or "timeline" (one more line on the case's timeline than `before`).
 */
async function timedClick(page, name, until, before = 0) {
  return page.evaluate(({ name, until, before }) => new Promise((resolve, reject) => {
    const done = until === 'saved'
      ? () => document.body.textContent.includes('已保存')
      : () => document.querySelectorAll('.timeline li').length > before;
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === name && !b.disabled);
    if (!button) return reject(new Error(`no button ${name}`));
    if (done()) return reject(new Error(`${name}: confirmed before the click`));
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (done()) {
        obs.disconnect();
        resolve(performance.now() - t0);
      }
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    button.click();
    setTimeout(() => reject(new Error(`${name}: not confirmed in 10 s`)), 10000);
  }), { name, until, before });
}

/** A static server on 127.0.0.1 for the peer's page, worker, SQLite build and data. */
function staticServer(base) {
  const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
  const srv = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const file = path.join(base, path.normalize(rel === '/' ? '/index.html' : rel));
    if (!file.startsWith(base) || !fs.existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${srv.address().port}`, close: () => new Promise((r) => srv.close(r)) })));
}
