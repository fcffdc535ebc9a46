// The timeline and trace tree, shaped like the OpenTelemetry spans Troupe exports: the run (invoke_agent TEAM), each
// turn (invoke_agent AGENT) and under it its chat, execute_tool and child-run spans. Bars are placed by the time each
// event was journaled, or by journal position for a journal written before times were recorded.
import { html, useEffect, useRef, useState, useMemo } from './ui.js';
import { visibleWindow, seconds } from './model.js';

const ROW = 22;

export function TimelineView({ model, at, onSelect }) {
  const tree = useMemo(() => model.spanTree(), [model, model.version]);
  const scroller = useRef(null);
  const [scroll, setScroll] = useState({ top: 0, height: 700 });
  useEffect(() => {
    const el = scroller.current;
    const onScroll = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    onScroll();
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);
  const total = Math.max(model.total, 1);
  const { first, last } = visibleWindow(scroll.top, scroll.height, ROW, tree.length);
  const timed = model.timed && model.elapsedAt(model.total) > 0;
  const span = timed ? model.elapsedAt(model.total) : 0;
  // Where event seq sits on the track, from 0 to 1: at its journal time, or its journal position.
  const x = (seq) => (timed ? model.elapsedAt(Math.min(seq, model.total)) / span : (seq - 1) / total);
  const pct = (seq) => `${x(seq) * 100}%`;
  return html`<div class="timeline" data-axis=${timed ? 'time' : 'position'}>
    <div class="timeline-head"><span>span</span><span>${timed ? `0 … ${seconds(span)} since the run started`
      : `journal position 1 … ${model.total}`}</span></div>
    <div class="timeline-scroll" ref=${scroller}>
      <div style=${{ height: `${tree.length * ROW}px`, position: 'relative' }}>
        ${tree.slice(first, last).map(({ span, depth }, i) => {
          const to = span.to ?? model.total + 1;
          const took = timed && span.to != null ? model.elapsedAt(span.to) - model.elapsedAt(span.from) : null;
          const width = timed ? x(to) - x(span.from) : (to - span.from + 1) / total;
          return html`<div class=${`span span-${span.kind}${span.error ? ' span-error' : ''}${span.from > at ? ' future' : ''}`}
              key=${span.id} data-name=${span.name} data-kind=${span.kind} data-from=${span.from}
              data-took=${took == null ? '' : took}
              style=${{ top: `${(first + i) * ROW}px` }} onClick=${() => onSelect(span.from)}>
            <div class="span-name" style=${{ paddingLeft: `${depth * 14 + 4}px` }}>${span.name}${took == null ? ''
              : html` <span class="muted">${seconds(took)}</span>`}</div>
            <div class="span-track">
              <div class="span-bar" style=${{ left: pct(span.from), width: `max(3px, ${width * 100}%)` }}></div>
              ${span.events.map((e) => html`<div class=${`span-event ${e.name.replaceAll('.', '-')}${e.verdict ? ` verdict-${e.verdict}` : ''}`}
                  title=${e.verdict ? `${e.name}: ${e.verdict}` : e.name}
                  style=${{ left: pct(e.seq) }}></div>`)}
            </div>
          </div>`;
        })}
        <div class="timeline-cursor" style=${{ left: `calc(260px + (100% - 260px) * ${timed ? x(Math.max(at, 1)) : at / total})`, height: `${tree.length * ROW}px` }}></div>
      </div>
    </div>
  </div>`;
}
