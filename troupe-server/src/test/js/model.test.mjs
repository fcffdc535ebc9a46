// Unit tests of the console's pure logic, without a browser: node --test (ConsoleLogicTest runs them in the build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunModel, voteMatrix, readPlace, writePlace, visibleWindow, marketCards, losers, verdictOf, money, seconds, isoSeconds }
  from '../../main/resources/io/troupe/server/console/js/model.js';
import { parseFrame, parseJson } from '../../main/resources/io/troupe/server/console/js/api.js';

const RUN = 'run-1';
const member = (id) => ({ '@type': 'Member$Agent', spec: { id, role: 'translator' } });
const agents = (...ids) => ({ '@type': 'Receivers$Agents', ids });
const usage = (inputTokens, outputTokens, cost) => ({ inputTokens, outputTokens, cost });

/** A small journal in the API's shape: a CFP to three bidders, their bids, an auction with a payment, a block. */
function journal() {
  const events = [
    ['RunStarted', { team: { name: 'desk', members: ['ann', 'ben', 'cat'].map(member),
      budget: { maxTokens: 1000, maxCost: 1, maxTurns: 10, maxWallTime: 'PT5M' } }, task: 'Translate' }],
    ['MessageSent', { message: { id: 'cfp', sender: '@team', receivers: agents('ann', 'ben', 'cat'), performative: 'CFP', body: 'Bid' } }],
    ['TurnStarted', { turnId: 'cfp/ann', agentId: 'ann', requestId: 'cfp', parentStep: null }],
    ['TurnStarted', { turnId: 'cfp/ben', agentId: 'ben', requestId: 'cfp', parentStep: null }],
    ['LlmRequested', { step: 1, agentId: 'ann', turnId: 'cfp/ann', model: 'm' }],
    ['LlmRequested', { step: 2, agentId: 'ben', turnId: 'cfp/ben', model: 'm' }],
    ['LlmCompleted', { step: 1, agentId: 'ann', response: { text: '{"amount":5}', usage: usage(100, 20, 0.01) } }],
    ['MessageSent', { message: { id: 'p1', inReplyTo: 'cfp', sender: 'ann', receivers: agents('@team'), performative: 'PROPOSE', body: '{"amount":5}' } }],
    ['LlmCompleted', { step: 2, agentId: 'ben', response: { text: '{"amount":4}', usage: usage(90, 10, 0.03) } }],
    ['Intercepted', { key: 'cfp/ben:out', point: 'OUTGOING', agentId: 'ben', rulings: [
      { interceptor: 'audit', verdict: { '@type': 'Verdict$Proceed' } },
      { interceptor: 'pii', verdict: { '@type': 'Verdict$Block', reason: 'an e-mail address' } }] }],
    ['MessageSent', { message: { id: 'p2', inReplyTo: 'cfp', sender: 'ben', receivers: agents('@team'), performative: 'FAILURE', body: 'blocked' } }],
    ['DecisionRecorded', { decision: { kind: 'auction', rule: 'vickrey', chosen: 'ann', options: [],
      payments: [{ from: 'ann', to: '@team', amount: 4, reason: 'won' }] } }],
    ['RunFinished', { outcome: { '@type': 'Outcome$Completed', result: 'done' }, usage: usage(190, 30, 0.04), turns: 2 }],
  ];
  return events.map(([type, event], i) => ({ seq: i + 1, run: RUN, type, event: { '@type': `JournalEvent$${type}`, ...event } }));
}

test('arrows follow the messages, from sender to receivers, labelled by performative', () => {
  const model = new RunModel(RUN);
  model.addAll(journal());
  assert.deepEqual(model.lifelines, ['@team', 'ann', 'ben', 'cat']);
  assert.deepEqual(model.arrows().map((a) => [a.seq, a.from, a.to.join(','), a.performative]),
    [[2, '@team', 'ann,ben,cat', 'CFP'], [8, 'ann', '@team', 'PROPOSE'], [11, 'ben', '@team', 'FAILURE']]);
  assert.equal(model.arrows()[0].label, 'CFP: Bid');
  assert.equal(model.arrows(7).length, 1, 'only the arrows among the first 7 events');
});

test('model calls become activations from request to answer, and each answer a charge tick', () => {
  const model = new RunModel(RUN);
  model.addAll(journal());
  assert.deepEqual(model.activations.map((a) => [a.agent, a.kind, a.from, a.to]), [['ann', 'chat', 5, 7], ['ben', 'chat', 6, 9]]);
  assert.deepEqual(model.rows.filter((r) => r.kind === 'tick').map((r) => [r.seq, r.agent, r.cost, r.tokens]),
    [[7, 'ann', 0.01, 120], [9, 'ben', 0.03, 100]]);
  assert.deepEqual(model.activationsIn(6, 7).map((a) => a.agent), ['ann', 'ben'], 'row 6 is event 7, inside both calls');
  assert.deepEqual(model.activationsIn(9, 12).map((a) => a.agent), [], 'both calls ended by event 9');
});

test('the strongest verdict makes the badge: a block after a proceed is a block', () => {
  const model = new RunModel(RUN);
  model.addAll(journal());
  const badge = model.rows.find((r) => r.kind === 'badge');
  assert.deepEqual([badge.seq, badge.agent, badge.verdict, badge.label], [10, 'ben', 'block', 'block by pii: an e-mail address']);
  assert.deepEqual(verdictOf({ rulings: [] }), { verdict: 'proceed', reason: '', by: '' });
});

test('the run budget counts usage; a payment moves money to the house and counts only for its payer', () => {
  const model = new RunModel(RUN);
  model.addAll(journal());
  assert.deepEqual(model.spentAt(0), { cost: 0, tokens: 0, maxCost: 1, maxTokens: 1000, costLeft: 1, tokensLeft: 1000 });
  const at9 = model.spentAt(9);
  assert.equal(Math.round(at9.cost * 1000) / 1000, 0.04);
  assert.equal(at9.tokens, 220);
  assert.equal(model.spentAt(99).cost, at9.cost, 'the payment at event 12 is not run usage');
  assert.deepEqual(model.spendByAgent().map((s) => [s.agent, s.cost, s.charges]), [['ann', 4.01, 2], ['ben', 0.03, 1]]);
  assert.deepEqual(model.spendByAgent(9).map((s) => s.agent), ['ben', 'ann'], 'before the payment ben spent more');
  assert.deepEqual(model.biggestCharges(2).map((c) => [c.seq, c.agent, c.payment]), [[12, 'ann', true], [9, 'ben', false]]);
});

test('spans nest like the OTel export: run, turns, then chat spans under their turn', () => {
  const model = new RunModel(RUN);
  model.addAll(journal());
  assert.deepEqual(model.spanTree().map(({ span, depth }) => [depth, span.name, span.from, span.to]), [
    [0, 'invoke_agent desk', 1, 13],
    [1, 'invoke_agent ann', 3, 8],
    [2, 'chat m', 5, 7],
    [1, 'invoke_agent ben', 4, 11],
    [2, 'chat m', 6, 9],
  ]);
  assert.deepEqual(model.spans[0].events.map((e) => e.name), ['troupe.decision.auction']);
});

test('events are added once, in order: a live event already read from a page is ignored', () => {
  const model = new RunModel(RUN);
  const events = journal();
  assert.equal(model.addAll(events.slice(0, 5)), 5);
  const version = model.version;
  assert.equal(model.addAll(events.slice(3, 7)), 2, 'events 4 and 5 again, then 6 and 7');
  assert.equal(model.addAll([events[9]]), 0, 'event 10 before 8 and 9 is not taken');
  assert.equal(model.addAll([{ ...events[7], run: 'other' }]), 0, 'another run\'s event is not taken');
  assert.equal(model.total, 7);
  assert.equal(model.version, version + 1);
});

const card = {
  rule: 'majority', winner: 'ann', runnerUp: 'ben', margin: 1,
  options: [
    { agent: 'ann', rank: 1, terms: { ann: '1', ben: '1' }, score: 2, outcome: 'won' },
    { agent: 'ben', rank: 2, terms: { cat: '1' }, score: 1, outcome: 'tally 1 against ann\'s 2: lower by 1' },
    { agent: 'cat', rank: 0, terms: {}, score: null, outcome: 'excluded: gave no answer in any round' },
  ],
};

test('a vote becomes a voter × option matrix with the tally', () => {
  const m = voteMatrix(card);
  assert.deepEqual(m.voters, ['ann', 'ben', 'cat']);
  assert.deepEqual(m.options, ['ann', 'ben']);
  assert.deepEqual(m.cells, [[1, null], [1, null], [null, 1]]);
  assert.deepEqual(m.tally, [2, 1]);
  assert.deepEqual(m.excluded.map((o) => o.agent), ['cat']);
});

test('every loser comes with why it lost, and only scored decisions are market cards', () => {
  assert.deepEqual(losers(card), [
    { agent: 'ben', why: 'tally 1 against ann\'s 2: lower by 1' },
    { agent: 'cat', why: 'excluded: gave no answer in any round' }]);
  const explanation = { explanations: [{ kind: 'VOTE', seq: 9 }, { kind: 'INTERCEPTION', seq: 3 }, { kind: 'AUCTION', seq: 5 }] };
  assert.deepEqual(marketCards(explanation).map((e) => e.seq), [9, 5]);
});

test('the place survives the URL: run, view, event position and the run compared with', () => {
  const place = { run: 'r1', view: 'diff', at: 42, event: 40, with: 'r2' };
  assert.equal(writePlace(place), '?run=r1&view=diff&at=42&event=40&with=r2');
  assert.deepEqual(readPlace(writePlace(place)), place);
  assert.equal(writePlace({ run: 'r1', view: 'sequence', at: null }), '?run=r1');
  assert.equal(readPlace('?run=r1&at=oops').at, null, 'a position that is not a number follows the end');
  assert.equal(readPlace('?at=-5').at, 0);
  assert.equal(readPlace('').view, 'sequence');
});

test('a virtual list draws the rows in sight and a few more', () => {
  assert.deepEqual(visibleWindow(0, 240, 24, 10_000), { first: 0, last: 18 });
  assert.deepEqual(visibleWindow(24_000, 240, 24, 10_000), { first: 992, last: 1018 });
  assert.deepEqual(visibleWindow(239_900, 240, 24, 10_000), { first: 9987, last: 10_000 });
});

test('server-sent event frames are read as the stream sends them', () => {
  assert.deepEqual(parseFrame('id: 12;abc=3\nevent: journal\ndata: {"seq":12}'), { id: '12;abc=3', event: 'journal', data: '{"seq":12}' });
  assert.deepEqual(parseFrame(': keep-alive'), { id: null, event: 'message', data: '' });
  assert.deepEqual(parseFrame('data: a\ndata: b'), { id: null, event: 'message', data: 'a\nb' });
  assert.equal(money(0.0123456), '$0.0123');
  assert.equal(money(4), '$4');
});

test('journal times give the budget its time axis and each call its latency', () => {
  const start = Date.parse('2026-12-06T09:00:00Z');
  // ms after the start at which each event of journal() was journaled (events of one write share a time)
  const offsets = [0, 10, 10, 10, 20, 20, 1520, 1520, 4270, 4270, 4270, 4300, 4300];
  const timed = journal().map((e, i) => ({ ...e, at: new Date(start + offsets[i]).toISOString() }));
  const model = new RunModel(RUN);
  model.addAll(timed);
  assert.equal(model.timed, true);
  assert.equal(model.elapsedAt(0), 0);
  assert.equal(model.elapsedAt(7), 1.52);
  assert.equal(model.elapsedAt(13), 4.3);
  assert.deepEqual(model.activations.map((a) => [a.agent, a.tookMs]), [['ann', 1500], ['ben', 4250]]);
  assert.deepEqual(model.latencyByAgent(), { ann: 1500, ben: 4250 });
  assert.equal(model.rows[6].label, '$0.0100 · 120 tok · 1.5 s'.replace('$0.0100', money(0.01)));

  const untimed = new RunModel(RUN);
  untimed.addAll(journal());
  assert.equal(untimed.timed, false);
  assert.equal(untimed.elapsedAt(7), 0);
  assert.deepEqual(untimed.latencyByAgent(), {});
});

test('durations read from the API and written for people', () => {
  assert.equal(isoSeconds('PT4.25S'), 4.25);
  assert.equal(isoSeconds('PT1M7S'), 67);
  assert.equal(isoSeconds('PT-0.3S'), -0.3);
  assert.equal(isoSeconds('PT-1M-7S'), -67);
  assert.equal(isoSeconds('PT0S'), 0);
  assert.equal(isoSeconds(null), null);
  assert.equal(isoSeconds('soon'), null);
  assert.equal(seconds(4.25), '4.25 s');
  assert.equal(seconds(-1.8), '-1.8 s');
  assert.equal(seconds(67), '1 min 7 s');
});

test('bidirectional controls in a run\'s text are shown as marks, so they cannot reorder what follows them', () => {
  const event = parseJson('{"task": "pay \\u202ebob\\u202c now", "nested": {"name": "\\u2067x\\u2069"}, "n": 3}');
  assert.equal(event.task, 'pay \u27e6U+202E\u27e7bob\u27e6U+202C\u27e7 now');
  assert.equal(event.nested.name, '\u27e6U+2067\u27e7x\u27e6U+2069\u27e7');
  assert.equal(event.n, 3);
  assert.equal(parseJson('"plain, \u00e9t\u00e9 and \u05e9\u05dc\u05d5\u05dd"'), 'plain, \u00e9t\u00e9 and \u05e9\u05dc\u05d5\u05dd');
});
