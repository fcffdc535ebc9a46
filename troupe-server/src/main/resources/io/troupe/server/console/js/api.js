// The console's client of the Troupe API: JSON requests with the bearer token (when the server needs one) and the
// run's event stream read over fetch, so that the token can be sent (EventSource cannot send headers).

const TOKEN_KEY = 'troupe.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

async function answer(response) {
  const text = await response.text();
  let json = null;
  try { json = text ? parseJson(text) : null; } catch { json = null; }
  if (!response.ok) {
    const error = json?.error ?? {};
    throw new ApiError(response.status, error.code ?? 'http_' + response.status, error.message ?? text);
  }
  return json;
}

export async function get(path, signal) {
  return answer(await fetch(path, { headers: headers(), signal }));
}

export async function post(path, body, signal) {
  return answer(await fetch(path, {
    method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body ?? {}), signal,
  }));
}

/** Every journal event of a run from position {@code from}, page by page. */
export async function events(run, from = 1, signal, onPage) {
  let next = from;
  for (;;) {
    const page = await get(`/api/runs/${encodeURIComponent(run)}/events?from=${next}&limit=10000`, signal);
    onPage(page.events, page);
    if (page.events.length === 0 || page.next > page.total) return page;
    next = page.next;
  }
}

/**
 * Follows a run's stream from event {@code from}: calls onEvent for each journal event, onEnd once the run has ended.
 * Reconnects with Last-Event-ID after a dropped connection. Returns a function that stops following.
 */
export function follow(run, from, { onEvent, onEnd, onError }) {
  const controller = new AbortController();
  let lastId = null;
  let stopped = false;
  const connect = async (attempt) => {
    try {
      const h = headers({ Accept: 'text/event-stream' });
      if (lastId) h['Last-Event-ID'] = lastId;
      const url = `/api/runs/${encodeURIComponent(run)}/stream?tokens=false${lastId ? '' : `&from=${from}`}`;
      const response = await fetch(url, { headers: h, signal: controller.signal });
      if (response.status === 204) { onEnd(null); return; }
      if (!response.ok) { await answer(response); return; }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = parseFrame(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (frame.id) lastId = frame.id;
          if (frame.event === 'journal') onEvent(parseJson(frame.data));
          else if (frame.event === 'end') { onEnd(parseJson(frame.data)); stopped = true; return; }
          else if (frame.event === 'error') { onError(new Error(parseJson(frame.data).message)); }
        }
      }
      if (!stopped) scheduleReconnect(attempt);
    } catch (e) {
      if (controller.signal.aborted) return;
      if (e instanceof ApiError) { onError(e); return; }
      scheduleReconnect(attempt);
    }
  };
  const scheduleReconnect = (attempt) => {
    if (stopped || controller.signal.aborted) return;
    setTimeout(() => connect(attempt + 1), Math.min(10000, 500 * 2 ** attempt));
  };
  connect(0);
  return () => { stopped = true; controller.abort(); };
}

// Bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F) in a run's text would reorder what the
// console shows after them ("lleb" for "bell"): a task or a tool result could make one name read as another. They are
// shown as visible marks instead.
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Text with its bidirectional controls made visible, as ⟦U+202E⟧. */
export function visibleControls(text) {
  return text.replace(BIDI, (c) => '\u27E6U+' + c.codePointAt(0).toString(16).toUpperCase() + '\u27E7');
}

/** JSON from the API, every string in it with its bidirectional controls made visible. */
export function parseJson(text) {
  return JSON.parse(text, (key, value) => (typeof value === 'string' ? visibleControls(value) : value));
}

export function parseFrame(text) {
  const frame = { id: null, event: 'message', data: '' };
  const data = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') data.push(value);
  }
  frame.data = data.join('\n');
  return frame;
}
