// The built app runs under its Content-Security-Policy (scripts/csp.py puts it in after the
// build): the policy is there and strict, and going through the pages of the sample community
// (dashboard charts, grid tree, lists, a case with its timeline, the roster and the care list)
// raises no violation report — in the page or in the database worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newProfileDir, launch, App, SetupPage } from './lib.mjs';

let server;
const opened = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  await server.close();
});

test('the app runs under a strict Content-Security-Policy with no violation', async () => {
  const { context, page } = await launch(newProfileDir());
  opened.push(context);
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const app = new App(page, server.url);
  await app.open('/');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.match(policy, /connect-src 'self'/);
  assert.match(policy, /object-src 'none'/);
  assert.doesNotMatch(policy, /https?:|\*/, 'no other origin');
  assert.doesNotMatch(policy.match(/script-src[^;]*/)[0], /'unsafe-inline'|'unsafe-eval'/);
  await new SetupPage(page).waitForIt();
  await new SetupPage(page).loadSample();
  await page.getByRole('heading', { name: '永安社区', level: 1 }).waitFor({ timeout: 120000 });
  await page.locator('figure.chart svg').first().waitFor({ timeout: 60000 });
  for (const [name, ready] of [
    ['网格', 'ul.tree'],
    ['居民', 'table'],
    ['重点人群', '.care-list'],
    ['排班', '.roster'],
    ['志愿者', '.volunteer-list'],
    ['事件', '.case-list'],
  ]) {
    await app.nav(name);
    await page.locator(ready).first().waitFor({ timeout: 30000 });
  }
  await page.locator('.case-list a').first().click();
  await page.locator('ol.timeline').waitFor();
  const seen = await page.evaluate(() => window.__csp);
  assert.deepEqual([...seen, ...violations], [], 'no CSP violation');
});
