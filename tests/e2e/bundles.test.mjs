// End-to-end bundles with three browser profiles: two communities and their street office.
// Each community makes data and exports a bundle (a real download); the street imports both
// with a preview; re-import is a no-op; a community edits one resident and deletes another and
// exports the changes only; the street's preview shows exactly those; an encrypted bundle
// needs the right passphrase; a truncated file leaves the street's data exactly as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, newProfileDir, launch, shot, App, SetupPage, ResidentsPage, ExchangePage, setupStreet } from './lib.mjs';

let server;
const files = fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-bundles-'));
const save = (name) => path.join(files, name);
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

const DESKTOP = { viewport: { width: 1280, height: 900 } };

async function digest(page, app) {
  await app.nav('设置');
  const d = page.locator('code.digest');
  await page.waitForFunction(() => (document.querySelector('code.digest')?.textContent ?? '').length === 64);
  return d.innerText();
}

async function community(profile, setup) {
  const b = await launch(profile, DESKTOP);
  opened.push(b.context);
  const app = new App(b.page, server.url);
  await app.open('/');
  const s = new SetupPage(b.page);
  await s.waitForIt();
  await setup(b.page, s);
  return { ...b, app };
}

test('two communities and their street exchange real bundle files', async () => {
  // Community A: the sample community (永安社区).
  const A = await community(newProfileDir(), async (page, s) => {
    await s.loadSample();
    await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });
  });
  // Community B: set up by hand (和平社区), with one resident.
  const B = await community(newProfileDir(), async (page, s) => {
    await s.fillCommunity({ name: '和平社区', code: '410103008001', street: '建中街街道', device: '和平社区电脑', actor: '赵敏', role: '社区干部' });
    await s.submit();
    await page.getByRole('heading', { name: '和平社区', level: 1 }).waitFor();
  });
  await B.app.open('/residents/new');
  await B.page.getByLabel('姓名').fill('钱学文');
  await B.page.getByLabel('身份证号').fill('11010519491231002X');
  await B.page.getByLabel('所属网格').selectOption({ index: 1 });
  await B.page.getByRole('button', { name: '保存', exact: true }).click();
  await B.page.getByText('已保存').waitFor();

  const exA = new ExchangePage(A.page, A.app);
  await exA.open();
  await shot(A.page, 'bundles-01-community-exchange');
  const fileA = await exA.export({ mask: false, file: save('a1.gridledger.json') });
  const exB = new ExchangePage(B.page, B.app);
  await exB.open();
  const fileB = await exB.export({ passphrase: '和平社区2026密码', file: save('b1.gridledger') });
  const bundleA = JSON.parse(fs.readFileSync(fileA, 'utf8'));
  assert.equal(bundleA.format, 'gridledger-bundle');
  assert.ok(bundleA.counts.residents > 7000, JSON.stringify(bundleA.counts));
  assert.doesNotMatch(fs.readFileSync(fileB, 'utf8'), /钱学文/, 'encrypted: no plain names');

  // The street office.
  const S = await community(newProfileDir(), (page, s) => setupStreet(page, s));
  const exS = new ExchangePage(S.page, S.app);
  await exS.open();
  await exS.choose(fileA);
  let c = await exS.preview();
  assert.equal(c['居民'].new, bundleA.counts.residents);
  assert.equal(c['合计'].new, Object.values(bundleA.counts).reduce((a, b) => a + b, 0));
  assert.equal(c['合计'].updated + c['合计'].deleted + c['合计'].conflicts, 0);
  await shot(S.page, 'bundles-02-street-preview');
  await exS.apply();

  // B's encrypted file: no passphrase, a wrong one, then the right one.
  await exS.choose(fileB);
  await S.page.getByText('数据包已加密，请输入密码').waitFor();
  await S.page.getByLabel('密码', { exact: true }).fill('wrong password');
  await S.page.getByRole('button', { name: '解密并检查' }).click();
  await S.page.getByText(/密码不正确/).waitFor();
  await shot(S.page, 'bundles-03-wrong-passphrase');
  await S.page.getByLabel('密码', { exact: true }).fill('和平社区2026密码');
  await S.page.getByRole('button', { name: '解密并检查' }).click();
  c = await exS.preview();
  assert.equal(c['居民'].new, 1);
  await exS.apply();

  // Re-importing A changes nothing: the bundle is recognised from its header, and says so.
  await exS.choose(fileA);
  c = await exS.preview();
  assert.equal(c['合计'].new + c['合计'].updated + c['合计'].deleted, 0, JSON.stringify(c['合计']));
  assert.equal(c['合计'].unchanged, Object.values(bundleA.counts).reduce((a, b) => a + b, 0));
  assert.match(await S.page.locator('#import-again').innerText(), /这个数据包已于 \d{4}-\d\d-\d\d \d\d:\d\d 导入过/);
  await shot(S.page, 'bundles-09-same-file-again');
  await exS.cancel();

  // The street sees both communities' residents, and the key-group visits per community (the
  // sample community has key persons; the hand-made one none).
  await S.app.nav('首页');
  const careRows = S.page.locator('#street-care tbody tr');
  await careRows.filter({ hasText: '永安社区' }).waitFor();
  assert.match(await careRows.filter({ hasText: '永安社区' }).innerText(), /永安社区\s+\d+\s+\d+\s+\d+/);
  assert.match(await careRows.filter({ hasText: '全街道' }).innerText(), /全街道\s+[1-9]\d*/);
  // The street's dashboard: one line per community in its table, the whole street's figures the
  // sums of the lines; a community picked narrows the figures to it.
  const lines = S.page.locator('#street-table tbody tr');
  await lines.filter({ hasText: '永安社区' }).waitFor();
  const cells = async (name) => (await lines.filter({ hasText: name }).locator('td').allInnerTexts()).map((t) => t.trim());
  const yong = await cells('永安社区');
  const whole = await cells('全街道');
  assert.equal(await lines.count(), 3, 'two communities and the whole street');
  const other = (await lines.allInnerTexts()).find((t) => !t.includes('永安社区') && !t.includes('全街道'));
  const otherKey = Number(other.trim().split(/\s+/)[6]);
  assert.equal(Number(whole[6]), Number(yong[6]) + otherKey, 'key persons add up');
  assert.equal(Number(whole[1]), Number((await S.page.locator('#dash-received').innerText()).trim()));
  await S.page.locator('#dash-community').selectOption({ label: '永安社区' });
  await S.page.waitForURL(/c=\d{12}/);
  await S.page.locator('#street-table').waitFor({ state: 'detached' });
  assert.equal((await S.page.locator('#dash-received').innerText()).trim(), yong[1]);
  assert.equal((await S.page.locator('#dash-key').innerText()).trim(), yong[6]);
  const street = new ResidentsPage(S.page);
  await S.app.open('/residents?q=' + encodeURIComponent('钱学文'));
  await street.rows().filter({ hasText: '钱学文' }).first().waitFor();

  // "Whole street" in the community pick: the volunteers, roster and time bank list every
  // community's records with the community named; adding waits for a community to be picked;
  // a page that works on one community says which.
  const pick = S.page.locator('select.community-pick');
  const volunteersOf = async () => {
    await S.app.nav('志愿者');
    const count = S.page.locator('.volunteers p.count');
    await count.waitFor();
    return Number((await count.innerText()).replace(/\D/g, ''));
  };
  await pick.selectOption({ label: '永安社区' });
  const yongVolunteers = await volunteersOf();
  assert.ok(yongVolunteers >= 40, `sample volunteers: ${yongVolunteers}`);
  await pick.selectOption({ label: '和平社区' });
  assert.equal(await volunteersOf(), 0);
  await pick.selectOption({ label: '全街道' });
  assert.equal(await volunteersOf(), yongVolunteers, 'the whole street is the sum of its communities');
  await S.page.locator('.volunteer-list tbody tr').first().getByText('永安社区').waitFor();
  assert.equal(await S.page.getByRole('link', { name: '新增志愿者' }).count(), 0);
  await shot(S.page, 'bundles-07-street-volunteers');
  await S.app.nav('排班');
  await S.page.locator('article.shift .meta', { hasText: '永安社区' }).first().waitFor();
  assert.equal(await S.page.getByRole('button', { name: '新增班次' }).count(), 0);
  await S.app.open('/hours');
  await S.page.locator('#community-hours-table tbody tr', { hasText: '永安社区' }).waitFor();
  await S.app.nav('网格');
  await S.page.getByRole('note').filter({ hasText: '此页按社区办理' }).waitFor();
  await shot(S.page, 'bundles-08-street-grids-note');
  await pick.selectOption({ label: '永安社区' });

  // A edits one resident and deletes another, then exports only the changes.
  const residents = new ResidentsPage(A.page);
  await A.app.nav('居民');
  await residents.rows().first().waitFor();
  const edited = (await residents.rows().nth(0).locator('td').first().innerText()).trim();
  await residents.rows().nth(0).locator('a').first().click();
  await A.page.getByLabel('备注').fill('已上门核实');
  await A.page.getByRole('button', { name: '保存', exact: true }).click();
  await A.page.getByText('已保存').waitFor();
  await A.app.nav('居民');
  await residents.rows().nth(1).locator('a').first().click();
  A.page.once('dialog', (d) => d.accept());
  await A.page.getByRole('button', { name: /删除/ }).click();
  await A.page.waitForURL(/\/residents(\?|$)/);
  await exA.open();
  const fileA2 = await exA.export({ incremental: true, mask: false, file: save('a2.gridledger.json') });
  const bundleA2 = JSON.parse(fs.readFileSync(fileA2, 'utf8'));
  assert.equal(bundleA2.counts.residents, 2, JSON.stringify(bundleA2.counts));
  await exS.open();
  await exS.choose(fileA2);
  c = await exS.preview();
  assert.equal(c['居民'].updated, 1, JSON.stringify(c['居民']));
  assert.equal(c['居民'].deleted, 1, JSON.stringify(c['居民']));
  assert.equal(c['居民'].new + c['居民'].conflicts, 0);
  assert.equal(c['网格'].updated + c['网格'].new, 0, 'parents travel but are unchanged');
  await shot(S.page, 'bundles-04-incremental-preview');
  await exS.apply();
  await S.app.open('/residents?q=' + encodeURIComponent(edited));
  await street.rows().first().waitFor();

  // A truncated file is refused and the street's data stays exactly as it was.
  const before = await digest(S.page, S.app);
  const truncated = path.join(files, 'truncated.gridledger.json');
  const text = fs.readFileSync(fileA, 'utf8');
  fs.writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
  await exS.open();
  await exS.choose(truncated);
  await S.page.getByText(/文件不完整/).waitFor({ timeout: 60000 });
  await shot(S.page, 'bundles-05-truncated');
  assert.equal(await digest(S.page, S.app), before);

  // The import log lists the three imports.
  await exS.open();
  const logRows = S.page.locator('section[aria-labelledby="ilog-h"] tbody tr');
  await logRows.first().waitFor();
  assert.equal(await logRows.count(), 3);
  await shot(S.page, 'bundles-06-street-logs');

});
