// The database worker on OPFS, driven directly through the typed protocol (JSON envelopes):
// one worker sets up a community and writes a grid, is terminated, and a new worker on the same
// origin reads the grid back from OPFS. A second live worker cannot open the same database and
// says so instead of failing silently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newProfileDir, launch, openDbClient } from './lib.mjs';

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
