// End-to-end: two real tabs of one browser profile share one database owner. The second tab
// says at once that GridLedger is open in another tab and offers to take over; taking over
// waits for the owner's work in flight (here: generating the sample community) to finish, so
// the new owner sees all of it; the first tab then says so and can take the database back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newProfileDir, launch, shot, App, SetupPage } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

const OTHER_TAB = '网格台账已在另一个标签页中打开';
const RELEASED = '网格台账已在另一个标签页中使用';

test('a second tab takes the database over after the first finishes its import', async () => {
  const { context, page: first, errors } = await launch(newProfileDir());
  opened.push(context);
  await new App(first, server.url).open('/');
  await new SetupPage(first).waitForIt();

  const second = await context.newPage();
  second.setDefaultTimeout(20000);
  const errors2 = [];
  second.on('pageerror', (e) => errors2.push(e.message));
  const t0 = Date.now();
  await new App(second, server.url).open('/');
  await second.getByRole('heading', { name: OTHER_TAB }).waitFor();
  const told = Date.now() - t0;
  await shot(second, 'tabs-other-tab');

  // The first tab starts a long write; the second asks for the database at once.
  await new SetupPage(first).loadSample();
  await second.locator('#take-over').click();
  // The owner lets go only after the sample is complete: the new owner sees all of it.
  await second.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 120000 });
  await first.getByRole('heading', { name: RELEASED }).waitFor();
  await shot(first, 'tabs-released');
  const residents = async (page) => {
    await page.goto(server.url + '/residents');
    await page.waitForFunction(() => /\d/.test(document.querySelector('.count')?.textContent ?? ''));
    return Number((await page.locator('.count').innerText()).match(/\d+/)[0]);
  };
  const n = await residents(second);
  assert.ok(n > 8000, `the whole sample reached the new owner (${n} residents)`);

  // A write in the second tab, then the first takes the database back and sees it.
  await second.goto(server.url + '/residents/new');
  await second.getByLabel('姓名').fill('钱学文');
  await second.getByLabel('身份证号').fill('11010519491231002X');
  await second.getByLabel('所属网格').selectOption({ index: 1 });
  await second.getByRole('button', { name: '保存', exact: true }).click();
  await second.getByText('已保存').waitFor();
  await first.locator('#take-over').click();
  await first.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 30000 });
  await second.getByRole('heading', { name: RELEASED }).waitFor();
  assert.equal(await residents(first), n + 1, 'the first tab sees what the second one wrote');

  // A reload of the owner is not "another tab": it opens again on its own.
  await first.reload();
  await first.getByRole('heading', { name: '居民台账', level: 1 }).waitFor({ timeout: 30000 });
  console.log(`# the second tab said "open in another tab" after ${told} ms`);
  assert.deepEqual(errors, []);
  assert.deepEqual(errors2, []);
});
