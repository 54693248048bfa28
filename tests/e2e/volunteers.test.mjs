// End-to-end volunteers: the sample's teams and volunteers are listed; an in-service party
// member from a workplace is added (refused first, with the problems next to their fields),
// joins a new team, becomes its leader, and is found by skill and by team; a resident becomes a
// volunteer by search; all of it survives a reload; on a phone the list does not scroll sideways.
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

test('volunteers and teams: add, link, lead, filter, reload', async () => {
  const profile = newProfileDir();
  const b = await launch(profile);
  opened.push(b.context);
  const app = new App(b.page, server.url);
  const page = b.page;
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });
  await app.nav('志愿者');
  await page.getByRole('heading', { name: '志愿者与服务队', level: 1 }).waitFor();
  await page.locator('ul.teams li').filter({ hasText: '楼院发声员' }).waitFor();
  const total = Number((await page.locator('.count').innerText()).replace(/\D/g, ''));
  assert.ok(total >= 40 && total <= 80, `sample volunteers: ${total}`);
  await shot(page, 'volunteers-01-list');

  // A new team.
  await page.getByRole('button', { name: '新建队伍' }).click();
  await page.getByLabel('队伍名称').fill('应急救援队');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('ul.teams li').filter({ hasText: '应急救援队' }).waitFor();

  // An in-service party member: first with what is missing.
  await page.getByRole('link', { name: '新增志愿者' }).click();
  await page.getByRole('checkbox', { name: '在职党员到社区报到' }).check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('.field.has-error').filter({ hasText: '姓名' }).getByText('必填').waitFor();
  await page.getByText('在职党员报到需为中共党员').waitFor();
  await page.getByLabel('姓名').fill('程立华');
  await page.getByLabel('联系电话').fill('139 0371 2288');
  await page.getByRole('checkbox', { name: '中共党员' }).check();
  await page.getByLabel('工作单位').fill('区人民医院');
  await page.getByRole('checkbox', { name: '便民服务员' }).check();
  await page.getByRole('checkbox', { name: '医疗' }).check();
  await page.getByRole('checkbox', { name: '周末' }).check();
  await page.getByRole('checkbox', { name: '应急救援队' }).check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存').waitFor();
  await page.waitForURL(/\/volunteers\/[0-9a-f-]{36}$/);
  assert.equal(await page.getByLabel('联系电话').inputValue(), '13903712288');

  // The team gets its leader.
  await app.nav('志愿者');
  const row = page.locator('ul.teams li').filter({ hasText: '应急救援队' });
  await row.getByRole('button', { name: '修改' }).click();
  await page.getByLabel('队长').selectOption({ label: '程立华' });
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await row.getByText(/1 人 · 队长: 程立华/).waitFor();

  // Found by skill and by team.
  await page.getByLabel('按技能筛选').selectOption({ label: '医疗' });
  await page.waitForURL(/skill=medical/);
  await page.locator('table.volunteer-list tbody tr').filter({ hasText: '程立华' }).waitFor();
  const skills = await page.locator('table.volunteer-list tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(skills.every((s) => s.includes('医疗')), skills.join(' | '));
  await row.getByRole('link', { name: '应急救援队' }).click();
  await page.waitForURL(/team=/);
  await page.locator('.count').filter({ hasText: /^共 1$/ }).waitFor();

  // A resident becomes a volunteer: picked by search, name and grid come along.
  await page.getByRole('link', { name: '新增志愿者' }).click();
  await page.locator('#resident-search').fill('王');
  await page.locator('ul.picker button').first().click();
  await page.getByText(/本社区居民:/).waitFor();
  const name = await page.getByLabel('姓名').inputValue();
  assert.ok(name.startsWith('王'), name);
  await page.getByRole('checkbox', { name: '维修' }).check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存').waitFor();

  // Reload: all there.
  await page.reload();
  await page.getByText(/本社区居民:/).waitFor();
  assert.equal(await page.getByRole('checkbox', { name: '维修' }).isChecked(), true);
  await app.open('/volunteers?q=' + encodeURIComponent('程立华'));
  await page.locator('table.volunteer-list tbody tr').filter({ hasText: '应急救援队' }).waitFor();
  await b.context.close();

  // On a phone.
  const p = await launch(profile, { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(p.context);
  await new App(p.page, server.url).open('/volunteers');
  await p.page.locator('table.volunteer-list tbody tr').first().waitFor();
  assert.equal(await horizontalOverflow(p.page), 0);
  await shot(p.page, 'volunteers-02-phone');
});
