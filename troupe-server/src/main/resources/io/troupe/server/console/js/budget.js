// The budget view: what is left of the cost and token limits over the run's time (the time each event was journaled;
// journal positions when the journal holds no times), the spend of each agent, and the biggest charges (model calls,
// child runs, payments). Charts are uPlot.
import { html, useEffect, useRef } from './ui.js';
import uPlot from '../vendor/uPlot.mjs';
import { money, seconds } from './model.js';

function axisLabel(model) {
  return model.timed ? 'seconds since the run started' : 'journal position (the journal holds no times)';
}

function Chart({ model, at, series, title }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const n = model.total;
    const positions = Array.from({ length: n + 1 }, (_, i) => i);
    const timed = model.timed;
    const xs = timed ? positions.map((i) => model.elapsedAt(i)) : positions;
    const data = [xs, ...series.map((s) => positions.map((i) => s.value(i)))];
    const width = Math.max(320, box.current.clientWidth - 8);
    const opts = {
      title, width, height: 220,
      scales: { x: { time: false } },
      axes: [{ label: axisLabel(model) }, { size: 70 }],
      series: [{ label: timed ? 'time' : 'event', value: (u, v) => (v == null ? '–' : timed ? seconds(v) : v) },
        ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash }))],
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, box.current);
    return () => { plot.current?.destroy(); plot.current = null; };
  }, [model, model.version]);
  useEffect(() => {
    const u = plot.current;
    if (u) u.setCursor({ left: u.valToPos(model.timed ? model.elapsedAt(at) : at, 'x'), top: 10 });
  }, [at, model.version]);
  return html`<div class="chart" data-axis=${model.timed ? 'time' : 'position'} data-axis-label=${axisLabel(model)} ref=${box}></div>`;
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
      ${model.timed && html`<span data-field="elapsed">at <b>${seconds(model.elapsedAt(at))}</b> into the run</span>`}
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
      ${' '}${model.timed ? html`<span class="muted">${seconds(model.elapsedAt(c.seq))}</span> ` : ''}${c.agent}: ${money(c.cost)} · ${c.tokens} tok · ${c.what}</li>`)}</ol>
  </div>`;
}
