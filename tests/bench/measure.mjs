// Shared pieces of the benchmarks: timings at the database worker through the app's protocol.
import { openDbClient } from '../e2e/lib.mjs';

/** p50 and p95 of a list of milliseconds (nearest rank: the p95 of 20 runs is the 19th). */
export function quantiles(ms) {
  const s = [...ms].sort((a, b) => a - b);
  if (!s.length) throw new Error('no timings');
  const rank = (p) => s[Math.max(0, Math.ceil(p * s.length) - 1)];
  return { p50: rank(0.5), p95: rank(0.95) };
}

/**
 * Cases at street scale, timed at the database worker through the app's own protocol (what a
 * list, a filter, a case page or a step costs, without the page's rendering): p50 and p95.
 */
export async function timeCases(page, base) {
  await page.goto('about:blank');
  await openDbClient(page, base);
  const r = await page.evaluate(async () => {
    const db = await window.spawnDb();
    const status = (await db.call('Status')).Ok.Status;
    const timed = async (body, n) => {
      const ms = [];
      let last;
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        last = await db.call(typeof body === 'function' ? body(i) : body);
        ms.push(performance.now() - t0);
      }
      // The first run separately: what is computed once and kept until the data change (the
      // care list's who-is-due) makes the later runs cheaper.
      const first = ms[0];
      // In the page: the same nearest rank as quantiles() above.
      ms.sort((a, b) => a - b);
      const rank = (p) => ms[Math.max(0, Math.ceil(p * n) - 1)];
      return { first, p50: rank(0.5), p95: rank(0.95), last };
    };
    const code = status.communities[0].code;
    const root = (await db.call({ GridTree: { community_code: code } })).Ok.GridTree.nodes[0].id;
    const q = (extra) => ({ ListCases: { community_code: '', offset: 0, limit: 30, ...extra } });
    const out = { communities: status.communities.length };
    const first = await timed(q({}), 10);
    out.total = first.last.Ok.Cases.total;
    out['list, whole street, newest first'] = first;
    out['list, one community'] = await timed(q({ community_code: code }), 10);
    out['list, one grid subtree'] = await timed(q({ community_code: code, grid_id: root }), 10);
    out['list, state: escalated (street queue)'] = await timed(q({ state: 'escalated' }), 10);
    out['list, overdue only'] = await timed(q({ overdue_only: true }), 10);
    out['list, category group 01'] = await timed(q({ category: '01' }), 10);
    out['list, channel 12345'] = await timed(q({ channel: 'hotline_12345' }), 10);
    out['list, text search 垃圾'] = await timed(q({ text: '垃圾' }), 10);
    out['list, October, by deadline'] = await timed(q({ from: '2026-10-01', to: '2026-10-31', sort: 'deadline' }), 10);
    out['list, page 100'] = await timed(q({ offset: 3000 }), 10);
    const rows = (await db.call(q({ limit: 200 }))).Ok.Cases.rows;
    out['list, one assignee'] = await timed(q({ assignee: rows.find((x) => x.assignee)?.assignee ?? '' }), 10);
    out['case page (events, photos, moves)'] = await timed((i) => ({ GetCase: { id: rows[i % rows.length].id } }), 50);
    // The dashboard: every figure and chart of the page in one request (charts drawn too).
    const dash = (extra) => ({ Dashboard: { community_code: '', grid_id: '', from: '', to: '', lang: 'zh', narrow: false, ...extra } });
    const year = { from: '2026-01-01', to: '2026-12-31' };
    // 20 runs each: the p95 is then the second slowest, and the first run (this worker's first
    // dashboard) is reported on its own.
    out['dashboard, whole street, this month'] = await timed(dash({}), 20);
    out['dashboard, whole street, a year'] = await timed(dash(year), 20);
    out['dashboard, one community, a year'] = await timed(dash({ ...year, community_code: code }), 20);
    out['dashboard, one grid subtree, a year'] = await timed(dash({ ...year, community_code: code, grid_id: root }), 20);
    const open = rows.filter((x) => !['closed', 'rated', 'voided'].includes(x.state));
    out['one step (督办) on an open case'] = await timed((i) => ({ CaseMove: { case_id: open[i % open.length].id, mv: 'urge', remark: '', assignee: '', rating: '' } }), 30);
    db.terminate();
    return out;
  });
  const errors = Object.entries(r).filter(([, v]) => v?.last?.Err).map(([k, v]) => `${k}: ${JSON.stringify(v.last.Err)}`);
  if (errors.length) throw new Error(`cases in the worker: ${errors.join('; ')}`);
  return Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v === 'object'));
}
