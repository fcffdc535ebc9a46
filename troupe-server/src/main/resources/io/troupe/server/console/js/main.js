// The Troupe console: a pure view over the API. Live and replayed runs go through the same code; replay never
// re-runs anything. The place (run, view, event) is kept in the URL so that a moment can be shared.
import { html, render, useCallback, useEffect, useMemo, useRef, useState } from './ui.js';
import * as api from './api.js';
import { RunModel, PERFORMATIVE_COLORS, readPlace, writePlace } from './model.js';
import { SequenceView } from './sequence.js';
import { TimelineView } from './timeline.js';
import { MarketView } from './market.js';
import { BudgetView } from './budget.js';
import { DiffView } from './diff.js';
import { Inspector } from './inspector.js';
import { Approvals, RunList, Scrubber, StatePanel } from './panels.js';

const VIEWS = [['sequence', 'Sequence'], ['timeline', 'Timeline'], ['market', 'Market'], ['budget', 'Budget'], ['diff', 'Diff']];

function TokenForm({ onToken }) {
  const [value, setValue] = useState('');
  return html`<form class="token" onSubmit=${(e) => { e.preventDefault(); onToken(value); }}>
    <p>This server needs its bearer token (the one it was started with, from TROUPE_API_TOKEN or --token-file).</p>
    <input type="password" autocomplete="off" placeholder="token" value=${value} onInput=${(e) => setValue(e.target.value)} />
    <button type="submit">Use token</button></form>`;
}

function Legend() {
  return html`<div class="legend">${Object.entries(PERFORMATIVE_COLORS).map(([p, c]) =>
    html`<span style=${{ color: c }}>━ ${p}</span>`)}<span class="badge-key block">● blocked</span>
    <span class="badge-key held">● held</span><span class="badge-key replace">● changed</span></div>`;
}

function App() {
  const [place, setPlace] = useState(() => readPlace(location.search));
  const [runs, setRuns] = useState([]);
  const [version, setVersion] = useState(0);
  const [explanation, setExplanation] = useState(null);
  const [error, setError] = useState(null);
  const [needToken, setNeedToken] = useState(false);
  const model = useRef(null);
  const frame = useRef(0);

  const fail = useCallback((e) => {
    if (e?.name === 'AbortError') return;
    if (e?.status === 401) setNeedToken(true);
    else setError(e?.message ?? String(e));
  }, []);

  const loadRuns = useCallback(() => api.get('/api/runs?limit=200').then((page) => {
    setRuns(page.runs);
    setPlace((p) => (p.run || !page.runs.length ? p : { ...p, run: page.runs[0].id }));
  }).catch(fail), [fail]);

  useEffect(() => { loadRuns(); }, []);

  // The URL follows the place, a little after the last change (browsers throttle rapid history updates).
  useEffect(() => {
    const timer = setTimeout(() => {
      const search = writePlace(place);
      if (search !== location.search) history.replaceState(null, '', search || location.pathname);
    }, 150);
    return () => clearTimeout(timer);
  }, [place]);

  // Load the run's journal, then follow it live until it ends.
  useEffect(() => {
    if (!place.run) return undefined;
    const run = new RunModel(place.run);
    model.current = run;
    setVersion(-1);
    setExplanation(null);
    const bump = () => {
      if (frame.current) return;
      frame.current = requestAnimationFrame(() => { frame.current = 0; setVersion(run.version); });
    };
    const controller = new AbortController();
    let stop = null;
    api.events(place.run, 1, controller.signal, (events) => { run.addAll(events); bump(); })
      .then(() => {
        setVersion(run.version);
        if (!run.finished && !controller.signal.aborted) {
          stop = api.follow(place.run, run.total + 1, {
            onEvent: (event) => { if (run.addAll([event])) bump(); },
            onEnd: () => { bump(); loadRuns(); },
            onError: fail,
          });
        }
      })
      .catch(fail);
    return () => { controller.abort(); stop?.(); };
  }, [place.run]);

  const current = model.current;
  const total = current?.total ?? 0;
  const explainKey = current ? `${current.id}|${current.decisions.length}|${current.finished ? 1 : 0}|${total > 0}` : '';
  useEffect(() => {
    if (!current || total === 0) return undefined;
    const controller = new AbortController();
    api.get(`/api/runs/${encodeURIComponent(current.id)}/explain`, controller.signal)
      .then(setExplanation).catch((e) => controller.signal.aborted || fail(e));
    return () => controller.abort();
  }, [explainKey]);

  const follow = place.at == null;
  const at = follow ? total : Math.min(place.at, total);
  const selected = place.event ?? (at >= 1 ? at : null);
  const move = useCallback((next) => setPlace((p) => ({ ...p, at: next, event: null })), []);
  const select = useCallback((seq) => setPlace((p) => ({ ...p, event: seq, at: p.at == null ? null : Math.max(p.at, seq) })), []);
  const scrubTo = useCallback((seq) => setPlace((p) => ({ ...p, at: seq, event: seq })), []);

  if (needToken) {
    return html`<${TokenForm} onToken=${(t) => { api.setToken(t); setNeedToken(false); setError(null); loadRuns(); }} />`;
  }
  return html`<div class="console">
    <header><h1>Troupe</h1>
      <nav class="views">${VIEWS.map(([id, label]) => html`<button class=${place.view === id ? 'on' : ''} data-view=${id}
        onClick=${() => setPlace((p) => ({ ...p, view: id }))}>${label}</button>`)}</nav>
      ${current && html`<span class="run-title" data-run=${current.id}>${current.team} · ${current.id.slice(0, 8)}
        ${current.finished ? ' · ended' : ' · live'}</span>`}
      <button class="refresh" onClick=${loadRuns}>refresh runs</button>
    </header>
    ${error && html`<div class="error" role="alert">${error} <button onClick=${() => setError(null)}>×</button></div>`}
    <${RunList} runs=${runs} current=${place.run} onPick=${(id) => setPlace({ run: id, view: place.view, at: null, event: null, with: null })} />
    <main class=${`view view-${place.view}`}>
      ${!current || version < 0 ? html`<p class="empty">${place.run ? 'Reading the journal…' : 'No runs yet: start one with POST /api/runs.'}</p>`
        : place.view === 'timeline' ? html`<${TimelineView} model=${current} at=${at} onSelect=${scrubTo} />`
        : place.view === 'market' ? html`<${MarketView} explanation=${explanation} onSelect=${scrubTo} />`
        : place.view === 'budget' ? html`<${BudgetView} model=${current} at=${at} onSelect=${scrubTo} />`
        : place.view === 'diff' ? html`<${DiffView} model=${current} runs=${runs} other=${place.with}
            onOther=${(id) => setPlace((p) => ({ ...p, with: id }))} onError=${fail} />`
        : html`<${Legend} /><${SequenceView} model=${current} at=${at} selected=${selected} onSelect=${select} follow=${follow} />`}
    </main>
    <aside class="side">
      ${current && version >= 0 && html`<${Approvals} run=${current.id} version=${current.version} onError=${fail} onDecided=${() => {}} />`}
      ${current && version >= 0 && total > 0 && html`<${StatePanel} run=${current.id} at=${at} onError=${fail} />`}
      ${current && version >= 0 && html`<${Inspector} model=${current} seq=${selected} explanation=${explanation} />`}
    </aside>
    <footer>${current && version >= 0 && html`<${Scrubber} at=${at} total=${total} follow=${follow} onAt=${move}
      onFollow=${() => setPlace((p) => ({ ...p, at: null, event: null }))} />`}</footer>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
