// The Requests tab: the request log live. The last rows come from request_logs.list, then new
// ones from GET /admin/api/v1/request-logs/stream (Server-Sent Events). EventSource cannot send
// the Bearer header, so the stream is read with fetch and a body reader. Each row expands to
// its routing trace (request_logs.get). Values go through textContent only.
'use strict';

const REQUEST_ROWS_SHOWN = 200;
const STREAM_RETRY_MS = 1000;
let requestStream = null;  // the AbortController of the open stream

function requestFilters() {
  const form = new FormData($('request-filters'));
  return Object.fromEntries([...form.entries()].map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
}

// The filters the list operation takes; the stream applies account and route itself.
const matchesLocally = (r, f) => (!f.account || f.account === r.account_id || f.account === r.account_label)
  && (!f.route || f.route === r.route);

function requestRow(r) {
  const toggle = el('button', { class: 'link', 'aria-expanded': 'false', title: 'Show why this account' },
    when(r.started_at));
  const row = el('tr', { 'data-request': r.id },
    el('td', {}, toggle), el('td', {}, r.key_prefix), el('td', {}, r.model),
    el('td', {}, el('code', {}, `${r.method} ${r.route_path}`)), el('td', {}, r.route),
    el('td', {}, r.account_label || r.account_id), el('td', {}, r.status), el('td', {}, r.attempts),
    el('td', {}, `${r.input_tokens} / ${r.output_tokens}`), el('td', {}, `${r.latency_ms.toFixed(1)} ms`));
  toggle.addEventListener('click', () => toggleTrace(row, toggle, r.id));
  return row;
}

async function toggleTrace(row, toggle, id) {
  if (toggle.getAttribute('aria-expanded') === 'true') {
    row.nextElementSibling?.remove();
    toggle.setAttribute('aria-expanded', 'false');
    return;
  }
  try {
    const { routing } = await api('GET', `/request-logs/${encodeURIComponent(id)}`);
    row.after(el('tr', { class: 'trace' }, el('td', { colspan: '10' }, traceView(routing))));
    toggle.setAttribute('aria-expanded', 'true');
  } catch (error) { notify(error.message); }
}

// "Why this account": the accounts tried in order, those left out and why, and any pin.
function traceView(routing) {
  const items = [];
  for (const a of routing.attempts ?? []) {
    items.push(el('li', {}, `Tried ${a.account}: ${a.end}${a.reason ? ` (${a.reason})` : ''}`
      + `${a.upstream_status ? `, upstream ${a.upstream_status}` : ''}`));
  }
  for (const x of routing.excluded ?? []) items.push(el('li', {}, `Left out ${x.account}: ${x.reason}`));
  if (routing.affinity_account) items.push(el('li', {}, `Kept on ${routing.affinity_account} (affinity)`));
  if (routing.pinned) items.push(el('li', {}, 'Pinned to one account'));
  const order = (routing.order ?? []).join(', ');
  return el('div', {}, el('p', {}, `Order: ${order || '—'}`),
    items.length ? el('ul', {}, ...items) : el('p', { class: 'hint' }, 'No routing recorded.'));
}

function addRequestRow(r) {
  const rows = $('request-rows');
  rows.prepend(requestRow(r));
  for (let shown = rows.querySelectorAll('tr[data-request]'); shown.length > REQUEST_ROWS_SHOWN;
       shown = rows.querySelectorAll('tr[data-request]')) {
    const last = shown[shown.length - 1];
    if (last.nextElementSibling?.classList.contains('trace')) last.nextElementSibling.remove();
    last.remove();
  }
}

// Reads one stream to its end; returns the id of the last row it delivered.
async function readRequestStream(filters, since, signal) {
  const query = new URLSearchParams({ ...filters, ...(since ? { since } : {}) });
  const response = await fetch(`${API}/request-logs/stream?${query}`, {
    headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` }, signal,
  });
  if (!response.ok) {
    const payload = await response.json().catch(() => ({}));
    if (response.status === 401) signOut();
    throw new Error(payload.error?.message ?? `HTTP ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  let last = since;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buffered += value;
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === 'request') {
        const row = JSON.parse(data);
        addRequestRow(row);
        last = row.id;
      } else if (event === 'error') {
        throw new Error(JSON.parse(data).error.message);
      }
    }
  }
}

function stopRequestStream() {
  requestStream?.abort();
  requestStream = null;
}

// The last 50 rows, then the stream from the newest of them, reopened after each end.
async function watchRequests() {
  stopRequestStream();
  const controller = new AbortController();
  requestStream = controller;
  const filters = requestFilters();
  const listed = new URLSearchParams({ limit: '50', ...Object.fromEntries(
    Object.entries(filters).filter(([k]) => ['pool', 'key', 'status'].includes(k))) });
  const { requests } = await api('GET', `/request-logs?${listed}`);
  if (controller.signal.aborted) return;  // left the tab or applied other filters meanwhile
  fill('request-rows', requests.filter((r) => matchesLocally(r, filters)).map(requestRow));
  let since = requests[0]?.id;
  (async () => {
    while (!controller.signal.aborted) {
      try {
        since = await readRequestStream(filters, since, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        notify(error.message);
      }
      await new Promise((resolve) => setTimeout(resolve, STREAM_RETRY_MS));
    }
  })();
}
