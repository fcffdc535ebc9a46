// The budget view: what is left of the cost and token limits after each event, the spend of each agent, and the
// biggest charges (model calls, child runs, payments). Charts are uPlot.
import { html, useEffect, useRef } from './ui.js';
import uPlot from '../vendor/uPlot.mjs';
import { money } from './model.js';

function Chart({ model, at, series, title }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const n = model.total;
    const xs = Array.from({ length: n + 1 }, (_, i) => i);
    const data = [xs, ...series.map((s) => xs.map((i) => s.value(i)))];
    const width = Math.max(320, box.current.clientWidth - 8);
    const opts = {
      title, width, height: 220,
      scales: { x: { time: false } },
      axes: [{ label: 'journal position' }, { size: 70 }],
      series: [{ label: 'event' }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash }))],
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, box.current);
    return () => { plot.current?.destroy(); plot.current = null; };
  }, [model, model.version]);
  useEffect(() => {
    const u = plot.current;
    if (u) u.setCursor({ left: u.valToPos(at, 'x'), top: 10 });
  }, [at, model.version]);
  return html`<div class="chart" ref=${box}></div>`;
}

export function BudgetView({ model, at, onSelect }) {
  const now = model.spentAt(at);
  const spend = model.spendByAgent(at);
  const biggest = model.biggestCharges(10, at);
  const top = Math.max(...spend.map((s) => s.cost), 1e-9);
  return html`<div class="budget">
    <div class="budget-facts" data-at=${at}>
      <span data-field="cost-left">cost left <b>${money(now.costLeft)}</b> of ${money(now.maxCost)}</span>
      <span data-field="tokens-left">tokens left <b>${now.tokensLeft}</b> of ${now.maxTokens}</span>
    </div>
    <${Chart} model=${model} at=${at} title="cost (US dollars)" series=${[
      { label: 'remaining', color: '#2563eb', value: (i) => now.maxCost - (i === 0 ? 0 : model.cost[i - 1]) },
      { label: 'limit', color: '#dc2626', dash: [6, 4], value: () => now.maxCost },
    ]} />
    <${Chart} model=${model} at=${at} title="tokens" series=${[
      { label: 'remaining', color: '#059669', value: (i) => now.maxTokens - (i === 0 ? 0 : model.tokens[i - 1]) },
      { label: 'limit', color: '#dc2626', dash: [6, 4], value: () => now.maxTokens },
    ]} />
    <h3>Spend per agent</h3>
    <table class="spend">${spend.map((s) => html`<tr data-agent=${s.agent}><th>${s.agent}</th>
      <td class="bar-cell"><div class="bar" style=${{ width: `${(s.cost / top) * 100}%` }}></div></td>
      <td>${money(s.cost)}</td><td>${s.tokens} tok</td><td>${s.charges} charges</td></tr>`)}</table>
    <h3>Biggest charges</h3>
    <ol class="charges">${biggest.map((c) => html`<li data-seq=${c.seq}>
      <a href="#" onClick=${(e) => { e.preventDefault(); onSelect(c.seq); }}>event ${c.seq}</a>
      ${' '}${c.agent}: ${money(c.cost)} · ${c.tokens} tok · ${c.what}</li>`)}</ol>
  </div>`;
}
