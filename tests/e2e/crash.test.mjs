// End-to-end crash safety: the database worker is killed in the middle of a large import,
// after a known number of records were written inside the import's transaction. A new worker
// opens the same OPFS database, SQLite's integrity check passes, and the content is exactly
// the state before the import; the same import then runs to the end and gives the state after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newProfileDir, launch, openDbClient } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

test('killing the worker mid-import leaves the database as it was before', async () => {
  // A community's bundle (the sample: ~8,000 residents), made in one browser profile.
  const a = await launch(newProfileDir());
  opened.push(a.context);
  await openDbClient(a.page, server.url);
  const bundle = await a.page.evaluate(async () => {
    const db = await window.spawnDb();
    const loaded = await db.call({ LoadSample: { seed: 20261124 } });
    if (!loaded.Ok) throw new Error(JSON.stringify(loaded));
    const { body, file } = await db.callFile({ ExportBundle: { options: { actor: '测试' }, passphrase: null } });
    if (!body.Ok || !file) throw new Error(JSON.stringify(body));
    return await file.text();
  });
  assert.ok(bundle.length > 1_000_000, `a large bundle (${bundle.length} bytes)`);

  // The street office in another profile imports it; its worker is terminated from the page
  // as soon as it reports having written KILL_AT records (it does not wait for a round trip).
  const b = await launch(newProfileDir());
  opened.push(b.context);
  await openDbClient(b.page, server.url);
  const KILL_AT = 6000;
  const r = await b.page.evaluate(async ({ text, killAt }) => {
    const file = new Blob([text], { type: 'application/json' });
    const db = await window.spawnDb();
    const setup = await db.call({ SetupStreet: { name: '建中街街道', code: '410103008', device_name: '街道办电脑', actor_name: '王主任' } });
    if (setup.Ok !== 'Done') throw new Error(JSON.stringify(setup));
    const before = (await db.call('Digest')).Ok.Digest;
    let killedAt = null;
    let total = null;
    const killed = new Promise((resolve) => {
      db.onProgress((p) => {
        if (p.stage === 'write' && p.done >= killAt && killedAt === null) {
          killedAt = p.done;
          total = p.total;
          db.terminate();
          resolve();
        }
      });
    });
    const staged = db.callFile({ StageImport: { file_name: 'big.gridledger.json', passphrase: null, accept_identity: true } }, file);
    await Promise.race([killed, staged.then((x) => { throw new Error('the import finished first: ' + JSON.stringify(x.body).slice(0, 300)); })]);

    const db2 = await window.spawnDb();
    const status = (await db2.call('Status')).Ok.Status;
    const integrity = (await db2.call('CheckIntegrity')).Ok.Integrity;
    const afterKill = (await db2.call('Digest')).Ok.Digest;
    // The same import, to the end this time.
    const preview = await db2.callFile({ StageImport: { file_name: 'big.gridledger.json', passphrase: null, accept_identity: true } }, file);
    const applied = await db2.call({ ApplyImport: { accept_identity: true } });
    const integrity2 = (await db2.call('CheckIntegrity')).Ok.Integrity;
    const afterImport = (await db2.call('Digest')).Ok.Digest;
    const communities = (await db2.call('Status')).Ok.Status.communities.length;
    return { before, killedAt, total, storage: status.storage, integrity, afterKill, preview: !!preview.body.Ok, applied: !!applied.Ok, integrity2, afterImport, communities };
  }, { text: bundle, killAt: KILL_AT });
  console.log(`# killed after ${r.killedAt} of ${r.total} records written`);
  assert.ok(r.killedAt >= KILL_AT && r.killedAt < r.total, 'killed inside the write phase');
  assert.equal(r.storage, 'Ready', 'the database opens again');
  assert.equal(r.integrity, 'ok');
  assert.equal(r.afterKill, r.before, 'nothing of the cut import is left');
  assert.ok(r.preview && r.applied);
  assert.equal(r.integrity2, 'ok');
  assert.notEqual(r.afterImport, r.before);
  assert.equal(r.communities, 1);
});
