// The inspector: everything the journal holds about one event: payloads, prompts and completions, tokens, cost,
// verdicts, and the explanation of a decision or a verdict.
import { html } from './ui.js';
import { money, receivers, seconds } from './model.js';

function Prompt({ request }) {
  return html`<div class="prompt">${(request?.messages ?? []).map((m) => html`<div class="chat-message">
    <span class="role">${(m['@type'] ?? '').replace('ChatMessage$', '').toLowerCase()}</span>
    <pre>${m.text ?? m.content ?? JSON.stringify(m)}</pre></div>`)}</div>`;
}

function Usage({ usage }) {
  if (!usage) return null;
  return html`<dl class="facts"><dt>input tokens</dt><dd data-field="input-tokens">${usage.inputTokens}</dd>
    <dt>output tokens</dt><dd data-field="output-tokens">${usage.outputTokens}</dd>
    <dt>cost</dt><dd data-field="cost">${money(usage.cost)}</dd></dl>`;
}

function Body({ envelope, model }) {
  const e = envelope.event;
  switch (envelope.type) {
    case 'MessageSent': {
      const m = e.message;
      return html`<dl class="facts"><dt>from</dt><dd>${m.sender}</dd><dt>to</dt><dd>${receivers(m, model.members).join(', ')}</dd>
        <dt>performative</dt><dd data-field="performative">${m.performative}</dd>
        ${m.inReplyTo && html`<dt>in reply to</dt><dd>${m.inReplyTo}</dd>`}</dl>
        <pre class="payload">${m.body}</pre>${m.payload && html`<h4>payload</h4><pre class="payload">${m.payload}</pre>`}`;
    }
    case 'LlmRequested':
      return html`<dl class="facts"><dt>agent</dt><dd>${e.agentId}</dd><dt>model</dt><dd>${e.model}</dd>
        <dt>step</dt><dd>${e.step}</dd><dt>estimated prompt</dt><dd>${e.estimatedInputTokens} tokens</dd></dl>
        <h4>prompt</h4><${Prompt} request=${e.request} />`;
    case 'LlmCompleted':
      return html`<dl class="facts"><dt>agent</dt><dd>${e.agentId}</dd><dt>step</dt><dd>${e.step}</dd></dl>
        <${Usage} usage=${e.response?.usage} /><h4>completion</h4><pre class="payload" data-field="completion">${e.response?.text}</pre>
        ${(e.response?.toolCalls ?? []).map((c) => html`<pre class="payload">${c.name}(${c.arguments})</pre>`)}`;
    case 'ToolRequested':
      return html`<dl class="facts"><dt>tool</dt><dd>${e.call?.name}</dd><dt>key</dt><dd>${e.idempotencyKey}</dd></dl>
        <pre class="payload">${e.call?.arguments}</pre>`;
    case 'ToolCompleted':
      return html`<pre class=${`payload${e.result?.error ? ' error' : ''}`}>${e.result?.content}</pre>`;
    case 'Intercepted':
      return html`<dl class="facts"><dt>point</dt><dd>${e.point}</dd><dt>agent</dt><dd>${e.agentId ?? '—'}</dd></dl>
        <ul class="rulings">${e.rulings.map((r) => html`<li data-verdict=${r.verdict['@type']}><b>${r.interceptor}</b>:
          ${r.verdict['@type'].replace('Verdict$', '').toLowerCase()}${r.verdict.reason ? ` — ${r.verdict.reason}` : ''}</li>`)}</ul>`;
    case 'RunFinished':
      return html`<p>${e.outcome?.['@type']?.replace('Outcome$', '')}</p><${Usage} usage=${e.usage} />
        ${e.outcome?.result && html`<pre class="payload">${e.outcome.result}</pre>`}`;
    default:
      return null;
  }
}

/** For the end of a call: how long it took. */
function took(model, seq) {
  const call = model.activations.find((a) => a.to === seq && a.tookMs != null);
  return call ? ` · ${call.label} took ${seconds(call.tookMs / 1000)}` : '';
}

export function Inspector({ model, seq, explanation }) {
  const envelope = seq >= 1 ? model.events[seq - 1] : null;
  if (!envelope) return html`<div class="inspector empty">Pick an event to inspect it.</div>`;
  const explained = (explanation?.explanations ?? []).filter((x) => x.seq === seq);
  return html`<div class="inspector" data-seq=${seq}>
    <h3>event ${seq} · ${envelope.type}</h3>
    ${envelope.at && html`<p class="muted" data-field="journaled-at">${`journaled ${envelope.at.replace('T', ' ').replace('Z', ' UTC')} · ${seconds(model.elapsedAt(seq))} into the run${took(model, seq)}`}</p>`}
    ${explained.map((x) => html`<div class="explained" data-kind=${x.kind}><p class="headline">${x.headline}</p>
      <ul>${x.details.map((d) => html`<li>${d}</li>`)}</ul></div>`)}
    <${Body} envelope=${envelope} model=${model} />
    <details><summary>journal JSON</summary><pre class="payload">${JSON.stringify(envelope.event, null, 2)}</pre></details>
  </div>`;
}
