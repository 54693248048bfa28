// End-to-end dashboard (一屏观全域) on the sample community: the figures for last month equal
// the filtered lists they link to (a separate code path: the case list's own counts); the
// charts are SVG with their Chinese labels as text and no two labels overlapping (text boxes
// compared in the browser, desktop and 390×844); a grid narrows every figure; a grid named like
// markup reaches the chart as text and runs nothing; English charts; the printable month's
// report and the wall display. Screenshots go to tests/e2e/screenshots (git-ignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newProfileDir, launch, shot, horizontalOverflow, App, SetupPage, GridsPage } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

const num = async (loc) => Number((await loc.innerText()).replace(/[^\d.]/g, ''));

/** Every pair of chart texts whose boxes overlap, and every text outside its chart. */
async function badLabels(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const fig of document.querySelectorAll('figure.chart')) {
      const svg = fig.querySelector('svg');
      if (!svg) { bad.push(`${fig.id}: no svg`); continue; }
      const frame = svg.getBoundingClientRect();
      const boxes = [...svg.querySelectorAll('text')]
        .filter((t) => t.textContent.trim())
        .map((t) => ({ t: t.textContent.trim(), r: t.getBoundingClientRect() }));
      for (const b of boxes) {
        if (b.r.left < frame.left - 1 || b.r.right > frame.right + 1 || b.r.top < frame.top - 1 || b.r.bottom > frame.bottom + 1) {
          bad.push(`${fig.id}: "${b.t}" outside the chart`);
        }
      }
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r;
          const b = boxes[j].r;
          const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (ix > 1 && iy > 1) bad.push(`${fig.id}: "${boxes[i].t}" overlaps "${boxes[j].t}"`);
        }
      }
    }
    return bad;
  });
}

async function sample(viewport) {
  const { context, page, errors } = await launch(newProfileDir(), viewport);
  opened.push(context);
  const app = new App(page, server.url);
  await app.open('/');
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 60000 });
  await page.locator('#dash-received').waitFor();
  return { context, page, errors, app };
}

/** Waits until the dashboard shows the range in the URL. */
async function settled(page) {
  await page.waitForFunction(() => {
    const u = new URL(location.href);
    const from = u.searchParams.get('from');
    return from && document.querySelector('#dash-from')?.value === from && document.querySelector('figure.chart svg');
  });
}

test('figures match the lists behind them; charts are readable text', async () => {
  const { page, app } = await sample();
  // A fixed range: last month (the sample has a year of cases up to today).
  await page.getByRole('button', { name: '上月', exact: true }).click();
  await page.waitForURL(/from=\d{4}-\d{2}-01/);
  await settled(page);
  const url = new URL(page.url());
  const [from, to] = [url.searchParams.get('from'), url.searchParams.get('to')];
  const received = await num(page.locator('#dash-received'));
  const closed = await num(page.locator('#dash-closed'));
  const overdue = await num(page.locator('#dash-overdue'));
  assert.ok(received > 50, `the sample had ${received} cases last month`);
  assert.ok(closed <= received && closed > 0);
  const rate = (await page.locator('#dash-closure').innerText()).trim();
  assert.equal(rate, `${((closed / received) * 100).toFixed(1)}%`);
  // Every figure says how it is computed.
  assert.match(await page.locator('#dash-received').locator('..').locator('.help').getAttribute('title'), /上报/);
  assert.match(await page.locator('#dash-closure').locator('..').locator('.help').getAttribute('title'), /办结 ÷ 受理/);

  // The charts: SVG, Chinese labels as text, none overlapping, none cut off.
  const ids = await page.locator('figure.chart').evaluateAll((f) => f.map((x) => x.id));
  for (const id of ['chart-weeks', 'chart-categories', 'chart-places', 'chart-rates', 'chart-channels', 'chart-key_groups']) {
    assert.ok(ids.includes(id), `${id} in ${ids}`);
  }
  const texts = await page.locator('#chart-places svg text').allTextContents();
  assert.ok(texts.some((t) => /第.+网格/.test(t)), texts.join('|'));
  assert.ok((await page.locator('#chart-weeks svg text').allTextContents()).some((t) => t.includes('受理')));
  await shot(page, 'dashboard-01-desktop');
  assert.deepEqual(await badLabels(page), []);

  // Received → the case list for the same range: its own figures count the same cases.
  await page.locator('#dash-received').click();
  await page.waitForURL((u) => u.pathname === '/cases' && u.searchParams.get('from') === from && u.searchParams.get('to') === to);
  const figure = page.locator('dl.figures div', { hasText: '受理' }).locator('dd');
  await page.waitForFunction(() => document.querySelector('dl.figures dd'));
  assert.equal(await num(figure), received);
  await page.goBack();
  await page.locator('#dash-closed').click();
  await page.waitForURL(/state=done/);
  await page.waitForFunction((n) => document.querySelector('.count')?.textContent.includes(String(n)), closed);
  await page.goBack();
  await page.locator('#dash-overdue').click();
  await page.waitForURL(/overdue=true/);
  await page.waitForFunction((n) => document.querySelector('.count')?.textContent.replace(/\D/g, '') === String(n), overdue);
  await page.goBack();
  await settled(page);

  // One grid narrows every figure.
  const gridValue = await page.locator('#dash-grid option').nth(2).getAttribute('value');
  await page.locator('#dash-grid').selectOption(gridValue);
  await page.waitForURL(/grid=/);
  await page.waitForFunction((n) => Number(document.querySelector('#dash-received').textContent) < n, received);
  const inGrid = await num(page.locator('#dash-received'));
  const residents = await num(page.locator('#dash-residents'));
  assert.ok(inGrid > 0 && inGrid < received);
  assert.ok(residents > 0 && residents < 8000);
  await page.locator('#dash-grid').selectOption('');
  await page.waitForFunction((n) => Number(document.querySelector('#dash-received').textContent) === n, received);

  // A bad range is refused next to the dates, and nothing else breaks.
  await app.open(`/?from=${to}&to=${from}`);
  await page.locator('#dash-range-error').waitFor();
  assert.match(await page.locator('#dash-range-error').innerText(), /不能早于/);

  // A grid named like markup is drawn as text and runs nothing.
  const payload = '<img src=x onerror=window.__x=1>';
  await app.nav('网格');
  const grids = new GridsPage(page);
  await grids.addChild('永安社区', payload);
  await app.nav('首页');
  await page.locator('#chart-places svg').waitFor();
  await page.waitForFunction((p) => [...document.querySelectorAll('#chart-places svg text')].some((t) => t.textContent.includes(p)), payload);
  assert.equal(await page.evaluate(() => window.__x), undefined);
  assert.equal(await page.locator('.charts img').count(), 0);
  assert.deepEqual(await badLabels(page), []);

  // English charts.
  await page.getByRole('button', { name: '切换语言' }).click();
  await page.locator('#chart-weeks h3', { hasText: 'Cases per week' }).waitFor();
  assert.ok((await page.locator('#chart-channels svg text').allTextContents()).some((t) => t.trim() === 'Patrol'));
  assert.deepEqual(await badLabels(page), []);
  await page.getByRole('button', { name: /language|语言/i }).click();
  await page.locator('#chart-weeks h3', { hasText: '每周事件' }).waitFor();

  // The month's report, printed: no navigation, the formulas spelled out.
  await page.getByRole('link', { name: '打印月报' }).click();
  await page.waitForURL(/\/report\?/);
  await page.locator('.report-title', { hasText: '月度工作报表' }).waitFor();
  await page.locator('figure.chart svg').first().waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.topbar').isVisible(), false);
  assert.ok(await page.locator('#dash-formulas li').first().isVisible());
  await shot(page, 'dashboard-02-report-print');
  await page.emulateMedia({ media: 'screen' });

  // The wall display: no navigation, large type, back with one button.
  await app.open('/');
  await page.getByRole('button', { name: '大屏模式' }).click();
  await page.waitForURL(/\/screen/);
  await page.locator('figure.chart svg').first().waitFor();
  assert.equal(await page.locator('header.topbar').isVisible(), false);
  await shot(page, 'dashboard-03-wall');
  await page.getByRole('button', { name: '退出大屏' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.locator('header.topbar').waitFor();
});

test('the dashboard on a phone: nothing scrolls sideways, labels stay apart', async () => {
  const { page } = await sample({ viewport: { width: 390, height: 844 }, mobile: true });
  await page.getByRole('button', { name: '今年', exact: true }).click();
  await page.waitForURL(/from=\d{4}-01-01/);
  await settled(page);
  await shot(page, 'dashboard-04-phone');
  assert.equal(await horizontalOverflow(page), 0);
  assert.deepEqual(await badLabels(page), []);
});
