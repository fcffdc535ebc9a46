// The console's pure logic: what the journal's events mean for each view. No DOM here, so that it runs (and is
// tested) in Node as it runs in the browser. Events are the API's envelopes: {seq, run, type, event}.

export const COORDINATOR = '@team';

/** Colours of performatives, shared by the arrows, their labels and the legend. */
export const PERFORMATIVE_COLORS = {
  REQUEST: '#2563eb', INFORM: '#059669', QUERY: '#7c3aed', CFP: '#d97706', PROPOSE: '#0891b2',
  ACCEPT: '#16a34a', REJECT: '#dc2626', REFUSE: '#9f1239', FAILURE: '#b91c1c', CANCEL: '#6b7280',
};

const short = (text, max) => {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
};
export { short };

/** A number as money: up to four decimals, no trailing zeros. */
export function money(value) {
  const n = Number(value ?? 0);
  return '$' + (Math.round(n * 10000) / 10000).toString();
}

/** The receivers of a message, as lifeline ids. */
export function receivers(message, members) {
  const r = message.receivers ?? {};
  switch (r['@type']) {
    case 'Receivers$Agents': return r.ids ?? [];
    case 'Receivers$Role': return members.filter((m) => m.role === r.role).map((m) => m.id);
    case 'Receivers$Everyone': return members.map((m) => m.id).filter((id) => id !== message.sender);
    default: return [];
  }
}

function memberSpecs(team) {
  return (team?.members ?? []).map((m) => m.spec
    ? { id: m.spec.id, role: m.spec.role, kind: 'agent' }
    : { id: m.id, role: m.role, kind: 'team' });
}

/** The strongest verdict of an interception: block, replace, held, or proceed. */
export function verdictOf(intercepted) {
  let strongest = 'proceed';
  let reason = '';
  let by = '';
  for (const ruling of intercepted.rulings ?? []) {
    const type = ruling.verdict?.['@type'] ?? '';
    const rank = { 'Verdict$Block': 3, 'Verdict$AwaitHuman': 2, 'Verdict$Replace': 1 }[type] ?? 0;
    const current = { block: 3, held: 2, replace: 1, proceed: 0 }[strongest];
    if (rank > current) {
      strongest = rank === 3 ? 'block' : rank === 2 ? 'held' : 'replace';
      reason = ruling.verdict.reason ?? '';
      by = ruling.interceptor;
    }
  }
  return { verdict: strongest, reason, by };
}

/** A span of seconds for people: 0.25 s, 4.3 s, 2 min 5 s. */
export function seconds(value) {
  const s = Number(value);
  if (!Number.isFinite(s)) return '–';
  if (Math.abs(s) < 60) return `${Math.round(s * 100) / 100} s`;
  const sign = s < 0 ? '-' : '';
  const a = Math.abs(s);
  return `${sign}${Math.floor(a / 60)} min ${Math.round((a % 60) * 10) / 10} s`;
}

/** An ISO-8601 duration as the API writes it (PT4.25S, PT1M7S, PT-0.3S) in seconds, or null. */
export function isoSeconds(text) {
  if (text == null) return null;
  const m = /^(-)?PT(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?$/.exec(String(text));
  if (!m) return null;
  const total = Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] ? -total : total;
}

/**
 * A run's events, folded once and incrementally (live events are added as they come) into what the views draw.
 * Rows are one per event: row i is event seq i + 1.
 */
export class RunModel {
  constructor(id) {
    this.id = id;
    this.version = 0;
    this.events = [];
    this.rows = [];
    this.lifelines = [COORDINATOR];
    this.members = [];
    this.team = '';
    this.task = '';
    this.budget = null;
    this.finished = null;
    this.open = new Map();          // step -> activation in progress
    this.activations = [];          // {agent, kind, label, from, to (seq, null while open), step}
    this.turns = new Map();         // turnId -> span
    this.spans = [];                // OTel-shaped spans: {id, parent, name, kind, from, to, agent, events: []}
    this.spanOfStep = new Map();
    this.charges = [];              // {seq, agent, cost, tokens, what}
    this.cost = [];                 // cumulative cost after each event
    this.tokens = [];               // cumulative tokens after each event
    this.spentCost = 0;
    this.spentTokens = 0;
    this.decisions = [];            // {seq, kind, chosen, rule}
    this.times = [];                // when each event was journaled, in ms since the epoch (null if unknown)
    this.startMs = null;            // when the run's first event was journaled
  }

  /** Whether every event carries the time it was journaled. */
  get timed() {
    return this.times.length > 0 && this.times.every((t) => t !== null);
  }

  /** Seconds from the run's first event to the journaling of the first {@code k} events' last one (0 for k = 0). */
  elapsedAt(k) {
    const i = Math.min(Math.max(k, 0), this.total) - 1;
    if (i < 0 || this.startMs === null || this.times[i] === null) return 0;
    return (this.times[i] - this.startMs) / 1000;
  }

  /**
   * Each agent's time waiting on its model and tool calls, in ms, from the journal's times (what the diff's
   * latency compares); calls still open are left out.
   */
  latencyByAgent() {
    const by = {};
    for (const a of this.activations) {
      if (a.kind === 'subrun' || a.tookMs == null) continue;
      by[a.agent] = (by[a.agent] ?? 0) + a.tookMs;
    }
    return by;
  }

  /** Adds events in journal order; events already held (by seq) are ignored. */
  addAll(envelopes) {
    let added = 0;
    for (const envelope of envelopes) {
      if (envelope.run !== this.id || envelope.seq !== this.events.length + 1) continue;
      this.#add(envelope);
      added++;
    }
    if (added) this.version++;
    return added;
  }

  get total() { return this.events.length; }

  lifeline(id) {
    if (!this.lifelines.includes(id)) this.lifelines.push(id);
    return id;
  }

  #span(span) {
    span.id = this.spans.length;
    span.events = [];
    this.spans.push(span);
    return span;
  }

  // A charge to an agent. Usage (model calls, child runs) counts against the run's budget; a payment moves money
  // between agents' budgets (the team is the house) and counts only against its payer's.
  #charge(seq, agent, cost, tokens, what, payment = false) {
    const c = Number(cost ?? 0);
    if (!payment) {
      this.spentCost += c;
      this.spentTokens += tokens;
    }
    if (c > 0 || tokens > 0) this.charges.push({ seq, agent, cost: c, tokens, what, payment });
  }

  #add(envelope) {
    const { seq, type, event } = envelope;
    this.events.push(envelope);
    const atMs = envelope.at ? Date.parse(envelope.at) : null;
    this.times.push(Number.isNaN(atMs) ? null : atMs);
    if (this.startMs === null && atMs !== null) this.startMs = atMs;
    const row = { seq, type, agent: event.agentId ?? null, kind: 'note', label: type, atMs };
    const root = this.spans[0];
    switch (type) {
      case 'RunStarted': {
        this.members = memberSpecs(event.team);
        this.members.forEach((m) => this.lifeline(m.id));
        this.team = event.team?.name ?? '';
        this.task = event.task ?? '';
        this.budget = event.team?.budget ?? null;
        row.label = `run of ${this.team} started: ${short(this.task, 80)}`;
        this.#span({ parent: null, name: `invoke_agent ${this.team}`, kind: 'run', from: seq, to: null, agent: null });
        break;
      }
      case 'MessageSent': {
        const m = event.message;
        const to = receivers(m, this.members).map((id) => this.lifeline(id));
        this.lifeline(m.sender);
        Object.assign(row, {
          kind: 'arrow', from: m.sender, to, performative: m.performative, agent: m.sender,
          label: `${m.performative}: ${short(m.body, 60)}`, color: PERFORMATIVE_COLORS[m.performative] ?? '#444',
        });
        if (m.inReplyTo) {
          const turn = this.turns.get(`${m.inReplyTo}/${m.sender}`);
          if (turn && turn.to === null) {
            turn.to = seq;
            turn.performative = m.performative;
          }
        }
        break;
      }
      case 'TurnStarted': {
        this.lifeline(event.agentId);
        const parent = event.parentStep != null ? this.spanOfStep.get(event.parentStep) : root;
        const span = this.#span({
          parent: (parent ?? root)?.id ?? null, name: `invoke_agent ${event.agentId}`, kind: 'turn', from: seq,
          to: null, agent: event.agentId,
        });
        this.turns.set(event.turnId, span);
        Object.assign(row, { kind: 'turn', label: 'turn' });
        break;
      }
      case 'LlmRequested':
      case 'ToolRequested':
      case 'SubRunRequested': {
        const kind = type === 'LlmRequested' ? 'chat' : type === 'ToolRequested' ? 'tool' : 'subrun';
        const what = kind === 'chat' ? event.model : kind === 'tool' ? event.call?.name : event.agentId;
        this.lifeline(event.agentId);
        const activation = {
          agent: event.agentId, kind, label: `${kind} ${what}`, from: seq, to: null, step: event.step, fromMs: atMs, tookMs: null,
        };
        this.open.set(event.step, activation);
        this.activations.push(activation);
        const parent = this.turns.get(event.turnId) ?? root;
        const name = kind === 'chat' ? `chat ${what}` : kind === 'tool' ? `execute_tool ${what}` : `invoke_agent ${what}`;
        this.spanOfStep.set(event.step, this.#span({
          parent: parent?.id ?? null, name, kind, from: seq, to: null, agent: event.agentId, step: event.step,
        }));
        Object.assign(row, { kind: 'call-start', label: activation.label, step: event.step });
        break;
      }
      case 'LlmCompleted':
      case 'LlmFailed':
      case 'ToolCompleted':
      case 'SubRunCompleted': {
        const activation = this.open.get(event.step);
        if (activation) {
          activation.to = seq;
          if (activation.fromMs !== null && atMs !== null) activation.tookMs = atMs - activation.fromMs;
          this.open.delete(event.step);
        }
        const span = this.spanOfStep.get(event.step);
        if (span) {
          span.to = seq;
          if (type === 'LlmFailed' || (type === 'ToolCompleted' && event.result?.error)) span.error = true;
        }
        const usage = type === 'LlmCompleted' ? event.response?.usage : type === 'SubRunCompleted' ? event.usage : null;
        if (usage) {
          const tokens = (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
          this.#charge(seq, event.agentId, usage.cost, tokens, activation?.label ?? type);
          Object.assign(row, { kind: 'tick', cost: Number(usage.cost ?? 0), tokens, label: `${money(usage.cost)} · ${tokens} tok` });
          span?.events.push({ name: 'troupe.budget.charge', seq });
        } else {
          Object.assign(row, { kind: 'call-end', label: type === 'LlmFailed' ? `failed: ${short(event.error, 50)}` : 'returned' });
        }
        if (activation?.tookMs != null) row.label += ` · ${seconds(activation.tookMs / 1000)}`;
        break;
      }
      case 'LlmReissued': {
        const tokens = (event.charged?.inputTokens ?? 0) + (event.charged?.outputTokens ?? 0);
        this.#charge(seq, event.agentId, event.charged?.cost, tokens, 'reissued call');
        Object.assign(row, { kind: 'tick', cost: Number(event.charged?.cost ?? 0), tokens, label: `reissued · ${tokens} tok` });
        break;
      }
      case 'Intercepted': {
        const v = verdictOf(event);
        const agent = event.agentId ? this.lifeline(event.agentId) : COORDINATOR;
        Object.assign(row, {
          kind: 'badge', agent, verdict: v.verdict, point: event.point,
          label: v.verdict === 'proceed' ? `${event.point.toLowerCase()} ok` : `${v.verdict} by ${v.by}: ${short(v.reason, 50)}`,
        });
        const turn = [...this.turns.values()].reverse().find((t) => t.agent === event.agentId && t.to === null) ?? root;
        turn?.events.push({ name: 'troupe.verdict', seq, verdict: v.verdict });
        break;
      }
      case 'ApprovalDecided':
        Object.assign(row, { kind: 'badge', agent: COORDINATOR, verdict: event.approved ? 'approved' : 'denied',
          label: `${event.approved ? 'approved' : 'denied'} by ${event.by}` });
        break;
      case 'DecisionRecorded': {
        const d = event.decision;
        this.decisions.push({ seq, kind: d.kind, chosen: d.chosen, rule: d.rule });
        for (const p of d.payments ?? []) this.#charge(seq, p.from, p.amount, 0, `payment to ${p.to}: ${short(p.reason, 40)}`, true);
        Object.assign(row, { kind: 'decision', decision: d.kind, chosen: d.chosen,
          label: `${d.kind} (${d.rule}): ${d.chosen ?? 'nobody'}${d.payments?.length ? ` · pays ${money(d.payments[0].amount)}` : ''}` });
        root?.events.push({ name: `troupe.decision.${d.kind}`, seq });
        break;
      }
      case 'ToolCallRejected':
      case 'AnswerRejected':
        Object.assign(row, { kind: 'badge', verdict: 'refused', label: `refused: ${short(event.reason, 50)}` });
        break;
      case 'DeadlinePassed':
        row.label = 'deadline passed';
        break;
      case 'RunResumed':
        row.label = `resumed after ${String(event.downtime).replace(/^PT/, '').toLowerCase()} stopped or waiting for a person`;
        break;
      case 'RunFinished': {
        this.finished = event;
        const outcome = (event.outcome?.['@type'] ?? '').replace('Outcome$', '');
        row.label = `run ${outcome.toLowerCase()} · ${money(event.usage?.cost)} · ${event.turns} turns`;
        if (root) root.to = seq;
        for (const span of this.spans) if (span.to === null) span.to = seq;
        break;
      }
      default:
        break;
    }
    this.rows.push(row);
    this.cost.push(this.spentCost);
    this.tokens.push(this.spentTokens);
  }

  /** Arrows (messages) among the first {@code upTo} events. */
  arrows(upTo = this.total) {
    return this.rows.slice(0, upTo).filter((r) => r.kind === 'arrow');
  }

  /** Cost and tokens spent after the first k events, and what is left of the budget. */
  spentAt(k) {
    const i = Math.min(Math.max(k, 0), this.total) - 1;
    const cost = i < 0 ? 0 : this.cost[i];
    const tokens = i < 0 ? 0 : this.tokens[i];
    const maxCost = Number(this.budget?.maxCost ?? 0);
    const maxTokens = Number(this.budget?.maxTokens ?? 0);
    return { cost, tokens, maxCost, maxTokens, costLeft: maxCost - cost, tokensLeft: maxTokens - tokens };
  }

  /** Spend per agent (model calls, child runs and payments), biggest first. */
  spendByAgent(upTo = this.total) {
    const by = new Map();
    for (const c of this.charges) {
      if (c.seq > upTo) break;
      const entry = by.get(c.agent) ?? { agent: c.agent, cost: 0, tokens: 0, charges: 0 };
      entry.cost += c.cost;
      entry.tokens += c.tokens;
      entry.charges++;
      by.set(c.agent, entry);
    }
    return [...by.values()].sort((a, b) => b.cost - a.cost || b.tokens - a.tokens);
  }

  /** The biggest charges, by cost then tokens. */
  biggestCharges(n = 10, upTo = this.total) {
    return this.charges.filter((c) => c.seq <= upTo)
      .sort((a, b) => b.cost - a.cost || b.tokens - a.tokens || a.seq - b.seq).slice(0, n);
  }

  /** The activations that overlap rows [from, to) (0-based rows), for a window of the sequence view. */
  activationsIn(from, to) {
    return this.activations.filter((a) => a.from - 1 < to && (a.to ?? this.total + 1) - 1 >= from);
  }

  /** The spans in depth-first order with their depth: the trace tree. */
  spanTree() {
    const children = new Map();
    for (const span of this.spans) {
      const list = children.get(span.parent) ?? [];
      list.push(span);
      children.set(span.parent, list);
    }
    const out = [];
    const walk = (parent, depth) => {
      for (const span of children.get(parent) ?? []) {
        out.push({ span, depth });
        walk(span.id, depth + 1);
      }
    };
    walk(null, 0);
    return out;
  }
}

/** A vote's ballots as a voter × option matrix, from its score card: the weight each voter gave each option. */
export function voteMatrix(card) {
  const options = card.options.filter((o) => o.rank > 0).map((o) => o.agent);
  const voters = [];
  for (const option of card.options) {
    for (const voter of Object.keys(option.terms ?? {})) if (!voters.includes(voter)) voters.push(voter);
  }
  const cells = voters.map((voter) => options.map((agent) => {
    const option = card.options.find((o) => o.agent === agent);
    const weight = option?.terms?.[voter];
    return weight == null ? null : Number(weight);
  }));
  const tally = options.map((agent) => card.options.find((o) => o.agent === agent)?.score ?? 0);
  return { voters, options, cells, tally, excluded: card.options.filter((o) => o.rank === 0) };
}

/** The scored decisions of an explanation (auctions, awards, rounds, votes, verdicts), for the market view. */
export function marketCards(explanation) {
  const kinds = new Set(['AUCTION', 'AWARD', 'ROUND', 'VOTE', 'VERDICT']);
  return (explanation?.explanations ?? []).filter((e) => kinds.has(e.kind));
}

/** The losers of a score card with why each lost. */
export function losers(card) {
  return card.options.filter((o) => o.agent !== card.winner).map((o) => ({ agent: o.agent, why: o.outcome }));
}

/** The first row index to draw and the count, for a virtual list of {@code total} rows of {@code rowHeight}. */
export function visibleWindow(scrollTop, viewHeight, rowHeight, total, overscan = 8) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  return { first, last };
}

/** The console's place, read from and written to the URL so that a moment can be shared. */
export function readPlace(search) {
  const params = new URLSearchParams(search);
  const at = params.get('at');
  return {
    run: params.get('run'),
    view: params.get('view') ?? 'sequence',
    at: at == null || at === '' || Number.isNaN(Number(at)) ? null : Math.max(0, Math.floor(Number(at))),
    event: params.get('event') == null ? null : Number(params.get('event')),
    with: params.get('with'),
  };
}

export function writePlace(place) {
  const params = new URLSearchParams();
  if (place.run) params.set('run', place.run);
  if (place.view && place.view !== 'sequence') params.set('view', place.view);
  if (place.at != null) params.set('at', String(place.at));
  if (place.event != null) params.set('event', String(place.event));
  if (place.with) params.set('with', place.with);
  const text = params.toString();
  return text ? `?${text}` : '';
}
