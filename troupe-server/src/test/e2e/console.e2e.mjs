// Drives the Troupe console in the system's headless Chromium (never a downloaded browser) for ConsoleE2EIT.
// Usage: node console.e2e.mjs SCENARIO, with the configuration as JSON in E2E_CONFIG:
//   {base, golden, variant, live, held, denied, perf, control, out}
// It writes what the page showed to OUT/SCENARIO.json, and a screenshot OUT/SCENARIO*.png; ConsoleE2EIT asserts.
// Every wait awaits a condition in the page; nothing sleeps.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scenario = process.argv[2];
const config = JSON.parse(process.env.E2E_CONFIG);
const out = config.out;
mkdirSync(out, { recursive: true });

const profile = mkdtempSync(join(tmpdir(), 'troupe-console-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: config.chromium ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', '--disable-quic'],
  viewport: { width: 1500, height: scenario === 'perf' ? 1000 : 1900 },
});
const page = context.pages()[0] ?? await context.newPage();
const pageErrors = [];
const consoleErrors = [];
const failedRequests = [];
page.on('pageerror', (e) => pageErrors.push(String(e?.stack ?? e)));
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('requestfailed', (r) => {
  // The console aborts what it no longer needs (a stream it leaves, the state of a step already scrubbed past).
  if (r.failure()?.errorText !== 'net::ERR_ABORTED') {
    failedRequests.push(`${r.url()} ${r.failure()?.errorText}`);
  }
});
page.setDefaultTimeout(60_000);

const result = { scenario };
const shot = async (name) => page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
const open = async (query) => {
  await page.goto(`${config.base}/${query}`);
  await page.waitForSelector('.console');
};
const arrows = () => page.$$eval('g.arrow', (gs) => gs.map((g) => ({
  seq: Number(g.dataset.seq), from: g.dataset.from, to: g.dataset.to.split(',').filter(Boolean),
  performative: g.dataset.performative, label: g.querySelector('text').textContent,
})));
const control = (path) => fetch(`${config.control}${path}`, { method: 'POST' }).then((r) => {
  if (!r.ok) throw new Error(`control ${path}: ${r.status}`);
});
const stateShown = () => page.$eval('.state', (s) => {
  const field = (name, root = s) => root.querySelector(`[data-field="${name}"]`)?.textContent ?? null;
  return {
    seq: Number(s.dataset.seq), status: field('status'), cost: field('cost'), tokens: field('tokens'),
    turns: field('turns'), messages: field('messages'), decisions: field('decisions'), blocked: field('blocked'),
    pending: field('pending'), lastDecision: field('last-decision'),
    agents: Object.fromEntries([...s.querySelectorAll('tr[data-agent]')].map((tr) => [tr.dataset.agent, {
      activity: field('activity', tr), calls: field('calls', tr), cost: field('agent-cost', tr) }])),
  };
});
const apiJson = (path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);

try {
  switch (scenario) {
    case 'sequence': {
      await open(`?run=${config.golden}`);
      await page.waitForSelector('.sequence[data-events]:not([data-events="0"])');
      await page.waitForSelector('.run-title:has-text("ended")');
      result.events = Number(await page.getAttribute('.sequence', 'data-events'));
      result.lifelines = await page.$$eval('.lifeline-head', (hs) => hs.map((h) => h.dataset.lifeline));
      result.arrows = await arrows();
      result.badges = await page.$$eval('g.badge', (gs) => gs.map((g) => ({ seq: Number(g.dataset.seq), agent: g.dataset.agent,
        verdict: g.dataset.verdict, label: g.textContent })));
      result.ticks = await page.$$eval('g.tick', (gs) => gs.map((g) => ({ seq: Number(g.dataset.seq), agent: g.dataset.agent, cost: Number(g.dataset.cost) })));
      result.activations = await page.$$eval('rect.activation', (rs) => rs.map((r) => ({ seq: Number(r.dataset.seq), agent: r.dataset.agent, kind: r.dataset.kind })));
      result.decisions = await page.$$eval('g.decision', (gs) => gs.map((g) => ({ seq: Number(g.dataset.seq), kind: g.dataset.decision, chosen: g.dataset.chosen })));
      await shot('sequence');
      // The inspector shows the blocked answer's verdict when its badge's row is picked.
      const blocked = result.badges.find((b) => b.verdict === 'block');
      if (blocked) {
        await page.click('.sequence-svg', { position: { x: 20, y: (blocked.seq - 1) * 24 + 12 } });
        await page.waitForSelector(`.inspector[data-seq="${blocked.seq}"]`);
        result.inspector = await page.textContent('.inspector');
        await shot('inspector');
      }
      break;
    }
    case 'live': {
      await open(`?run=${config.live}`);
      await page.waitForSelector('g.arrow');
      const counts = [(await arrows()).length];
      for (let i = 0; i < 4; i++) {
        await control('/release?calls=1');
        const before = counts.at(-1);
        await page.waitForFunction((n) => document.querySelectorAll('g.arrow').length > n, before);
        counts.push((await arrows()).length);
      }
      result.followedEnd = await page.$eval('.scrubber .live', (b) => b.classList.contains('on'));
      await shot('live-growing');
      await control('/release?calls=100');
      await page.waitForSelector('.run-title:has-text("ended")');
      await page.waitForFunction(() => document.querySelector('.run-title')?.textContent.includes('ended'));
      result.counts = counts;
      result.events = Number(await page.getAttribute('.sequence', 'data-events'));
      result.arrows = await arrows();
      await shot('live-ended');
      break;
    }
    case 'scrubber': {
      result.checks = [];
      for (const k of config.steps) {
        await open(`?run=${config.golden}&at=${k}`);
        await page.waitForSelector(`.state[data-seq="${k}"]`);
        result.checks.push({ k, shown: await stateShown(), api: await apiJson(`/api/runs/${config.golden}/state?at=${k}`),
          cursor: Number(await page.getAttribute('line.cursor', 'data-at')), futureRows: await page.$$eval('g.row.future', (r) => r.length) });
      }
      await shot('scrubber');
      // Moving the scrubber by hand updates the state and the URL.
      const k = config.steps[0] + 1;
      await page.fill('.scrubber input[type=range]', String(k));
      await page.waitForSelector(`.state[data-seq="${k}"]`);
      await page.waitForFunction((at) => new URLSearchParams(location.search).get('at') === String(at), k);
      result.moved = { k, url: page.url(), shown: await stateShown(), api: await apiJson(`/api/runs/${config.golden}/state?at=${k}`) };
      break;
    }
    case 'market': {
      await open(`?run=${config.golden}&view=market`);
      await page.waitForSelector('.market-card');
      result.cards = await page.$$eval('.market-card', (cards) => cards.map((c) => ({
        seq: Number(c.dataset.seq), kind: c.dataset.kind, winner: c.dataset.winner,
        headline: c.querySelector('.headline')?.textContent, formula: c.querySelector('.formula')?.textContent,
        margin: c.querySelector('[data-field="margin"]')?.textContent, tieBreak: c.querySelector('[data-field="tie-break"]')?.textContent,
        price: c.querySelector('[data-field="price"]')?.textContent ?? null,
        losers: [...c.querySelectorAll('[data-loser]')].map((l) => ({ agent: l.dataset.loser, text: l.textContent })),
        matrix: [...c.querySelectorAll('.vote-matrix tr[data-voter]')].map((tr) => ({ voter: tr.dataset.voter,
          votes: [...tr.querySelectorAll('td')].map((td) => ({ option: td.dataset.option, cell: td.textContent })) })),
        tally: [...c.querySelectorAll('.vote-matrix .tally td')].map((td) => td.textContent),
      })));
      await page.setViewportSize({ width: 1500, height: 1300 });
      await shot('market');
      break;
    }
    case 'diff': {
      await open(`?run=${config.golden}&view=diff&with=${config.variant}`);
      await page.waitForSelector('.divergence');
      await page.waitForSelector('.side-by-side');
      result.headline = await page.textContent('.divergence');
      result.seq = Number(await page.getAttribute('.divergence', 'data-seq'));
      result.deltas = await page.$$eval('.deltas tr[data-agent]', (rows) => rows.map((r) => ({ agent: r.dataset.agent,
        cells: [...r.querySelectorAll('td')].map((td) => td.textContent) })));
      result.divergingRow = await page.textContent('.side-by-side tr.diverges');
      await page.setViewportSize({ width: 1500, height: 1000 });
      await shot('diff');
      break;
    }
    case 'views': {
      await open(`?run=${config.golden}&view=timeline`);
      await page.waitForSelector('.span');
      result.spans = await page.$$eval('.span', (ss) => ss.map((s) => ({ name: s.dataset.name, kind: s.dataset.kind, from: Number(s.dataset.from),
        took: s.dataset.took === '' ? null : Number(s.dataset.took) })));
      result.timelineAxis = await page.getAttribute('.timeline', 'data-axis');
      await shot('timeline');
      await page.click('button[data-view="budget"]');
      await page.waitForSelector('.budget .u-over');
      result.budget = {
        costLeft: await page.textContent('[data-field="cost-left"]'),
        spend: await page.$$eval('.spend tr[data-agent]', (rows) => rows.map((r) => ({ agent: r.dataset.agent, text: r.textContent }))),
        charges: await page.$$eval('.charges li', (ls) => ls.map((l) => ({ seq: Number(l.dataset.seq), text: l.textContent }))),
        charts: await page.$$eval('.budget .uplot', (cs) => cs.length),
        axes: await page.$$eval('.budget .chart', (cs) => cs.map((c) => c.dataset.axis)),
        axisLabel: await page.getAttribute('.budget .chart', 'data-axis-label'),
        elapsed: await page.textContent('[data-field="elapsed"]'),
      };
      // Scrubbed back to the auction, the budget view shows the time of that moment.
      await page.goto(`${config.base}/?run=${config.golden}&view=budget&at=${config.auctionSeq}`);
      await page.waitForSelector(`.budget-facts[data-at="${config.auctionSeq}"]`);
      result.budget.elapsedAtAuction = await page.textContent('[data-field="elapsed"]');
      await shot('budget');
      break;
    }
    case 'deny': {
      await open(`?run=${config.denied}`);
      await page.waitForSelector('.approval');
      result.approval = await page.textContent('.approval');
      await page.click('.approval button.deny');
      await page.waitForSelector('.run-title:has-text("ended")');
      await page.waitForSelector('g.badge[data-verdict="denied"]');
      result.deniedBadges = await page.$$eval('g.badge[data-verdict="denied"]', (gs) => gs.map((g) => ({
        seq: Number(g.dataset.seq), label: g.textContent })));
      result.pendingAfter = await page.$$eval('.approval', (as) => as.length);
      result.title = await page.textContent('.run-title');
      await shot('deny');
      break;
    }
    case 'approvals': {
      await open(`?run=${config.held}`);
      await page.waitForSelector('.approval');
      result.approval = await page.textContent('.approval');
      await shot('approval');
      await page.click('.approval button.approve');
      await page.waitForSelector('.run-title:has-text("ended")');
      await page.waitForSelector('g.badge[data-verdict="approved"]');
      result.approvedBadges = await page.$$eval('g.badge[data-verdict="approved"]', (gs) => gs.length);
      break;
    }
    case 'perf': {
      const t0 = Date.now();
      await open(`?run=${config.perf}&at=${Math.floor(config.perfEvents / 2)}`);
      await page.waitForSelector(`.sequence[data-events="${config.perfEvents}"]`, { timeout: 180_000 });
      await page.waitForSelector('.state[data-seq]');
      result.loadMillis = Date.now() - t0;
      // A step change: the scrubber moves to k; done when the sequence view's cursor and the state panel (from the
      // API) both show k and the browser has painted.
      result.samples = await page.evaluate(async ({ total, steps }) => {
        const input = document.querySelector('.scrubber input[type=range]');
        performance.setResourceTimingBufferSize(10_000);
        // Resolves as soon as the DOM satisfies test: checked at once and after every mutation, never by polling.
        const until = (test) => new Promise((resolve) => {
          if (test()) { resolve(); return; }
          const observer = new MutationObserver(() => { if (test()) { observer.disconnect(); resolve(); } });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        });
        // After the next paint: the frame's callbacks run before it paints, a task queued from them runs after.
        const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        const samples = [];
        let seed = 12345;
        const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
        for (let i = 0; i < steps; i++) {
          const k = i % 2 === 0 ? Math.floor(random() * total) + 1 : Math.min(total, Number(input.value) + 1);
          await painted();
          const start = performance.now();
          input.value = String(k);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await until(() => document.querySelector(`line.cursor[data-at="${k}"]`) && document.querySelector(`.inspector[data-seq="${k}"]`));
          await painted();
          const sequence = performance.now() - start;
          await until(() => document.querySelector(`.state[data-seq="${k}"]`));
          await painted();
          const request = performance.getEntriesByType('resource').filter((e) => e.name.endsWith(`/state?at=${k}`)).at(-1);
          samples.push({ k, sequence, total: performance.now() - start, request: request?.duration ?? null });
        }
        return samples;
      }, { total: config.perfEvents, steps: 40 });
      await shot('perf');
      break;
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
} catch (e) {
  result.failure = String(e?.stack ?? e);
  await shot(`${scenario}-failure`).catch(() => {});
} finally {
  result.pageErrors = pageErrors;
  result.consoleErrors = consoleErrors;
  result.failedRequests = failedRequests;
  writeFileSync(join(out, `${scenario}.json`), JSON.stringify(result, null, 2));
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${scenario}: ${result.failure ? 'FAILED' : 'done'}, ${pageErrors.length} page errors, ${consoleErrors.length} console errors`);
process.exit(result.failure ? 1 : 0);
