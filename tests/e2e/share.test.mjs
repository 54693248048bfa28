// End-to-end shared duty links: the office shares a team's and a volunteer's coming duties; a
// fresh phone profile with no database opens the link (nothing written to its OPFS), sees the
// list and when it was shared, downloads the .ics; a damaged link is refused with a clear
// message; reopened without the link, the phone shows the list it kept.
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

async function share(page) {
  await page.getByRole('button', { name: '分享值班链接' }).click();
  const link = page.locator('#share-link');
  await link.waitFor();
  return link.inputValue();
}

test('a shared duty link opens on a phone with no database, and a damaged one is refused', async () => {
  const office = await launch(newProfileDir());
  opened.push(office.context);
  const page = office.page;
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });

  // A team's list: every duty one of its members is on, with who.
  await app.open('/duty');
  await page.getByLabel('谁的值班').selectOption({ label: '平安巡逻队' });
  await page.waitForURL(/who=/);
  const rows = page.locator('ol.duties li');
  await rows.first().waitFor();
  const teamCount = await rows.count();
  assert.ok(teamCount >= 3, `the team has duties: ${teamCount}`);
  const teamUrl = await share(page);
  assert.match(teamUrl, /^http:\/\/127\.0\.0\.1:\d+\/shared#d1\.[A-Za-z0-9_-]+$/);
  assert.ok(teamUrl.length < 1400, `fits a QR code: ${teamUrl.length}`);
  assert.match(await page.locator('.share-panel').innerText(), new RegExp(`全部 ${teamCount} 个值班`));
  const qr = page.locator('.share-panel img.qr');
  assert.ok((await qr.getAttribute('src')).startsWith('data:image/svg+xml;base64,'));
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code renders');
  await shot(page, 'share-01-office');

  // One volunteer's list.
  const firstTitle = await rows.first().locator('.what strong').innerText();
  const volunteer = await page.locator('#duty-who optgroup[label="志愿者"] option').nth(3).innerText();
  await page.getByLabel('谁的值班').selectOption({ label: volunteer });
  await page.waitForFunction(() => !document.querySelector('.share-panel'));

  // The phone: a fresh profile, no database.
  const phone = await launch(newProfileDir(), { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(phone.context);
  const p = phone.page;
  await p.goto(teamUrl);
  await p.getByRole('heading', { name: '平安巡逻队 · 我的值班' }).waitFor();
  assert.match(await p.locator('#as-of').innerText(), /^排班截至 \d{4}-\d\d-\d\d \d\d:\d\d$/);
  const phoneRows = p.locator('ol.duties li');
  assert.equal(await phoneRows.count(), teamCount);
  assert.equal(await phoneRows.first().locator('.what strong').innerText(), firstTitle);
  assert.ok((await phoneRows.first().locator('.people').innerText()).length > 0, 'who is on it');
  assert.equal(await horizontalOverflow(p), 0);
  const opfs = await p.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    let n = 0;
    for await (const _ of root.keys()) n++;
    return n;
  });
  assert.equal(opfs, 0, 'the shared page keeps no database');
  await shot(p, 'share-02-phone');

  // Its calendar file, read by a real parser.
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    p.getByRole('button', { name: /加入手机日历/ }).click(),
  ]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-ics-')), 'shared.ics');
  await download.saveAs(file);
  const n = Number(execFileSync('python3', ['-c', `
import icalendar, sys
print(len(icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read()).walk('VEVENT')))
`, file]).toString());
  assert.ok(n >= teamCount, `${n} events`);

  // One character changed (same tab: only the fragment changes): refused, plainly.
  const [base, frag] = teamUrl.split('#');
  const i = Math.floor(frag.length / 2);
  const bad = frag.slice(0, i) + (frag[i] === 'A' ? 'B' : 'A') + frag.slice(i + 1);
  await p.goto(`${base}#${bad}`);
  await p.getByRole('heading', { name: '无法打开这个值班链接' }).waitFor();
  assert.match(await p.getByRole('alert').innerText(), /链接已损坏或不完整/);
  // Cut short, in a new load.
  await p.goto('about:blank');
  await p.goto(`${base}#${frag.slice(0, frag.length - 5)}`);
  await p.getByRole('heading', { name: '无法打开这个值班链接' }).waitFor();
  await shot(p, 'share-03-damaged');
  // A newer format asks for an update.
  await p.goto(`${base}#d9.AAAA`);
  await p.getByText('这个链接由更新版本的网格台账生成').waitFor();

  // Opened again from the home screen (no fragment): the list it kept.
  await p.goto(`${server.url}/shared`);
  await p.getByRole('heading', { name: '平安巡逻队 · 我的值班' }).waitFor();
  await p.getByText('这是此手机上次打开的值班链接。').waitFor();
  assert.equal(await p.locator('ol.duties li').count(), teamCount);
  // English too.
  await p.getByRole('button', { name: '切换语言' }).click();
  await p.getByRole('heading', { name: '平安巡逻队 · My duties' }).waitFor();
});
