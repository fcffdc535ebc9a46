// The console's side panels: the runs, the scrubber, the state at the scrubbed event and pending approvals.
import { html, useEffect, useLayoutEffect, useState } from './ui.js';
import * as api from './api.js';
import { money } from './model.js';

export function RunList({ runs, current, onPick }) {
  return html`<nav class="runs"><h2>Runs</h2><ul>${runs.map((r) => html`<li key=${r.id}
      class=${`${r.id === current ? 'current ' : ''}status-${r.status.toLowerCase()}`} data-run=${r.id}>
    <a href=${`?run=${r.id}`} onClick=${(e) => { e.preventDefault(); onPick(r.id); }}>
      <b>${r.team}</b> <span class="status">${r.status.toLowerCase().replaceAll('_', ' ')}</span><br />
      <small>${r.id.slice(0, 8)} · ${r.startedAt.replace('T', ' ').slice(0, 19)} · ${money(r.usage?.cost)}</small></a></li>`)}
  </ul></nav>`;
}

export function Scrubber({ at, total, follow, onAt, onFollow }) {
  return html`<div class="scrubber">
    <button title="first event" onClick=${() => onAt(0)}>|◀</button>
    <button title="previous event" onClick=${() => onAt(Math.max(0, at - 1))}>◀</button>
    <input type="range" min="0" max=${total} value=${at} aria-label="journal position"
      onInput=${(e) => onAt(Number(e.target.value))} />
    <button title="next event" onClick=${() => onAt(Math.min(total, at + 1))}>▶</button>
    <button class=${follow ? 'live on' : 'live'} title="follow the end" onClick=${onFollow}>live</button>
    <span class="position" data-at=${at}>event ${at} of ${total}</span>
  </div>`;
}

/** The run as the API says it stood after {@code at} events. */
export function StatePanel({ run, at, onError }) {
  const [state, setState] = useState(null);
  // Asked for before the browser paints the step change, so that the answer is not a frame late.
  useLayoutEffect(() => {
    const controller = new AbortController();
    api.get(`/api/runs/${encodeURIComponent(run)}/state?at=${at}`, controller.signal)
      .then((s) => { if (!controller.signal.aborted) setState(s); })
      .catch((e) => controller.signal.aborted || onError(e));
    return () => controller.abort();
  }, [run, at]);
  if (!state) return html`<div class="state loading">…</div>`;
  const b = state.budget;
  return html`<div class="state" data-seq=${state.seq}>
    <h3>state after event <span data-field="seq">${state.seq}</span> of ${state.total}</h3>
    <dl class="facts">
      <dt>status</dt><dd data-field="status">${state.status}</dd>
      <dt>spent</dt><dd data-field="cost">${money(state.usage.cost)}</dd>
      <dt>tokens</dt><dd data-field="tokens">${state.usage.inputTokens + state.usage.outputTokens}</dd>
      <dt>cost left</dt><dd data-field="cost-left">${money(Number(b.maxCost) - Number(state.usage.cost))}</dd>
      <dt>turns</dt><dd data-field="turns">${state.turns} of ${b.maxTurns}</dd>
      <dt>messages</dt><dd data-field="messages">${state.messages}</dd>
      <dt>decisions</dt><dd data-field="decisions">${state.decisions}</dd>
      <dt>blocked</dt><dd data-field="blocked">${state.blocked}</dd>
      <dt>waiting</dt><dd data-field="pending">${state.pending.length}</dd>
    </dl>
    ${state.lastDecision && html`<p class="last" data-field="last-decision">${state.lastDecision}</p>`}
    ${state.lastMessage && html`<p class="last" data-field="last-message">${state.lastMessage}</p>`}
    <table class="agents">${Object.entries(state.agents).map(([id, a]) => html`<tr data-agent=${id}>
      <th>${id}</th><td data-field="activity" class=${`activity-${a.activity}`}>${a.activity}</td>
      <td data-field="calls">${a.modelCalls} calls</td><td data-field="agent-cost">${money(a.usage.cost)}</td></tr>`)}</table>
  </div>`;
}

export function Approvals({ run, version, onError, onDecided }) {
  const [pending, setPending] = useState([]);
  const [busy, setBusy] = useState(null);
  const load = (signal) => api.get(`/api/approvals?run=${encodeURIComponent(run)}`, signal)
    .then((a) => setPending(a.approvals)).catch((e) => signal?.aborted || onError(e));
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [run, version]);
  if (!pending.length) return null;
  const decide = async (approval, approve) => {
    setBusy(approval.id);
    try {
      await api.post(`/api/approvals/${approval.id}/${approve ? 'approve' : 'deny'}`, { by: 'console' });
      onDecided();
      await load();
    } catch (e) { onError(e); } finally { setBusy(null); }
  };
  return html`<div class="approvals"><h3>Waiting for a person</h3>${pending.map((a) => html`<div class="approval" data-approval=${a.id}>
    <p><b>${a.agent ?? 'the run'}</b> · ${a.point.toLowerCase().replaceAll('_', ' ')} · ${a.reason}</p>
    <pre class="payload">${a.subject.tool ? `${a.subject.tool}(${a.subject.arguments})` : JSON.stringify(a.subject)}</pre>
    <button class="approve" disabled=${busy === a.id} onClick=${() => decide(a, true)}>Approve</button>
    <button class="deny" disabled=${busy === a.id} onClick=${() => decide(a, false)}>Deny</button></div>`)}</div>`;
}
