// End-to-end cases: a grid worker reports a case on a phone; at the desk it goes through every
// step to the resident's rating; another case is returned and escalated; the timeline and the
// figures are right, and everything is still there after a reload.
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

async function report(page, app, title) {
  await app.open('/cases/new');
  await page.getByLabel('事件类别').selectOption({ label: '市容环境 › 暴露垃圾' });
  await page.getByText(/4 个工作时|4个工作时/).waitFor();
  await page.getByLabel('事件标题').fill(title);
  await page.getByLabel('详细描述').fill('3号楼东侧垃圾两天未清运');
  await page.getByLabel('所属网格').selectOption({ index: 2 });
  await page.getByLabel('反映人', { exact: true }).fill('李大爷');
  await page.getByLabel('反映人电话').fill('13800138000');
  await page.getByRole('button', { name: '上报', exact: true }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
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
  await report(b.page, app, 'E2E 楼下垃圾堆积');
  assert.equal(await horizontalOverflow(b.page), 0);
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
  await b.page.getByRole('button', { name: '确认' }).click();
  await b.page.locator('.timeline li').filter({ hasText: '结果反馈' }).waitFor();
  await c.move('核查', { remark: '现场已清理' });
  await c.move('结案');
  await c.move('评价', { rating: '基本满意', remark: '处理及时' });
  assert.equal(await c.state(), '已评价');
  assert.deepEqual(await c.timeline(), ['上报', '受理立案', '派单', '开始处置', '结果反馈', '核查', '结案', '评价']);
  await shot(b.page, 'cases-02-rated-timeline');

  // Another case: returned with a reason, then escalated to the street.
  await report(b.page, app, 'E2E 楼道飞线充电');
  await c.move('受理立案');
  await c.move('退回', { remark: '信息不全，请补充位置' });
  assert.equal(await c.state(), '待受理');
  await c.move('受理立案');
  await c.move('上报街道', { remark: '涉及多个部门' });
  assert.equal(await c.state(), '已上报街道');

  // The list and its figures over a search: 2 received, 1 closed (50%), satisfaction 100%.
  await app.nav('事件');
  await b.page.getByRole('searchbox').fill('E2E');
  await b.page.getByRole('searchbox').press('Enter');
  await b.page.waitForURL(/q=E2E/);
  const fig = (label) => b.page.locator('.figures div').filter({ has: b.page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').innerText();
  // Wait for the filtered page (the unfiltered one may still be showing).
  await b.page.locator('.count').filter({ hasText: /^共 2$/ }).waitFor();
  assert.equal(await fig('受理'), '2');
  assert.equal(await fig('办结'), '1');
  assert.equal(await fig('办结率'), '50.0%');
  assert.equal(await fig('满意率'), '100.0%');
  await shot(b.page, 'cases-03-list');

  // Reload: all of it is still there.
  await b.page.reload();
  await b.page.locator('.case-item').filter({ hasText: 'E2E 楼下垃圾堆积' }).waitFor();
  await b.page.locator('.case-item').filter({ hasText: 'E2E 楼道飞线充电' }).getByText('已上报街道').waitFor();
});
