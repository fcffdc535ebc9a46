// The diff view: this run and another aligned event by event (GET /api/runs/{id}/diff), the first divergence
// headlined, the events around it side by side, and each agent's tokens, cost, calls and latency (the time its model
// and tool calls took, from the journals' times) in both runs.
import { html, useEffect, useState } from './ui.js';
import * as api from './api.js';
import { RunModel, money, seconds, isoSeconds } from './model.js';

function delta(value, digits = 0, format = null) {
  const n = Number(value);
  const text = format ? format(n) : digits ? (Math.round(n * 10 ** digits) / 10 ** digits).toString() : String(n);
  return html`<span class=${n > 0 ? 'up' : n < 0 ? 'down' : 'same'}>${n > 0 ? '+' : ''}${text}</span>`;
}

function latency(a) {
  const left = isoSeconds(a.leftLatency);
  const right = isoSeconds(a.rightLatency);
  if (left === null || right === null) {
    return html`<td class="muted" data-field="latency" title="A journal written before times were recorded">not journaled</td><td></td>`;
  }
  return html`<td data-field="latency">${seconds(left)} → ${seconds(right)}</td>
    <td data-field="latency-delta">${delta(Math.round((right - left) * 1000) / 1000, 0, (n) => `${seconds(n)}`)}</td>`;
}

export function DiffView({ model, runs, other, onOther, onError }) {
  const [diff, setDiff] = useState(null);
  const [right, setRight] = useState(null);
  useEffect(() => {
    setDiff(null);
    setRight(null);
    if (!other) return undefined;
    const controller = new AbortController();
    api.get(`/api/runs/${encodeURIComponent(model.id)}/diff?with=${encodeURIComponent(other)}`, controller.signal)
      .then(setDiff).catch((e) => controller.signal.aborted || onError(e));
    const theirs = new RunModel(other);
    api.events(other, 1, controller.signal, (events) => theirs.addAll(events))
      .then(() => setRight(theirs)).catch((e) => controller.signal.aborted || onError(e));
    return () => controller.abort();
  }, [model.id, other, model.finished]);
  const choices = runs.filter((r) => r.id !== model.id);
  const d = diff?.divergence;
  const around = d ? Array.from({ length: 9 }, (_, i) => d.seq - 4 + i).filter((s) => s >= 1) : [];
  return html`<div class="diff">
    <label>Compare with <select data-field="other" value=${other ?? ''} onChange=${(e) => onOther(e.target.value || null)}>
      <option value="">choose a run…</option>
      ${choices.map((r) => html`<option value=${r.id}>${r.team} · ${r.id.slice(0, 8)} · ${r.status.toLowerCase()} · ${r.startedAt.replace('T', ' ').slice(0, 19)}</option>`)}
    </select></label>
    ${other && !diff && html`<p class="empty">Aligning the runs…</p>`}
    ${diff && html`<div>
      <h2 class="divergence" data-seq=${d?.seq ?? ''}>${d ? d.headline : `The runs mean the same throughout (${diff.aligned} events).`}</h2>
      ${d && html`<p class="aligned">${diff.aligned} events mean the same in both runs before it.</p>`}
      ${d && right && html`<table class="side-by-side">
        <thead><tr><th>event</th><th>${model.id.slice(0, 8)} (this run)</th><th>${other.slice(0, 8)}</th></tr></thead>
        <tbody>${around.map((s) => html`<tr class=${s === d.seq ? 'diverges' : s < d.seq ? 'same' : 'after'}>
          <td>${s}</td><td>${model.rows[s - 1]?.label ?? '(ended)'}</td><td>${right.rows[s - 1]?.label ?? '(ended)'}</td></tr>`)}</tbody>
      </table>`}
      <h3>Per agent (other run minus this run)</h3>
      <table class="deltas"><thead><tr><th>agent</th><th>tokens</th><th>Δ tokens</th><th>cost</th><th>Δ cost</th>
        <th>calls</th><th>Δ calls</th><th>latency</th><th>Δ latency</th></tr></thead>
        <tbody>${diff.agents.map((a) => html`<tr data-agent=${a.agent}><th>${a.agent}</th>
          <td>${a.leftTokens} → ${a.rightTokens}</td><td>${delta(a.rightTokens - a.leftTokens)}</td>
          <td>${money(a.leftCost)} → ${money(a.rightCost)}</td><td>${delta(a.rightCost - a.leftCost, 4)}</td>
          <td>${a.leftCalls} → ${a.rightCalls}</td><td>${delta(a.rightCalls - a.leftCalls)}</td>
          ${latency(a)}</tr>`)}</tbody>
      </table>
    </div>`}
  </div>`;
}
