// The market view: each auction, award and vote with its bids or ballots, the winner's score term by term with the
// rule's formula, the margin over the runner-up, the tie-break, and why each losing option lost; votes as a voter ×
// option matrix. The cards are troupe-explain's score cards, as GET /api/runs/{id}/explain gives them.
import { html } from './ui.js';
import { losers, marketCards, voteMatrix } from './model.js';

function Terms({ terms }) {
  return Object.entries(terms ?? {}).filter(([k]) => k !== 'rationale')
    .map(([k, v]) => html`<span class="term"><b>${k}</b> ${v}</span>`);
}

function VoteMatrix({ card }) {
  const m = voteMatrix(card);
  return html`<table class="vote-matrix">
    <thead><tr><th>voter \\ option</th>${m.options.map((o) => html`<th class=${o === card.winner ? 'winner' : ''}>${o}</th>`)}</tr></thead>
    <tbody>
      ${m.voters.map((voter, i) => html`<tr data-voter=${voter}><th>${voter}</th>
        ${m.cells[i].map((cell, j) => html`<td data-option=${m.options[j]}>${cell == null ? '' : `✓ ${cell}`}</td>`)}</tr>`)}
      <tr class="tally"><th>tally</th>${m.tally.map((t) => html`<td>${t}</td>`)}</tr>
    </tbody>
  </table>
  ${m.excluded.map((o) => html`<div class="excluded">${o.agent}: ${o.outcome}</div>`)}`;
}

export function MarketCard({ explanation, onSelect }) {
  const card = explanation.score;
  return html`<section class="market-card" data-seq=${explanation.seq} data-kind=${explanation.kind}
      data-winner=${card?.winner ?? ''}>
    <h3><a href="#" onClick=${(e) => { e.preventDefault(); onSelect(explanation.seq); }}>event ${explanation.seq}</a>
      ${' '}${explanation.kind.toLowerCase()}</h3>
    <p class="headline">${explanation.headline}</p>
    ${card && html`<div>
      <p class="formula"><b>rule ${card.rule}:</b> ${card.formula}</p>
      <dl class="facts">
        <dt>winner</dt><dd class="winner" data-field="winner">${card.winner ?? 'none'}</dd>
        <dt>margin</dt><dd data-field="margin">${card.margin == null ? '—' : `${card.margin} over ${card.runnerUp}`}</dd>
        <dt>tie-break</dt><dd data-field="tie-break">${card.tieBreak ?? 'not needed'}</dd>
        ${card.price != null && html`<dt>price</dt><dd data-field="price">${card.price}</dd>`}
      </dl>
      ${explanation.kind === 'VOTE' ? html`<${VoteMatrix} card=${card} />` : html`<table class="bids">
        <thead><tr><th>rank</th><th>bidder</th><th>terms</th><th>score</th><th>outcome</th></tr></thead>
        <tbody>${card.options.map((o) => html`<tr class=${o.agent === card.winner ? 'winner' : 'loser'} data-agent=${o.agent}>
          <td>${o.rank || '—'}</td><td>${o.agent}</td><td><${Terms} terms=${o.terms} /></td>
          <td>${o.score ?? '—'}</td><td>${o.outcome}</td></tr>`)}</tbody>
      </table>`}
      <ul class="losers">${losers(card).map((l) => html`<li data-loser=${l.agent}><b>${l.agent}</b> lost: ${l.why}</li>`)}</ul>
    </div>`}
  </section>`;
}

export function MarketView({ explanation, onSelect }) {
  if (!explanation) return html`<p class="empty">Reading the decisions…</p>`;
  const cards = marketCards(explanation);
  if (!cards.length) return html`<p class="empty">This run made no auction, award or vote.</p>`;
  return html`<div class="market">${cards.map((e) => html`<${MarketCard} explanation=${e} onSelect=${onSelect} />`)}</div>`;
}
