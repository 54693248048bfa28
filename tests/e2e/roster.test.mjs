// End-to-end roster: the sample's week shows its shifts, under-staffing and double-bookings; a
// night duty across midnight is added and repeated for four weeks; one volunteer put on it and
// on an early shift the next morning is flagged double-booked on both; taken off, the warning
// goes; attendance is marked; the repeat is there next week; a phone shows the week without
// sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, newProfileDir, launch, shot, horizontalOverflow, App, SetupPage } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

/** Monday of this week in China time (the browsers run in Asia/Shanghai), plus n days. */
function day(n) {
  const d = new Date(Date.now() + 8 * 3600e3);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + n);
  return d.toISOString().slice(0, 10);
}

/** Moves a week and waits for the new week to show. */
async function goWeek(page, button) {
  const label = page.locator('.week-label');
  const before = await label.innerText();
  await page.getByRole('button', { name: button }).click();
  await page.waitForFunction((b) => document.querySelector('.week-label')?.textContent !== b, before);
}

async function addShift(page, { title, date, start, end, needed, weeks }) {
  await page.getByRole('button', { name: '新增班次' }).click();
  await page.getByLabel('班次名称').fill(title);
  await page.getByLabel('日期').fill(date);
  await page.getByLabel('开始时间').fill(start);
  await page.getByLabel('结束时间').fill(end);
  await page.getByLabel('需要人数').fill(String(needed));
  await page.getByLabel('每周重复（周数）').fill(String(weeks));
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('article.shift').filter({ hasText: title }).first().waitFor();
}

test('a roster with a night duty repeated weekly, a double-booking found and resolved', async () => {
  const profile = newProfileDir();
  const b = await launch(profile);
  opened.push(b.context);
  const page = b.page;
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });
  await app.nav('排班');
  await page.getByRole('heading', { name: '值班排班', level: 1 }).waitFor();
  await page.locator('article.shift').first().waitFor();
  assert.ok(await page.locator('article.shift').count() >= 4, 'the sample has this week planned');
  await shot(page, 'roster-01-week');

  // Refused with the problem next to the field.
  await page.getByRole('button', { name: '新增班次' }).click();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('.field.has-error').filter({ hasText: '班次名称' }).waitFor();
  await page.getByRole('button', { name: '取消' }).click();

  // Next week (always wholly in the future).
  await goWeek(page, '下一周');
  assert.ok((await page.locator('.week-label').innerText()).startsWith(day(7)));
  await addShift(page, { title: 'E2E 夜间值班', date: day(9), start: '22:00', end: '06:00', needed: 1, weeks: 4 });
  await addShift(page, { title: 'E2E 早班', date: day(10), start: '05:00', end: '08:00', needed: 1, weeks: 1 });
  const night = page.locator('article.shift').filter({ hasText: 'E2E 夜间值班' });
  const early = page.locator('article.shift').filter({ hasText: 'E2E 早班' });
  assert.match(await night.locator('.time').innerText(), /22:00–06:00/);
  // The same volunteer on both.
  const who = await night.locator('.assign select option[value^="v:"]').first().innerText();
  await night.locator('.assign select').selectOption({ label: who });
  await night.locator('.people li').filter({ hasText: who }).waitFor();
  await early.locator('.assign select').selectOption({ label: who });
  await early.locator('.people li').filter({ hasText: who }).getByText('重复排班').waitFor();
  await night.locator('.people li').filter({ hasText: who }).getByText('重复排班').waitFor();
  await shot(page, 'roster-02-double-booked');
  // Resolved: off the early shift.
  await early.getByRole('button', { name: `移出 ${who}` }).click();
  await early.locator('.people li').first().waitFor({ state: 'detached' });
  assert.equal(await night.getByText('重复排班').count(), 0);
  assert.match(await early.locator('header .badge').innerText(), /缺人 0\/1/);
  // Attendance.
  await night.getByLabel(`${who} 出勤`).selectOption({ label: '已完成' });
  await page.waitForFunction(() => true);
  // Next week: the repeat is there, same time.
  await goWeek(page, '下一周');
  await page.locator('article.shift').filter({ hasText: 'E2E 夜间值班' }).locator('.time').filter({ hasText: '22:00–06:00' }).waitFor();
  assert.equal(await page.locator('article.shift').filter({ hasText: 'E2E 早班' }).count(), 0);
  // Back, reloaded: the attendance was kept.
  await goWeek(page, '上一周');
  assert.ok((await page.locator('.week-label').innerText()).startsWith(day(7)));
  await page.reload();
  await page.locator('article.shift').filter({ hasText: 'E2E 夜间值班' }).first().waitFor();
  assert.equal(await page.locator('article.shift').filter({ hasText: 'E2E 夜间值班' }).getByLabel(`${who} 出勤`).inputValue(), 'done');
  await b.context.close();

  const p = await launch(profile, { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(p.context);
  await new App(p.page, server.url).open('/roster');
  await p.page.locator('article.shift').first().waitFor();
  assert.equal(await horizontalOverflow(p.page), 0);
  await shot(p.page, 'roster-03-phone');

  // 我的值班 on the phone: the volunteer's duties, and a calendar file a real parser reads.
  await p.page.getByRole('link', { name: '我的值班' }).click();
  await p.page.getByLabel('谁的值班').selectOption({ label: who });
  await p.page.waitForURL(/who=/);
  const duties = p.page.locator('ol.duties li');
  await duties.filter({ hasText: 'E2E 夜间值班' }).first().waitFor();
  assert.equal(await duties.filter({ hasText: 'E2E 夜间值班' }).count(), 1, 'on next week\'s night duty only');
  assert.equal(await horizontalOverflow(p.page), 0);
  await shot(p.page, 'roster-04-my-duties');
  const [download] = await Promise.all([
    p.page.waitForEvent('download'),
    p.page.getByRole('button', { name: /加入手机日历/ }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.ics$/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-ics-')), 'duty.ics');
  await download.saveAs(file);
  const parsed = JSON.parse(execFileSync('python3', ['-c', `
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
print(json.dumps([[str(e.get('SUMMARY')), e.decoded('DTSTART').isoformat(), e.decoded('DTEND').isoformat()] for e in cal.walk('VEVENT')]))
`, file]).toString());
  const nights = parsed.filter((e) => e[0] === 'E2E 夜间值班');
  assert.equal(nights.length, 1);
  assert.ok(nights[0][1].startsWith(day(9)), nights[0][1]);
  assert.equal(parsed.length, await duties.count());
  // 22:00–06:00 China time is 14:00–22:00 UTC.
  assert.ok(nights.every(([, s, e]) => s.endsWith('T14:00:00+00:00') && e.endsWith('T22:00:00+00:00')), JSON.stringify(nights));
});
