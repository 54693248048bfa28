// The database worker on OPFS, driven directly through the typed protocol (JSON envelopes):
// one worker sets up a community and writes a grid, is terminated, and a new worker on the same
// origin reads the grid back from OPFS. A second live worker cannot open the same database and
// says so instead of failing silently. A bundle is hashed by the browser, and requests sent
// meanwhile wait their turn. A pool of files made by an earlier version (six) is cut to three
// without losing the database. A worker that asks to be replaced (grown large after
// file work) is, under the app: its requests finish, new ones wait for the new worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, newProfileDir, launch, openDbClient, App, SetupPage, GridsPage, ResidentForm, ResidentsPage,
} from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.close(); });

test('a new worker reads back what an earlier worker wrote to OPFS', async () => {
  const { context, page } = await launch(newProfileDir());
  await page.goto(server.url + '/404-not-the-app-just-the-origin.txt').catch(() => {});
  await page.goto(server.url + '/');
  await page.evaluate(() => { document.body.innerHTML = ''; });
  // The app page itself owns a worker; test on a blank page of the same origin instead.
  await page.goto('about:blank');
  await openDbClient(page, server.url);

  const result = await page.evaluate(async () => {
    const db = await window.spawnDb();
    const status = await db.call('Status');
    const setup = await db.call({ SetupCommunity: { name: '测试社区', code: '410103008099', street_name: '测试街道', device_name: 'pc', actor_name: '张三', actor_role: 'grid_leader' } });
    const tree = await db.call({ GridTree: { community_code: '410103008099' } });
    const root = tree.Ok.GridTree.nodes[0].id;
    const created = await db.call({ CreateGrid: { parent_id: root, name: '持久化网格' } });
    db.terminate();
    const db2 = await window.spawnDb();
    const status2 = await db2.call('Status');
    const tree2 = await db2.call({ GridTree: { community_code: '410103008099' } });
    // A second worker while db2 holds the database.
    const db3 = await window.spawnDb();
    const status3 = await db3.call('Status');
    const write3 = await db3.call({ CreateGrid: { parent_id: root, name: 'x' } });
    return { status, setup, created, status2, tree2, status3, write3 };
  });
  assert.equal(result.status.Ok.Status.storage, 'Ready');
  assert.equal(result.status.Ok.Status.office, null);
  assert.equal(result.setup.Ok, 'Done');
  assert.ok(result.created.Ok.Created.id);
  assert.equal(result.status2.Ok.Status.office.name, '测试社区');
  assert.equal(result.status2.Ok.Status.device_id, result.status.Ok.Status.device_id, 'same device id after reopening');
  const names = result.tree2.Ok.GridTree.nodes.map((n) => n.name);
  assert.deepEqual(names, ['测试社区', '持久化网格']);
  assert.match(result.status3.Ok.Status.storage.Unavailable, /NoModificationAllowedError/);
  assert.equal(result.write3.Err.code, 'storage_unavailable');
  await context.close();
});

test('a pool of six files from an earlier version keeps its database and drops to three', async () => {
  const { context, page } = await launch(newProfileDir());
  await openDbClient(page, server.url);
  // The pool's files, as the VFS keeps them (its directory, then `.opaque`).
  const files = () => page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await (await root.getDirectoryHandle('.opfs-sahpool')).getDirectoryHandle('.opaque');
    const names = [];
    for await (const [name] of dir.entries()) names.push(name);
    return names.sort();
  });
  const first = await page.evaluate(async () => {
    const db = await window.spawnDb();
    await db.call({ SetupCommunity: { name: '升级社区', code: '410103008096', street_name: '测试街道', device_name: 'pc', actor_name: '张三', actor_role: 'grid_leader' } });
    const tree = await db.call({ GridTree: { community_code: '410103008096' } });
    const root = tree.Ok.GridTree.nodes[0].id;
    const created = await db.call({ CreateGrid: { parent_id: root, name: '第一网格' } });
    db.terminate();
    return { root, created: created.Ok?.Created?.id };
  });
  assert.ok(first.created);
  assert.equal((await files()).length, 3, 'a new pool has three files: the database, its journal, a spare');
  // An earlier version made six: three more, empty, as the VFS leaves unused ones.
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await (await root.getDirectoryHandle('.opfs-sahpool')).getDirectoryHandle('.opaque');
    for (const n of ['earlier1', 'earlier2', 'earlier3']) await dir.getFileHandle(n, { create: true });
  });
  assert.equal((await files()).length, 6);
  const again = await page.evaluate(async (root) => {
    const db = await window.spawnDb();
    const status = (await db.call('Status')).Ok.Status;
    const created = await db.call({ CreateGrid: { parent_id: root, name: '第二网格' } });
    const tree = await db.call({ GridTree: { community_code: '410103008096' } });
    db.terminate();
    const db2 = await window.spawnDb();
    const tree2 = await db2.call({ GridTree: { community_code: '410103008096' } });
    db2.terminate();
    return { office: status.office?.name, created: !!created.Ok, names: tree.Ok.GridTree.nodes.map((n) => n.name), names2: tree2.Ok.GridTree.nodes.map((n) => n.name) };
  }, first.root);
  assert.equal(again.office, '升级社区', 'the database is still there');
  assert.ok(again.created, 'and takes writes');
  assert.deepEqual(again.names, ['升级社区', '第一网格', '第二网格']);
  assert.deepEqual(again.names2, again.names, 'a later worker reads both grids back');
  assert.equal((await files()).length, 3, 'the unused files beyond three are gone');
  await context.close();
});

test('a bundle file is hashed by the browser while requests sent meanwhile wait their turn', async () => {
  const { context, page } = await launch(newProfileDir());
  await openDbClient(page, server.url);
  const r = await page.evaluate(async () => {
    const db = await window.spawnDb();
    await db.call({ SetupCommunity: { name: '测试社区', code: '410103008099', street_name: '测试街道', device_name: 'pc', actor_name: '张三', actor_role: 'grid_leader' } });
    const root = (await db.call({ GridTree: { community_code: '410103008099' } })).Ok.GridTree.nodes[0].id;
    await db.call({ CreateGrid: { parent_id: root, name: '第一网格' } });
    const { file } = await db.callFile({ ExportBundle: { options: { actor: '张三' }, passphrase: null } });
    const text = await file.text();
    const stages = [];
    db.onProgress((p) => stages.push(p.stage));
    const stage = (t) => db.callFile({ StageImport: { file_name: 'a.gridledger.json', passphrase: null, accept_identity: false } }, new Blob([t]));
    // A request sent while the file is hashed is answered after the import's preview.
    const order = [];
    const preview = stage(text).then((x) => { order.push('import'); return x.body; });
    const status = db.call('Status').then((x) => { order.push('status'); return x; });
    const first = await preview;
    await status;
    const stagesFirst = stages.splice(0);
    const applied = await db.call({ ApplyImport: { accept_identity: false } });
    const again = (await stage(text)).body;
    const refused = (await stage(text.replace('第一网格', '第二网格'))).body;
    return { order, stagesFirst, first, applied, again, refused };
  });
  assert.deepEqual(r.order, ['import', 'status']);
  assert.deepEqual(r.stagesFirst.slice(0, 2), ['checksum', 'read'], 'the browser hashes the file before it is read');
  const first = r.first.Ok.ImportPreview;
  assert.equal(first.totals.new + first.totals.updated, 0, JSON.stringify(first.totals));
  assert.ok(first.totals.unchanged >= 2);
  assert.ok(r.applied.Ok.Imported.applied);
  assert.ok(r.again.Ok.ImportPreview.imported_before, 'the same file is recognised by its checksum');
  assert.equal(r.refused.Err.code, 'bundle_checksum', 'a changed record is refused');
  await context.close();
});

test('the app replaces a worker that asks for it, and nothing is lost', async () => {
  const { context, page, errors } = await launch(newProfileDir());
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  const app = new App(page, server.url);
  const setup = new SetupPage(page);
  await app.open('/');
  await setup.waitForIt();
  await setup.fillCommunity({ name: '回收社区', code: '410103008097', street: '建中街街道', device: '办公室电脑', actor: '李娜', role: '网格长' });
  await setup.submit();
  await page.getByRole('heading', { name: '回收社区', level: 1 }).waitFor();
  await app.nav('网格');
  await new GridsPage(page).addChild('回收社区', '第一网格');
  await app.nav('居民');
  await page.getByRole('link', { name: '新增居民' }).click();
  const form = new ResidentForm(page);
  await form.fill({ name: '王秀英', id: '11010519491231002X', grid: '\u3000\u3000第一网格' });
  assert.equal(workers.length, 1);
  const old = workers[0];
  const closed = new Promise((resolve) => old.on('close', resolve));
  // What a worker grown past its limit posts after a reply (protocol::RECYCLE); the save
  // right after it must wait for the new worker and be answered by it.
  await old.evaluate(() => postMessage('gridledger-recycle'));
  await form.save();
  await page.getByText('已保存').waitFor({ timeout: 30000 });
  await closed;
  assert.equal(workers.length, 2, 'one new worker');
  // The new worker answers from the same database: the saved resident is listed.
  await app.nav('居民');
  const list = new ResidentsPage(page);
  await list.search('王秀英');
  assert.equal(await list.total(), 1);
  const status = await workers[1].evaluate(() => 1);
  assert.equal(status, 1, 'the new worker runs');
  assert.deepEqual(errors, []);
  await context.close();
});
