// End-to-end attendance and the time bank: a shift marked done by the team leader and a task
// logged by hand make a volunteer's hours grow by exactly their lengths; the community's time
// bank lists them; on a phone the volunteer checks in and out of a shift starting now; the
// roster's list view (the printable roster) shows the times.
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

/** China-time date and HH:MM of an instant (the browsers run in Asia/Shanghai). */
function cst(ms) {
  const iso = new Date(ms + 8 * 3600e3).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

async function addShift(page, { title, date, start, end }) {
  await page.getByRole('button', { name: '新增班次' }).click();
  await page.getByLabel('班次名称').fill(title);
  await page.getByLabel('日期').fill(date);
  await page.getByLabel('开始时间').fill(start);
  await page.getByLabel('结束时间').fill(end);
  await page.getByLabel('需要人数').fill('1');
  await page.getByLabel('每周重复（周数）').fill('1');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('article.shift').filter({ hasText: title }).first().waitFor();
}

async function totalHours(page, id) {
  await page.goto(`${server.url}/volunteers/${id}`);
  const total = page.locator('#volunteer-total strong');
  await total.waitFor();
  return Number(await total.innerText());
}

test('hours grow with a done shift and a task; a phone checks in and out', async () => {
  const profile = newProfileDir();
  const b = await launch(profile);
  opened.push(b.context);
  const page = b.page;
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });

  // Yesterday 09:00–11:00, one volunteer on it.
  const yesterday = cst(Date.now() - 24 * 3600e3).date;
  await app.open(`/roster?week=${yesterday}`);
  await page.locator('.week-label').waitFor();
  await addShift(page, { title: 'E2E 昨日助老', date: yesterday, start: '09:00', end: '11:00' });
  const past = page.locator('article.shift').filter({ hasText: 'E2E 昨日助老' });
  const option = past.locator('.assign select option[value^="v:"]').first();
  const who = await option.innerText();
  const id = (await option.getAttribute('value')).slice(2);
  await past.locator('.assign select').selectOption({ label: who });
  await past.locator('.people li').filter({ hasText: who }).waitFor();

  const t0 = await totalHours(page, id);
  // The team leader marks it done: two hours more.
  await app.open(`/roster?week=${yesterday}`);
  await page.locator('article.shift').filter({ hasText: 'E2E 昨日助老' }).getByLabel(`${who} 出勤`).selectOption('done');
  // Kept: reloaded, the roster says so.
  for (let i = 0; ; i++) {
    await page.waitForTimeout(300);
    await page.reload();
    const sel = page.locator('article.shift').filter({ hasText: 'E2E 昨日助老' }).getByLabel(`${who} 出勤`);
    await sel.waitFor();
    if (await sel.inputValue() === 'done') break;
    assert.ok(i < 10, 'the attendance was not saved');
  }
  const t1 = await totalHours(page, id);
  assert.ok(Math.abs(t1 - t0 - 2) < 0.01, `done shift: ${t0} → ${t1}`);

  // A task logged by hand: a bad entry is refused next to its field, then 1.5 hours.
  await page.getByLabel('服务内容').fill('陪同独居老人就医');
  await page.getByLabel('时长（小时）').fill('0');
  await page.getByRole('button', { name: '登记任务时长' }).last().click();
  await page.locator('.field.has-error').filter({ hasText: '时长（小时）' }).waitFor();
  await page.getByLabel('时长（小时）').fill('1.5');
  await page.getByRole('button', { name: '登记任务时长' }).last().click();
  await page.getByText('已登记。').waitFor();
  await page.waitForFunction((want) => Number(document.querySelector('#volunteer-total strong')?.textContent) >= want, t1 + 1.5 - 0.01);
  const t2 = Number(await page.locator('#volunteer-total strong').innerText());
  assert.ok(Math.abs(t2 - t1 - 1.5) < 0.01, `task: ${t1} → ${t2}`);
  await page.getByText(/时长明细/).click();
  await page.locator('.hours-entries li').filter({ hasText: '陪同独居老人就医' }).waitFor();
  await shot(page, 'hours-01-volunteer');

  // The community's time bank has the volunteer with the same total.
  await app.open('/hours');
  const row = page.locator('#volunteer-hours tr').filter({ hasText: who });
  await row.waitFor();
  assert.equal(Number(await row.locator('td.num strong').innerText()), t2);
  const community = Number(await page.locator('#community-hours strong').first().innerText());
  assert.ok(community >= t2);
  await shot(page, 'hours-02-time-bank');

  // A case the volunteer helped with: an hour, named after the case, from the case's page.
  await app.open('/cases');
  const firstCase = page.locator('ul.case-list li a').first();
  await firstCase.click();
  await page.getByText('为协助处置的志愿者登记服务时长').click();
  await page.locator('#case-hours-volunteer').selectOption(`${id}`);
  await page.locator('#case-hours-hours').fill('1');
  await page.getByRole('form', { name: '为协助处置的志愿者登记服务时长' }).getByRole('button', { name: '登记任务时长' }).click();
  await page.getByText(`已登记服务时长： ${who}`).waitFor();
  const t3 = await totalHours(page, id);
  assert.ok(Math.abs(t3 - t2 - 1) < 0.01, `case task: ${t2} → ${t3}`);
  await page.getByText(/时长明细/).click();
  await page.locator('.hours-entries li').filter({ hasText: '协助处置事件：' }).waitFor();

  // A shift starting in ten minutes, for the same volunteer.
  const start = Date.now() + 10 * 60e3;
  const s = cst(start);
  const e = cst(start + 2 * 3600e3);
  await app.open(`/roster?week=${s.date}`);
  await page.locator('.week-label').waitFor();
  await addShift(page, { title: 'E2E 签到班', date: s.date, start: s.time, end: e.time });
  const now = page.locator('article.shift').filter({ hasText: 'E2E 签到班' });
  await now.locator('.assign select').selectOption(`v:${id}`);
  await now.locator('.people li').filter({ hasText: who }).waitFor();
  await b.context.close();

  // On the phone: 我的值班, check in, check out.
  const p = await launch(profile, { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(p.context);
  await new App(p.page, server.url).open(`/duty?who=${id}`);
  const duty = p.page.locator('ol.duties li').filter({ hasText: 'E2E 签到班' });
  await duty.getByRole('button', { name: '签到' }).click();
  await duty.getByText(/已签到 \d\d:\d\d/).waitFor();
  await duty.getByRole('button', { name: '签退' }).click();
  await duty.getByText(/已签退 \d\d:\d\d/).waitFor();
  await duty.locator('.badge').filter({ hasText: '已完成' }).waitFor();
  assert.equal(await duty.getByRole('button', { name: /签到|签退/ }).count(), 0);
  assert.equal(await horizontalOverflow(p.page), 0);
  await shot(p.page, 'hours-03-phone-checked-out');

  // The list view (the printable roster) shows who came, with the times.
  await p.page.goto(`${server.url}/roster?week=${s.date}&view=list`);
  const line = p.page.locator('#roster-list tr').filter({ hasText: 'E2E 签到班' });
  await line.waitFor();
  assert.match(await line.innerText(), new RegExp(`${who}（已完成） \\d\\d:\\d\\d–\\d\\d:\\d\\d`));
  await shot(p.page, 'hours-04-roster-list');
});
