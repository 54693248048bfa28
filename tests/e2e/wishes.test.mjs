// End-to-end micro-wishes (微心愿), on a phone: the sample's claim list; a resident's wish is
// recorded (the wisher picked by search) and published; it is claimed for a volunteer,
// fulfilled with a note, the minutes spent and a photo (downscaled in the browser; refused
// first without the note), and thanked; the timeline shows every step and survives a reload;
// the wish is found under 已致谢. Nothing scrolls sideways at 390×844.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newProfileDir, launch, shot, horizontalOverflow, App, SetupPage, cameraPhoto } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

/** Makes a move offered on the wish page and waits for its step in the timeline. */
async function move(page, name, fill = async () => {}) {
  await page.getByRole('button', { name, exact: true }).click();
  await fill();
  await page.getByRole('button', { name: '确认' }).click();
  await page.locator('.timeline li').filter({ hasText: name }).last().waitFor();
}

const state = async (page) => (await page.locator('.card .badge').first().innerText()).trim();
const timeline = (page) => page.locator('.timeline li strong').allInnerTexts();

test('a micro-wish from the wish to the thanks', async () => {
  const profile = newProfileDir();
  const b = await launch(profile, { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(b.context);
  const page = b.page;
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });

  // The claim list of the sample: open wishes, 待认领 chosen.
  await app.nav('微心愿');
  await page.getByRole('heading', { name: '微心愿', level: 1 }).waitFor();
  await page.locator('.wish-list li').first().waitFor();
  assert.match(await page.locator('.chip.active').innerText(), /^待认领 \d+$/);
  const listed = await page.locator('.wish-list .badge').allInnerTexts();
  assert.ok(listed.length > 0 && listed.every((t) => t === '待认领' || t === '已过期望日期'), listed.join(','));
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'wishes-01-claim-list');

  // A resident's wish, recorded and published.
  await page.getByRole('link', { name: '记录心愿' }).click();
  await page.locator('#wisher-search').fill('王');
  await page.locator('fieldset.reporter ul.picker button').first().click();
  await page.locator('fieldset.reporter .picked').waitFor();
  await page.getByLabel('心愿内容').fill('E2E 想要一台收音机');
  await page.getByLabel('详细情况').fill('独居老人，想听戏曲广播');
  assert.match(await page.locator('#due_date').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(await horizontalOverflow(page), 0);
  await page.getByRole('button', { name: '发布到认领清单' }).click();
  await page.waitForURL(/\/wishes\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: 'E2E 想要一台收音机', level: 1 }).waitFor();
  assert.equal(await state(page), '待认领');
  assert.match(await page.locator('.facts').innerText(), /心愿人\s+王/);
  // Only what is legal now is offered.
  assert.equal(await page.getByRole('button', { name: '标记已实现', exact: true }).count(), 0);

  // Claimed for a volunteer (party members are offered first).
  let claimer = '';
  let claimerId = '';
  await move(page, '认领', async () => {
    const sel = page.locator('#volunteer');
    await sel.selectOption({ index: 1 });
    claimer = (await sel.locator('option:checked').innerText()).split(' · ')[0].trim();
    claimerId = await sel.inputValue();
  });
  assert.equal(await state(page), '已认领');
  assert.match(await page.locator('.facts').innerText(), new RegExp(`认领人\\s+${claimer}`));

  // Fulfilled: refused without the note, then with the note, 90 minutes and a photo.
  await page.getByRole('button', { name: '标记已实现', exact: true }).click();
  await page.getByRole('button', { name: '确认' }).click();
  await page.locator('.move-form').getByText('请填写', { exact: true }).waitFor();
  assert.deepEqual(await timeline(page), ['记录并发布', '认领']);
  await page.locator('#note').fill('送去收音机一台，调好了戏曲频道');
  await page.locator('#minutes').fill('90');
  await page.locator('#move-photos').setInputFiles(await cameraPhoto(page, { text: '收音机', color: '#c33', name: 'IMG_20261125_1500.jpg' }));
  await page.locator('.move-form .thumbs img').waitFor();
  await page.getByRole('button', { name: '确认' }).click();
  const fulfilled = page.locator('.timeline li').filter({ hasText: '标记已实现' });
  await fulfilled.locator('img.photo').waitFor();
  assert.equal(await state(page), '已实现');
  const size = await page.waitForFunction(() => {
    const i = document.querySelector('img.photo');
    return i && i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null;
  });
  assert.deepEqual(await size.jsonValue(), [1600, 1067]);

  // Thanked.
  await move(page, '致谢', () => page.locator('#note').fill('天天都在听，谢谢志愿者'));
  assert.equal(await state(page), '已致谢');
  const steps = ['记录并发布', '认领', '标记已实现', '致谢'];
  assert.deepEqual(await timeline(page), steps);
  assert.match(await page.locator('.facts').innerText(), /服务时长\s+90 分钟/);
  assert.match(await fulfilled.innerText(), /90 分钟/);
  assert.match(await page.locator('.timeline').innerText(), new RegExp(`→ ${claimer}`));
  assert.equal(await page.locator('.actions button.primary').count(), 0, 'nothing more to do');

  // Everything is still there after a reload.
  await page.reload();
  await page.getByRole('heading', { name: 'E2E 想要一台收音机', level: 1 }).waitFor();
  await page.locator('.timeline li').nth(3).waitFor();
  assert.deepEqual(await timeline(page), steps);
  await page.locator('.timeline img.photo').waitFor();
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'wishes-02-thanked');

  // Listed under 已致谢, not on the claim list any more.
  await app.open('/wishes?q=E2E');
  await page.locator('.chip.active').waitFor();
  await page.locator('.count').filter({ hasText: /\d/ }).waitFor();
  await page.locator('.empty').waitFor();
  await page.locator('.chip').filter({ hasText: '已致谢' }).click();
  const row = page.locator('.wish-list li').filter({ hasText: 'E2E 想要一台收音机' });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`认领人: ${claimer} · 90 分钟`));
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'wishes-03-thanked-list');

  // The 90 minutes are in the claimer's time bank, as a micro-wish.
  await page.goto(`${page.url().split('/wishes')[0]}/volunteers/${claimerId}`);
  await page.getByText(/时长明细/).click();
  const credit = page.locator('.hours-entries li').filter({ hasText: 'E2E 想要一台收音机' });
  await credit.waitFor();
  assert.match(await credit.innerText(), /微心愿[\s\S]*1\.5 小时/);
});
