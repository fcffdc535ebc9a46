// The sequence view: a lifeline per agent (and one for the team's coordinator), an arrow per message labelled and
// coloured by its performative, model and tool calls as activation boxes, verdicts as badges and charges as ticks.
// Only the rows in sight are drawn, so that a run of any length scrolls and scrubs at the same cost.
import { html, useEffect, useLayoutEffect, useRef, useState } from './ui.js';
import { PERFORMATIVE_COLORS, visibleWindow } from './model.js';

export const ROW = 24;
const COL = 150;
const LEFT = 56;
const HEAD = 30;

const x = (model, id) => LEFT + model.lifelines.indexOf(id) * COL + COL / 2;
const y = (row) => row * ROW + ROW / 2;

function Arrow({ row, model }) {
  const from = x(model, row.from);
  const color = row.color;
  const targets = row.to.length ? row.to : [row.from];
  const first = x(model, targets[0]);
  const labelX = (from + first) / 2;
  return html`<g class="arrow" data-seq=${row.seq} data-from=${row.from} data-to=${row.to.join(',')}
      data-performative=${row.performative}>
    ${targets.map((t) => {
      const to = x(model, t);
      const dir = to >= from ? 1 : -1;
      return html`<line x1=${from} y1=${y(row.seq - 1)} x2=${to - dir * 6} y2=${y(row.seq - 1)} stroke=${color}
        stroke-width="1.6" marker-end=${`url(#head-${row.performative})`} />`;
    })}
    <text class="arrow-label" x=${labelX} y=${y(row.seq - 1) - 4} text-anchor="middle" fill=${color}>${row.label}</text>
  </g>`;
}

function Row({ row, model }) {
  const cy = y(row.seq - 1);
  switch (row.kind) {
    case 'arrow':
      return html`<${Arrow} row=${row} model=${model} />`;
    case 'badge': {
      const cx = x(model, row.agent);
      return html`<g class=${`badge badge-${row.verdict}`} data-seq=${row.seq} data-agent=${row.agent}
          data-verdict=${row.verdict}>
        <circle cx=${cx} cy=${cy} r=${row.verdict === 'proceed' ? 3 : 7} />
        ${row.verdict !== 'proceed' && html`<text x=${cx + 11} y=${cy + 4}>${row.label}</text>`}
      </g>`;
    }
    case 'tick': {
      const cx = x(model, row.agent);
      return html`<g class="tick" data-seq=${row.seq} data-agent=${row.agent} data-cost=${row.cost}>
        <line x1=${cx - 12} y1=${cy} x2=${cx + 12} y2=${cy} /><text x=${cx + 15} y=${cy + 4}>${row.label}</text>
      </g>`;
    }
    case 'decision': {
      const width = model.lifelines.length * COL - 20; // across every lifeline
      return html`<g class="decision" data-seq=${row.seq} data-decision=${row.decision} data-chosen=${row.chosen ?? ''}>
        <rect x=${LEFT + 10} y=${cy - 9} width=${width} height="18" rx="4" />
        <text x=${LEFT + 20} y=${cy + 4}>◆ ${row.label}</text>
      </g>`;
    }
    case 'call-start':
    case 'call-end':
    case 'turn':
      return html`<text class="call-note" data-seq=${row.seq} x=${x(model, row.agent) + 9} y=${cy + 4}>${row.label}</text>`;
    default:
      return html`<text class="run-note" data-seq=${row.seq} x=${LEFT + 10} y=${cy + 4}>${row.label}</text>`;
  }
}

export function SequenceView({ model, at, selected, onSelect, follow }) {
  const scroller = useRef(null);
  const [scroll, setScroll] = useState({ top: 0, height: 800 });
  const total = model.total;

  // Bring the scrubbed event into sight before the browser paints, and follow the end of a live run.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const target = Math.max(0, (follow ? total : at) * ROW - el.clientHeight / 2);
    if (follow || at * ROW < el.scrollTop || at * ROW > el.scrollTop + el.clientHeight - ROW) {
      el.scrollTop = target;
    }
    if (el.scrollTop !== scroll.top || el.clientHeight !== scroll.height) {
      setScroll({ top: el.scrollTop, height: el.clientHeight });
    }
  }, [at, total, follow]);

  useEffect(() => {
    const el = scroller.current;
    const onScroll = () => setScroll((s) => (s.top === el.scrollTop && s.height === el.clientHeight
      ? s : { top: el.scrollTop, height: el.clientHeight }));
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  const { first, last } = visibleWindow(scroll.top, scroll.height, ROW, total);
  const rows = model.rows.slice(first, last);
  const activations = model.activationsIn(first, last);
  const width = LEFT + model.lifelines.length * COL + 280; // room for the labels right of the last lifeline
  const height = Math.max(total * ROW, 40);

  const click = (event) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const seq = Math.floor((event.clientY - rect.top) / ROW) + 1;
    if (seq >= 1 && seq <= total) onSelect(seq);
  };

  return html`<div class="sequence" data-events=${total}>
    <div class="lifeline-heads" style=${{ width: `${width}px` }}>
      ${model.lifelines.map((id) => html`<div class="lifeline-head" data-lifeline=${id}
          style=${{ left: `${x(model, id) - COL / 2}px`, width: `${COL}px` }}>${id}</div>`)}
    </div>
    <div class="sequence-scroll" ref=${scroller}>
      <svg class="sequence-svg" width=${width} height=${height} onClick=${click}
          data-first=${first + 1} data-last=${last}>
        <defs>
          ${Object.entries(PERFORMATIVE_COLORS).map(([p, c]) => html`<marker id=${`head-${p}`} viewBox="0 0 10 10"
              refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill=${c} /></marker>`)}
        </defs>
        ${selected != null && html`<rect class="selected-row" x="0" y=${(selected - 1) * ROW} width=${width} height=${ROW} />`}
        ${model.lifelines.map((id) => html`<line class="lifeline" x1=${x(model, id)} y1="0" x2=${x(model, id)} y2=${height} />`)}
        ${activations.map((a) => {
          const top = y(a.from - 1);
          const bottom = y((a.to ?? total + 1) - 1);
          const offset = a.kind === 'tool' ? 6 : 0;
          return html`<rect class=${`activation activation-${a.kind}${a.to ? '' : ' open'}`} data-seq=${a.from}
              data-agent=${a.agent} data-kind=${a.kind} x=${x(model, a.agent) - 5 + offset} y=${top}
              width="10" height=${Math.max(bottom - top, 4)} />`;
        })}
        ${rows.map((row) => html`<g class=${`row${row.seq > at ? ' future' : ''}`} key=${row.seq}>
          <text class="seq-number" x="6" y=${y(row.seq - 1) + 4}>${row.seq}</text>
          <${Row} row=${row} model=${model} /></g>`)}
        <line class="cursor" data-at=${at} x1="0" y1=${at * ROW} x2=${width} y2=${at * ROW} />
      </svg>
    </div>
  </div>`;
}

export { HEAD };
