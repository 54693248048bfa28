// End-to-end field work (外勤): the office dispatches a case to a grid worker and exports that
// worker's field bundle; a phone (390×844, touch) opens it in field mode, goes offline,
// reports a case with a photo, hands the dispatched case on to "handled", records a visit,
// comes back online and sends the day back (送回); the office imports the return bundle and
// finds all of it, attributed to the worker, with no real value overwritten by a masked one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, newProfileDir, launch, shot, horizontalOverflow, App, SetupPage, ExchangePage, cameraPhoto } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

const files = fs.mkdtempSync(path.join(os.tmpdir(), 'gridledger-field-'));

async function move(page, name, { remark, assignee, photo } = {}) {
  await page.getByRole('button', { name, exact: true }).click();
  if (assignee) await page.getByLabel('承办人').fill(assignee);
  if (remark) await page.locator('#remark').fill(remark);
  if (photo) {
    await page.locator('#move-photos').setInputFiles(photo);
    await page.locator('.move-form .thumbs img').waitFor();
  }
  await page.getByRole('button', { name: '确认' }).click();
  await page.locator('.timeline li').filter({ hasText: name }).last().waitFor();
}

test('a field bundle to a phone, a day offline, and the work sent back to the office', async () => {
  // ---- The office: the sample community, a case dispatched to a grid worker. ----
  const office = await launch(newProfileDir());
  opened.push(office.context);
  const op = office.page;
  const oapp = new App(op, server.url);
  await oapp.open('/');
  await new SetupPage(op).waitForIt();
  await new SetupPage(op).loadSample();
  await op.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });

  // The field bundle card lists the staff who have grids; take the first grid worker.
  const ex = new ExchangePage(op, oapp);
  await ex.open();
  await op.locator('#field_staff option').nth(1).waitFor({ state: 'attached' });
  const workerOption = op.locator('#field_staff option', { hasText: /专职网格员|兼职网格员/ }).first();
  const workerLabel = (await workerOption.innerText()).trim();
  const worker = workerLabel.split(' · ')[0];
  const workerGrid = workerLabel.split(' · ')[2].split('、')[0];

  await oapp.open('/cases/new');
  await op.getByLabel('事件类别').selectOption({ label: '市容环境 › 暴露垃圾' });
  await op.getByLabel('事件标题').fill('E2E 外勤 楼道堆物');
  await op.getByLabel('所属网格').selectOption({ label: workerGrid });
  await op.getByLabel('反映人', { exact: true }).fill('李大爷');
  await op.getByLabel('反映人电话').fill('13800138000');
  await op.getByRole('button', { name: '上报', exact: true }).click();
  await op.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseId = op.url().split('/').pop();
  await move(op, '受理立案');
  await move(op, '派单', { assignee: worker });

  // The field bundle for that worker.
  await ex.open();
  await op.locator('#field_staff').selectOption({ label: workerLabel });
  await shot(op, 'field-01-office-export');
  const [download] = await Promise.all([
    op.waitForEvent('download', { timeout: 60000 }),
    op.locator('#field-export').click(),
  ]);
  assert.match(download.suggestedFilename(), new RegExp(`外勤-${worker}-.*\\.gridledger\\.json$`));
  const fieldFile = path.join(files, download.suggestedFilename());
  await download.saveAs(fieldFile);
  const fb = JSON.parse(fs.readFileSync(fieldFile, 'utf8'));
  assert.equal(fb.scope.field.staff_name, worker);
  assert.ok(fb.tables.cases.some((c) => c.id === caseId), 'the dispatched case travels');
  assert.deepEqual(fb.masked.residents, ['id_number', 'phone']);
  const maskedResident = fb.tables.residents.find((r) => r.id_number && r.id_number.includes('*'));
  assert.ok(maskedResident, 'residents outside the care list are masked');
  assert.ok(fb.tables.residents.some((r) => r.id_number && !r.id_number.includes('*')), 'key persons are not');
  assert.ok(fb.tables.residents.length < 8000 / 3, `one worker's grids, not the community (${fb.tables.residents.length})`);
  assert.ok(fs.statSync(fieldFile).size < 8e6, 'a few MB at most');

  // ---- The phone: opens the field bundle on the setup screen. ----
  const phone = await launch(newProfileDir(), { viewport: { width: 390, height: 844 }, mobile: true });
  opened.push(phone.context);
  const pp = phone.page;
  const papp = new App(pp, server.url);
  await papp.open('/');
  await new SetupPage(pp).waitForIt();
  const card = pp.locator('section.field-open');
  await card.getByRole('heading', { name: '打开外勤数据包' }).waitFor();
  // A file that is no field bundle is refused under the file field.
  const notField = path.join(files, 'not-field.json');
  fs.writeFileSync(notField, '{"format":"something else"}');
  await pp.locator('#field-file').setInputFiles(notField);
  await pp.locator('#field-device').fill(`${worker}的手机`);
  await pp.locator('#field-submit').click();
  await pp.locator('#field-file-error').waitFor();
  await pp.locator('#field-file').setInputFiles(fieldFile);
  await pp.locator('#field-submit').click();
  const banner = pp.locator('.field-banner');
  await banner.waitFor({ timeout: 60000 });
  assert.match(await banner.innerText(), new RegExp(`外勤模式 · ${worker} · .*${workerGrid}.*数据截至 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}`));
  assert.equal(await pp.locator('.field-unsent').getAttribute('data-unsent'), '0');
  assert.equal(await horizontalOverflow(pp), 0);
  await shot(pp, 'field-02-phone-home');
  await pp.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });

  // ---- Offline for the day. ----
  await phone.context.setOffline(true);

  // The dispatched case: in hand, then handled with feedback and a photo.
  await papp.open(`/cases/${caseId}`);
  await pp.getByRole('heading', { name: 'E2E 外勤 楼道堆物', level: 1 }).waitFor({ timeout: 30000 });
  await move(pp, '开始处置');
  await move(pp, '结果反馈', { remark: '已清理楼道杂物', photo: await cameraPhoto(pp, { text: '井盖松动', width: 2000, height: 1500 }) });
  assert.equal((await pp.locator('.card .badge').first().innerText()).trim(), '已反馈');

  // A new case found on patrol, with a photo from the camera.
  await papp.open('/cases/new');
  await pp.getByLabel('事件类别').selectOption({ label: '市容环境 › 暴露垃圾' });
  await pp.getByLabel('事件标题').fill('E2E 外勤 井盖松动');
  await pp.getByLabel('所属网格').selectOption({ index: 1 });
  await pp.locator('#photos').setInputFiles(await cameraPhoto(pp, { text: '井盖松动', width: 2000, height: 1500 }));
  await pp.locator('.thumbs img').first().waitFor();
  await pp.getByRole('button', { name: '上报', exact: true }).click();
  await pp.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const newCaseId = pp.url().split('/').pop();
  await pp.getByRole('heading', { name: 'E2E 外勤 井盖松动', level: 1 }).waitFor();
  assert.equal(await horizontalOverflow(pp), 0);

  // A visit to a resident the phone only knows masked.
  await papp.open(`/care/${maskedResident.id}`);
  await pp.getByLabel('走访人').waitFor({ timeout: 30000 });
  await pp.getByLabel('走访人').fill(worker);
  await pp.getByLabel('较差').check();
  await pp.getByLabel('发现的需求').fill('独居，需要定期代购');
  await pp.getByRole('button', { name: '保存走访记录' }).click();
  await pp.locator('#visit-saved').waitFor();
  await pp.waitForFunction(() => Number(document.querySelector('.field-unsent')?.dataset.unsent) >= 5);
  await shot(pp, 'field-03-phone-visit-offline');

  // ---- Back online: 送回. ----
  await phone.context.setOffline(false);
  const [back] = await Promise.all([
    pp.waitForEvent('download', { timeout: 60000 }),
    pp.locator('#send-back').click(),
  ]);
  assert.match(back.suggestedFilename(), new RegExp(`送回-${worker}-.*\\.gridledger\\.json$`));
  const backFile = path.join(files, back.suggestedFilename());
  await back.saveAs(backFile);
  await pp.locator('.field-banner .banner', { hasText: '已下载送回数据包' }).waitFor();
  await pp.waitForFunction(() => document.querySelector('.field-unsent')?.dataset.unsent === '0');
  await shot(pp, 'field-04-phone-sent-back');
  const rb = JSON.parse(fs.readFileSync(backFile, 'utf8'));
  assert.equal(rb.scope.field.returning, true);
  assert.ok(rb.tables.cases.some((c) => c.id === newCaseId));
  assert.equal(rb.tables.visits.length, 1);
  assert.ok(rb.tables.case_photos.length >= 2, 'the photos come back');
  assert.ok(rb.tables.residents.length < 10, 'only what the day touched');

  // ---- The office imports it. ----
  await ex.open();
  await ex.choose(backFile);
  const counts = await ex.preview();
  // The new case; the dispatched one comes as the parent of its new steps (unchanged itself).
  assert.equal(counts['事件'].new, 1);
  assert.equal(counts['办理记录'].new, 3, 'start, feedback, and the new case\'s report');
  assert.equal(counts['事件照片'].new, 2);
  assert.equal(counts['走访记录'].new, 1);
  assert.equal(counts['居民'].updated, 0, 'a resident seen masked changes nothing');
  await ex.apply();
  await shot(op, 'field-05-office-imported');

  await oapp.open(`/cases/${caseId}`);
  await op.getByRole('heading', { name: 'E2E 外勤 楼道堆物', level: 1 }).waitFor();
  assert.equal((await op.locator('.card .badge').first().innerText()).trim(), '已反馈');
  assert.match(await op.locator('.timeline li').filter({ hasText: '结果反馈' }).innerText(), new RegExp(`${worker}[\\s\\S]*已清理楼道杂物`));
  await op.locator('.timeline li').filter({ hasText: '结果反馈' }).locator('img.photo').waitFor();
  await oapp.open(`/cases/${newCaseId}`);
  await op.getByRole('heading', { name: 'E2E 外勤 井盖松动', level: 1 }).waitFor();
  assert.match(await op.locator('.timeline li').first().innerText(), new RegExp(worker));
  // The visit, attributed; the resident's real ID number and phone are still there.
  await oapp.open(`/residents/${maskedResident.id}`);
  // The form fills in once the worker answers.
  await op.waitForFunction(() => (document.querySelector('#id_number')?.value ?? '').length > 0);
  const id = await op.getByLabel('身份证号').inputValue();
  assert.match(id, /^\d{17}[\dX]$/, `real, not ${maskedResident.id_number}`);
  await oapp.open(`/care/${maskedResident.id}`);
  assert.match(await op.locator('ul.timeline.visits li').first().innerText(), new RegExp(`${worker} · 较差[\\s\\S]*定期代购`));
});
