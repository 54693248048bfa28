// End-to-end: a community office sets up by hand, builds its grid tree, records a resident
// (a bad ID number first), and finds everything again after a reload and after restarting the
// browser on the same profile; the sample community loads and is searchable; English is
// remembered; the same flow works on a phone-sized screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, newProfileDir, launch, shot, horizontalOverflow,
  App, SetupPage, GridsPage, ResidentForm, ResidentsPage,
} from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.close(); });

const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, mobile: true };

async function setUpByHand(page, app, tag) {
  const setup = new SetupPage(page);
  await app.open('/');
  await setup.waitForIt();
  await shot(page, `${tag}-01-setup`);
  // An 11-digit code is refused next to its field, and nothing is set up.
  await setup.fillCommunity({ name: '和平社区', code: '41010300800', street: '建中街街道', device: '办公室电脑', actor: '李娜', role: '网格长' });
  await setup.submit();
  await setup.fieldError(/统计用区划代码/).filter({ hasText: '应为12位数字' }).waitFor();
  await shot(page, `${tag}-02-setup-error`);
  await page.getByLabel(/统计用区划代码/).fill('410103008006');
  await setup.submit();
  await page.getByRole('heading', { name: '和平社区', level: 1 }).waitFor();
}

async function buildGrids(page, app, tag) {
  await app.nav('网格');
  const grids = new GridsPage(page);
  await grids.node('和平社区').waitFor();
  await grids.addChild('和平社区', '第一网格');
  await grids.addChild('第一网格', '3号楼');
  assert.match(await grids.node('3号楼').innerText(), /微网格/);
  await shot(page, `${tag}-03-grids`);
}

async function addResident(page, app, tag) {
  await app.nav('居民');
  await page.getByRole('link', { name: '新增居民' }).click();
  const form = new ResidentForm(page);
  // A wrong check digit: the error sits next to the ID number and nothing is saved.
  await form.fill({ name: '王秀英', id: '110105194912310021', phone: '13800138000', grid: '\u3000\u30003号楼' });
  await form.save();
  await form.fieldError('身份证号').filter({ hasText: '校验位不正确' }).waitFor();
  await shot(page, `${tag}-04-resident-error`);
  await form.fill({ id: '11010519491231002X' });
  await form.save();
  await page.getByText('已保存').waitFor();
  await page.waitForURL(/\/residents\/[0-9a-f-]{36}$/);
  // Birth date and gender came from the ID number (once the saved resident has loaded).
  const birth = page.getByLabel('出生日期');
  for (let i = 0; i < 50 && (await birth.inputValue()) === ''; i++) await page.waitForTimeout(100);
  assert.equal(await birth.inputValue(), '1949-12-31');
  assert.equal(await page.getByLabel('性别').inputValue(), 'F');
  await shot(page, `${tag}-05-resident-saved`);
}

async function expectEverything(page, app) {
  await app.open('/residents');
  const list = new ResidentsPage(page);
  await list.search('王秀英');
  await list.rows().filter({ hasText: '王秀英' }).first().waitFor();
  assert.match(await list.rows().first().innerText(), /13800138000/);
  await app.open('/grids');
  const grids = new GridsPage(page);
  await grids.node('3号楼').waitFor();
  assert.match(await grids.node('3号楼').innerText(), /1 户|0 户 · 1 人/);
}

for (const [tag, opts] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`${tag}: set up by hand, grids, a resident; survives reload and browser restart`, async () => {
    const profile = newProfileDir();
    let { context, page, errors } = await launch(profile, opts);
    let app = new App(page, server.url);
    await setUpByHand(page, app, tag);
    await buildGrids(page, app, tag);
    await addResident(page, app, tag);
    if (tag === 'phone') {
      for (const p of ['/', '/grids', '/residents', '/staff', '/settings']) {
        await app.open(p);
        await page.locator('main.content h1').first().waitFor();
        assert.ok((await horizontalOverflow(page)) <= 0, `${p} scrolls sideways on a phone`);
      }
      await shot(page, `${tag}-06-settings`);
      await app.open('/residents');
      const toggle = page.getByRole('button', { name: '菜单' });
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      await shot(page, `${tag}-07-menu-open`);
    }
    await page.reload();
    await expectEverything(page, app);
    assert.deepEqual(errors.filter((e) => !e.includes('integrity')), []);
    await context.close();

    // Restart the browser on the same profile: the data is in OPFS.
    ({ context, page, errors } = await launch(profile, opts));
    app = new App(page, server.url);
    await expectEverything(page, app);
    await shot(page, `${tag}-08-after-restart`);
    await context.close();
  });
}

test('the sample community loads in one click and is searchable', async () => {
  const { context, page } = await launch(newProfileDir(), DESKTOP);
  const app = new App(page, server.url);
  await app.open('/');
  const setup = new SetupPage(page);
  await setup.waitForIt();
  await setup.loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });
  await shot(page, 'sample-01-home');
  await app.nav('居民');
  const list = new ResidentsPage(page);
  await list.rows().first().waitFor();
  const total = await list.total();
  assert.ok(total >= 7000 && total <= 9500, `sample has ${total} residents`);
  assert.equal(await list.rows().count(), 50, 'one page of 50, not thousands of rows');
  await shot(page, 'sample-02-residents');

  // Search by a name from the list: every row found carries it.
  const name = (await list.rows().nth(7).locator('td').first().innerText()).trim();
  await list.search(name);
  await list.rows().first().waitFor();
  const found = await list.rows().locator('td:first-child').allInnerTexts();
  assert.ok(found.length >= 1 && found.every((n) => n.includes(name)), `${name}: ${found}`);

  // By the last four digits of a phone number.
  await list.search('');
  const phone = (await list.rows().nth(3).locator('td').nth(4).innerText()).trim();
  if (phone) {
    await list.search(phone.slice(-4));
    await list.rows().filter({ hasText: phone }).first().waitFor();
  }
  // By pinyin initials: "x" finds the sample's 徐, 谢, 萧 and 许 families, and nobody else.
  await list.search('x');
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('table.list tbody tr td:first-child')];
    return cells.length > 0 && cells.every((c) => '徐谢萧许'.includes(c.textContent.trim()[0]));
  });
  const xs = await list.rows().locator('td:first-child').allInnerTexts();
  assert.ok(xs.length > 0 && xs.every((n) => '徐谢萧许'.includes(n.trim()[0])), xs.join(' '));
  assert.ok(await list.total() < total);
  // Filter by a key-group tag from the home page.
  await app.nav('首页');
  await page.getByRole('link', { name: /独居老人/ }).click();
  await page.waitForURL(/tag=/);
  await list.rows().first().waitFor();
  const tags = await list.rows().locator('td:last-child').allInnerTexts();
  assert.ok(tags.every((t) => t.includes('独居老人')));
  await shot(page, 'sample-03-key-group');
  await context.close();
});

test('English is one click away and remembered', async () => {
  const { context, page } = await launch(newProfileDir(), DESKTOP);
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });
  await page.getByRole('button', { name: '切换语言' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Residents' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.reload();
  await page.getByRole('navigation').getByRole('link', { name: 'Residents' }).click();
  await page.getByRole('heading', { name: 'Residents' }).waitFor();
  await shot(page, 'english-01-residents');
  await context.close();
});

test('without OPFS the app says so and does not pretend to save', async () => {
  const { context, page } = await launch(newProfileDir(), DESKTOP);
  await context.addInitScript(() => Object.defineProperty(window, 'isSecureContext', { value: false }));
  await page.goto(server.url + '/');
  await page.getByRole('heading', { name: '无法在此处保存数据' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '完成设置' }).count(), 0);
  await shot(page, 'unavailable-01');
  await context.close();
});
