// End-to-end cases: a grid worker reports a case on a phone with a photo (downscaled in the
// browser) and a reporter picked from the residents; at the desk it goes through every step to
// the resident's rating, with a photo of the result; another case, placed at a household, is
// returned and escalated; the timeline, the printed sheet, the filters and the figures are
// right, and everything is still there after a reload. Then the street office gets the
// escalated case in its queue from the community's bundle, dispatches it, and the community
// sees the street's step after importing the street's bundle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, newProfileDir, launch, shot, horizontalOverflow, App, SetupPage, ExchangePage, setupStreet, cameraPhoto } from './lib.mjs';

let server;
const opened = [];
const files = fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-cases-'));
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

class CasePage {
  constructor(page) {
    this.page = page;
  }
  /** Makes a move offered on the case page, filling what it needs. */
  async move(name, { remark, assignee, rating } = {}) {
    const p = this.page;
    await p.getByRole('button', { name, exact: true }).click();
    if (assignee) await p.getByLabel('承办人').fill(assignee);
    if (rating) await p.getByLabel('评价', { exact: true }).selectOption({ label: rating });
    if (remark) await p.locator('#remark').fill(remark);
    await p.getByRole('button', { name: '确认' }).click();
    await p.locator('.timeline li').filter({ hasText: name }).last().waitFor();
  }
  async state() {
    return (await this.page.locator('.card .badge').first().innerText()).trim();
  }
  timeline() {
    return this.page.locator('.timeline li strong').allInnerTexts();
  }
}

/** Reports a case; `reporter` picks a resident by search, `household` a place by address. */
async function report(page, app, title, { photo = null, reporter = null, household = null } = {}) {
  await app.open('/cases/new');
  await page.getByLabel('事件类别').selectOption({ label: '市容环境 › 暴露垃圾' });
  await page.getByText(/4 个工作时|4个工作时/).waitFor();
  await page.getByLabel('事件标题').fill(title);
  await page.getByLabel('详细描述').fill('3号楼东侧垃圾两天未清运');
  if (household) {
    await page.locator('#place-search').fill(household);
    await page.locator('ul.picker button').first().click();
    await page.locator('fieldset.place .picked').waitFor();
  } else {
    await page.getByLabel('所属网格').selectOption({ index: 2 });
  }
  if (reporter) {
    await page.locator('#reporter-search').fill(reporter);
    await page.locator('fieldset.reporter ul.picker button').first().click();
    await page.locator('fieldset.reporter .picked').waitFor();
  } else {
    await page.getByLabel('反映人', { exact: true }).fill('李大爷');
    await page.getByLabel('反映人电话').fill('13800138000');
  }
  if (photo) {
    await page.locator('#photos').setInputFiles(photo);
    await page.locator('.thumbs img').first().waitFor();
  }
  await page.getByRole('button', { name: '上报', exact: true }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

/** The natural sizes of the photos shown in the timeline, once they have loaded. */
async function photoSizes(page, n) {
  await page.waitForFunction((n) => [...document.querySelectorAll('img.photo')].filter((i) => i.complete && i.naturalWidth > 0).length >= n, n);
  return page.locator('img.photo').evaluateAll((imgs) => imgs.map((i) => [i.naturalWidth, i.naturalHeight]));
}

test('a case goes from a phone report to the rating; another is returned and escalated', async () => {
  const profile = newProfileDir();
  // On a phone: load the sample and report a case.
  let b = await launch(profile, { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(b.context);
  let app = new App(b.page, server.url);
  await app.open('/');
  await new SetupPage(b.page).waitForIt();
  await new SetupPage(b.page).loadSample();
  await b.page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });
  await app.open('/cases/new');
  await b.page.getByLabel('事件类别').waitFor();
  assert.equal(await horizontalOverflow(b.page), 0);
  await report(b.page, app, 'E2E 楼下垃圾堆积', { photo: await cameraPhoto(b.page, { text: '垃圾堆积' }), reporter: '王' });
  assert.equal(await horizontalOverflow(b.page), 0);
  // Downscaled in the browser: the longest side is 1600 px.
  assert.deepEqual(await photoSizes(b.page, 1), [[1600, 1067]]);
  assert.match(await b.page.locator('.facts').innerText(), /反映人\s+王/);
  await shot(b.page, 'cases-01-phone-reported');
  const caseUrl = b.page.url();
  await b.context.close();

  // At the desk: every step to the rating.
  b = await launch(profile);
  opened.push(b.context);
  app = new App(b.page, server.url);
  await b.page.goto(caseUrl);
  const c = new CasePage(b.page);
  assert.equal(await c.state(), '待受理');
  // Only legal moves are offered.
  assert.equal(await b.page.getByRole('button', { name: '结案', exact: true }).count(), 0);
  await c.move('受理立案');
  await c.move('派单', { assignee: '王网格员' });
  await c.move('开始处置');
  // Feedback needs a note: refused next to the field, nothing recorded.
  await b.page.getByRole('button', { name: '结果反馈', exact: true }).click();
  await b.page.getByRole('button', { name: '确认' }).click();
  await b.page.getByText('请填写处置结果').waitFor();
  await b.page.locator('#remark').fill('已联系环卫清运完毕');
  await b.page.locator('#move-photos').setInputFiles(await cameraPhoto(b.page, { text: '垃圾堆积' }));
  await b.page.locator('.move-form .thumbs img').waitFor();
  await b.page.getByRole('button', { name: '确认' }).click();
  await b.page.locator('.timeline li').filter({ hasText: '结果反馈' }).waitFor();
  // The result photo sits with its step.
  await b.page.locator('.timeline li').filter({ hasText: '结果反馈' }).locator('img.photo').waitFor();
  await c.move('核查', { remark: '现场已清理' });
  await c.move('结案');
  await c.move('评价', { rating: '基本满意', remark: '处理及时' });
  assert.equal(await c.state(), '已评价');
  assert.deepEqual(await c.timeline(), ['上报', '受理立案', '派单', '开始处置', '结果反馈', '核查', '结案', '评价']);
  await shot(b.page, 'cases-02-rated-timeline');
  // The printed sheet: the case, both photos and the whole timeline, no buttons.
  await b.page.emulateMedia({ media: 'print' });
  assert.equal(await b.page.getByRole('button', { name: '打印事件单' }).isVisible(), false);
  assert.equal(await b.page.locator('img.photo:visible').count(), 2);
  assert.equal(await b.page.locator('.timeline li:visible').count(), 8);
  assert.equal(await b.page.getByText('事件办理单').isVisible(), true);
  await shot(b.page, 'cases-02b-print');
  await b.page.emulateMedia({ media: 'screen' });

  // Another case, at a household: returned with a reason, then escalated to the street.
  await report(b.page, app, 'E2E 楼道飞线充电', { household: '2号楼 1单元 101' });
  assert.match(await b.page.locator('.facts').innerText(), /住户\s+2号楼1单元101/);
  await c.move('受理立案');
  await c.move('退回', { remark: '信息不全，请补充位置' });
  assert.equal(await c.state(), '待受理');
  await c.move('受理立案');
  await c.move('上报街道', { remark: '涉及多个部门' });
  assert.equal(await c.state(), '已上报街道');

  // The list and its figures over a search: 2 received, 1 closed (50%), satisfaction 100%.
  await app.nav('事件');
  await b.page.locator('#case-search').fill('E2E');
  await b.page.locator('#case-search').press('Enter');
  await b.page.waitForURL(/q=E2E/);
  const fig = (label) => b.page.locator('.figures div').filter({ has: b.page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').innerText();
  // Wait for the filtered page (the unfiltered one may still be showing).
  await b.page.locator('.count').filter({ hasText: /^共 2$/ }).waitFor();
  assert.equal(await fig('受理'), '2');
  assert.equal(await fig('办结'), '1');
  assert.equal(await fig('办结率'), '50.0%');
  assert.equal(await fig('满意率'), '100.0%');
  await shot(b.page, 'cases-03-list');
  // Filters: channel (both are patrol reports), assignee, today's date, the deadline order.
  await b.page.getByLabel('按渠道筛选').selectOption({ label: '12345热线' });
  await b.page.locator('.count').filter({ hasText: /^共 0$/ }).waitFor();
  await b.page.getByLabel('按渠道筛选').selectOption({ label: '网格巡查' });
  await b.page.locator('.count').filter({ hasText: /^共 2$/ }).waitFor();
  await b.page.locator('#case-assignee').fill('王网格员');
  await b.page.locator('#case-assignee').press('Enter');
  await b.page.locator('.count').filter({ hasText: /^共 1$/ }).waitFor();
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  await b.page.locator('#case-from').fill(today);
  await b.page.locator('#case-to').fill(today);
  await b.page.waitForURL(/to=/);
  await b.page.locator('.count').filter({ hasText: /^共 1$/ }).waitFor();
  await b.page.locator('#case-from').fill('2020-01-01');
  await b.page.locator('#case-to').fill('2020-01-31');
  await b.page.locator('.count').filter({ hasText: /^共 0$/ }).waitFor();
  await app.open('/cases?sort=deadline&overdue=true');
  await b.page.locator('.case-item').first().waitFor();
  const deadlines = await b.page.locator('.case-item .meta.deadline').allInnerTexts();
  assert.ok(deadlines.length > 1);
  assert.deepEqual([...deadlines].sort(), deadlines, 'nearest deadline first');
  await shot(b.page, 'cases-03b-overdue-by-deadline');
  await app.open('/cases?q=E2E');

  // Reload: all of it is still there.
  await b.page.reload();
  await b.page.locator('.case-item').filter({ hasText: 'E2E 楼下垃圾堆积' }).waitFor();
  await b.page.locator('.case-item').filter({ hasText: 'E2E 楼道飞线充电' }).getByText('已上报街道').waitFor();
  await b.context.close();

  // The street office: the community's bundle (with photos) puts the case in its queue.
  b = await launch(profile);
  opened.push(b.context);
  app = new App(b.page, server.url);
  await app.open('/');
  const ex = new ExchangePage(b.page, app);
  await ex.open();
  const fromCommunity = await ex.export({ mask: false, photos: true, file: path.join(files, 'community.gridledger.json') });
  const sent = JSON.parse(fs.readFileSync(fromCommunity, 'utf8'));
  assert.equal(sent.counts.case_photos, 2);
  const streetProfile = newProfileDir();
  const s = await launch(streetProfile);
  opened.push(s.context);
  const sApp = new App(s.page, server.url);
  await sApp.open('/');
  const setup = new SetupPage(s.page);
  await setup.waitForIt();
  await setupStreet(s.page, setup);
  const sEx = new ExchangePage(s.page, sApp);
  await sEx.open();
  await sEx.choose(fromCommunity);
  await sEx.preview();
  await sEx.apply();
  await sApp.nav('事件');
  await s.page.getByRole('link', { name: /街道待办/ }).click();
  await s.page.getByRole('heading', { name: /街道待办/, level: 1 }).waitFor();
  await s.page.locator('.case-item').first().waitFor();
  await shot(s.page, 'cases-04-street-queue');
  await s.page.locator('#case-search').fill('E2E');
  await s.page.locator('#case-search').press('Enter');
  await s.page.locator('.count').filter({ hasText: /^共 1$/ }).waitFor();
  await s.page.locator('.case-item a').filter({ hasText: 'E2E 楼道飞线充电' }).click();
  const sc = new CasePage(s.page);
  await sc.move('派单', { assignee: '区城管执法局' });
  assert.equal(await sc.state(), '已派单');
  // The street's bundle for the community carries the street's step back.
  await sEx.open();
  const fromStreet = await sEx.export({ mask: false, file: path.join(files, 'street.gridledger.json') });
  await ex.open();
  await ex.choose(fromStreet);
  await ex.preview();
  await ex.apply();
  await app.open('/cases?q=' + encodeURIComponent('飞线'));
  await b.page.locator('.case-item a').filter({ hasText: 'E2E 楼道飞线充电' }).click();
  await b.page.locator('.timeline li').filter({ hasText: '区城管执法局' }).waitFor();
  assert.equal(await new CasePage(b.page).state(), '已派单');
  assert.deepEqual(await b.page.locator('.timeline li strong').allInnerTexts(), ['上报', '受理立案', '退回', '受理立案', '上报街道', '派单']);
});
