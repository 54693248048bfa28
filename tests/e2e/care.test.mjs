// End-to-end key-group care on a phone (390×844): the overdue visits on the home page and on
// 重点人群; a grid worker opens the most overdue person, records a visit with a need (refused
// first without who went), sees the person leave the overdue list, turns the need into a case
// in one more step (the case form comes filled in) and finds the case linked on the visit;
// a resident moves out and stays findable under 已迁出 with the move in their history; a party
// member is added with a 党员中心户 and the counts change. Nothing scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newProfileDir, launch, shot, horizontalOverflow, App, SetupPage } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

const num = async (loc) => Number((await loc.innerText()).trim());

test('visits planned, recorded on a phone, and followed up', async () => {
  const b = await launch(newProfileDir(), { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(b.context);
  const page = b.page;
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });

  // The home page shows the overdue visits.
  await page.locator('#home-visits').waitFor();
  const homeOverdue = await num(page.locator('#home-visits-overdue'));
  assert.ok(homeOverdue > 0, 'the sample has overdue visits');
  assert.equal(await horizontalOverflow(page), 0);

  await app.nav('重点人群');
  await page.getByRole('heading', { name: '重点人群关爱', level: 1 }).waitFor();
  await page.locator('ul.care-list li').first().waitFor();
  assert.equal(await num(page.locator('#care-overdue')), homeOverdue);
  // The cadences of the key groups are there, and editable.
  assert.equal(await page.getByLabel('独居老人 走访周期').inputValue(), '7');
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'care-01-list-phone');

  // The most overdue person.
  const first = page.locator('ul.care-list li').first();
  assert.match(await first.innerText(), /逾期 \d+ 天/);
  const name = (await first.locator('.line1 a').innerText()).trim();
  await first.locator('.line1 a').click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  assert.match(await page.locator('#care-due').innerText(), /逾期 \d+ 天/);

  // Who went is required; then the visit is saved with a need.
  await page.getByLabel('走访人').fill('');
  await page.getByLabel('较差').check();
  await page.getByLabel('发现的需求').fill('卫生间扶手松动，需要维修');
  await page.getByRole('button', { name: '保存走访记录' }).click();
  await page.locator('.field.has-error', { hasText: '走访人' }).waitFor();
  await page.getByLabel('走访人').fill('李网格');
  await page.getByRole('button', { name: '保存走访记录' }).click();
  await page.locator('#visit-saved').waitFor();
  await page.locator('#care-due', { hasText: '按期走访中' }).waitFor();
  assert.match(await page.locator('ul.timeline.visits li').first().innerText(), /李网格 · 较差[\s\S]*卫生间扶手松动/);
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'care-02-visit-phone');

  // The need becomes a case: the form comes filled in and linked to the visit.
  await page.getByRole('link', { name: '转为事件' }).click();
  await page.waitForURL(/\/cases\/new\?visit=/);
  await page.locator('#title').waitFor();
  assert.equal(await page.locator('#title').inputValue(), '卫生间扶手松动，需要维修');
  const cat = page.locator('#category');
  // The categories arrive from the worker after the form paints: wait for a real one.
  await cat.locator('option:not([value=""])').first().waitFor({ state: 'attached' });
  const options = await cat.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  await cat.selectOption(options[0]);
  await page.getByRole('button', { name: '上报', exact: true }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);

  // Back on the list: one fewer overdue, and the case is on the visit.
  await app.open('/care');
  await page.locator('ul.care-list li').first().waitFor();
  await page.waitForFunction((n) => Number(document.querySelector('#care-overdue')?.textContent) === n, homeOverdue - 1);
  assert.ok(!(await page.locator('ul.care-list li .line1 a').allInnerTexts()).includes(name) ||
    (await page.locator('ul.care-list li', { hasText: name }).count()) < 2);
  await page.locator('ul.care-list').waitFor();
  await app.open('/');
  await page.locator('#home-visits').waitFor();
  assert.equal(await num(page.locator('#home-visits-overdue')), homeOverdue - 1);
  assert.deepEqual(b.errors, []);
});

test('a resident moves out and stays findable; party members and 党员中心户', async () => {
  const b = await launch(newProfileDir(), { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(b.context);
  const page = b.page;
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });

  await app.nav('居民');
  await page.locator('table.list tbody tr').first().waitFor();
  const row = page.locator('table.list tbody tr').nth(3);
  const name = (await row.locator('td a').first().innerText()).trim();
  await row.locator('td a').first().click();
  await page.getByRole('link', { name: '关爱走访与变动' }).click();
  await page.getByRole('heading', { name: '居住状态变动', level: 2 }).waitFor();
  await page.locator('#status_kind').selectOption('moved_out');
  await page.getByLabel('备注').last().fill('购房迁往外区');
  await page.getByRole('button', { name: '保存变动' }).click();
  await page.locator('ul.timeline.events li', { hasText: '迁出本社区' }).waitFor();
  await page.locator('h1 .badge', { hasText: '已迁出' }).waitFor();

  // Not among the residents here; found under 已迁出.
  await app.open(`/residents?q=${encodeURIComponent(name)}`);
  await page.locator('.count').waitFor();
  assert.equal(await page.locator('table.list tbody tr', { hasText: '已迁出' }).count(), 0);
  await page.locator('#status-filter').selectOption('moved_out');
  await page.locator('table.list tbody tr', { hasText: name }).waitFor();
  assert.match(await page.locator('table.list tbody tr', { hasText: name }).first().innerText(), /已迁出/);

  // Party organisation: a member from the residents, whose household becomes a 党员中心户.
  await app.open('/party');
  await page.getByRole('heading', { name: '网格党建', level: 1 }).waitFor();
  const members = await num(page.locator('#party-members'));
  const centers = await num(page.locator('#party-centers'));
  const org = page.locator('#member_org');
  const orgs = await org.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  await org.selectOption(orgs[0]);
  await page.locator('#member-resident').fill('王');
  await page.locator('ul.picker button').first().click();
  await page.locator('p.picked').waitFor();
  await page.getByLabel('设为党员中心户（其住户）').check();
  await page.getByRole('button', { name: '保存' }).last().click();
  await page.waitForFunction((n) => Number(document.querySelector('#party-members')?.textContent) === n, members + 1);
  assert.equal(await num(page.locator('#party-centers')), centers + 1);
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'care-03-party-phone');
  assert.deepEqual(b.errors, []);
});
