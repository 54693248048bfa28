// The peer of the street benchmark (tests/bench/street.mjs), in a dedicated module worker: the
// official SQLite WebAssembly build (@sqlite.org/sqlite-wasm, its version pinned in
// package.json) on its `opfs-sahpool` VFS. It is handed what `gridledger peer-input` wrote:
// GridLedger's schema, the bundle's records as the very rows GridLedger's import writes, and
// resident searches with the statements GridLedger runs for them.
//
// Messages: { op: 'open', reopen } → { ok: { ms, version } }; { op: 'import' } → { ok: { rows, parseMs,
// insertMs } } (every table in one transaction, one prepared statement a table; each table's
// rows are fetched and JSON-parsed before its timer starts, so only the inserts are timed);
// { op: 'search', search } → { ok: { total, rows } } (the page times the round trip);
// { op: 'close' } → { ok: {} }.
// The street benchmark imports in one worker and searches in a fresh one that reopens the
// database, as it times GridLedger's searches in a fresh worker.
import sqlite3InitModule from './sqlite/index.mjs';

let db = null;
let pool = null;

const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function json(file) {
  const r = await fetch(`data/${file}`);
  if (!r.ok) throw new Error(`data/${file}: HTTP ${r.status}`);
  return r.json();
}

// `reopen` opens the database a worker before wrote (as a fresh GridLedger worker opens its
// own); otherwise the pool is emptied and the schema made.
async function open(reopen) {
  const t0 = performance.now();
  const sqlite3 = await sqlite3InitModule();
  pool = await sqlite3.installOpfsSAHPoolVfs({ name: 'peer-sahpool', clearOnInit: !reopen });
  db = new pool.OpfsSAHPoolDb('/peer.sqlite3');
  // GridLedger's connection settings (storage/mod.rs `Store::open`).
  db.exec('PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;');
  if (reopen) {
    if (db.selectValue('SELECT EXISTS (SELECT 1 FROM residents)') !== 1) throw new Error('reopened, the peer has no residents');
  } else {
    const schema = await json('schema.json');
    db.transaction(() => {
      for (const sql of schema) db.exec(sql);
    });
  }
  return { ms: performance.now() - t0, version: sqlite3.version.libVersion };
}

async function importAll() {
  const tables = await json('tables.json');
  let parseMs = 0;
  let insertMs = 0;
  let rows = 0;
  // Deferred like GridLedger's import (`defer_foreign_keys`): checked at COMMIT.
  db.exec('BEGIN; PRAGMA defer_foreign_keys = ON;');
  try {
    for (const t of tables) {
      const p0 = performance.now();
      const data = await json(t.file);
      // Large integers (the hybrid-logical-clock times) lose their last digits in JSON.parse;
      // that changes no cost. Blobs arrive as base64 and are decoded before timing.
      for (const row of data) {
        for (let i = 0; i < row.length; i++) {
          const v = row[i];
          if (v !== null && typeof v === 'object') row[i] = fromB64(v.b64);
        }
      }
      parseMs += performance.now() - p0;
      const i0 = performance.now();
      const marks = t.columns.map(() => '?').join(', ');
      const st = db.prepare(`INSERT INTO ${t.name} (${t.columns.join(', ')}) VALUES (${marks})`);
      try {
        for (const row of data) st.bind(row).stepReset();
      } finally {
        st.finalize();
      }
      insertMs += performance.now() - i0;
      rows += data.length;
    }
    const c0 = performance.now();
    db.exec('COMMIT');
    insertMs += performance.now() - c0;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
  return { rows, parseMs, insertMs };
}

// The page's rows go back to the page, as GridLedger's worker sends its page.
function search(s) {
  const total = db.selectValue(s.count_sql, s.args);
  const rows = db.selectArrays(s.page_sql, s.args);
  return { total, rows };
}

// Closes the database and lets go of the pool's OPFS handles (for the next worker).
function close() {
  db.close();
  pool.pauseVfs();
  return {};
}

onmessage = async (e) => {
  try {
    const { op } = e.data;
    let ok;
    if (op === 'open') ok = await open(!!e.data.reopen);
    else if (op === 'import') ok = await importAll();
    else if (op === 'search') ok = search(e.data.search);
    else if (op === 'close') ok = close();
    else throw new Error(`unknown op ${op}`);
    postMessage({ ok });
  } catch (err) {
    postMessage({ err: String(err?.stack ?? err) });
  }
};
