// The overview and quota on the admin page: capacity and quota bars, traffic charts, reset
// countdowns and evidence ages. Loaded before app.js, which uses its functions. Times count on the gateway's clock: each answer's
// `as_of` says what it was, so a browser whose clock is off still shows the gateway's countdowns.
'use strict';

const SOURCE_NAMES = { headers: 'headers', event: 'stream event', probe: 'usage probe', unknown: 'unknown source' };
const STATE_NAMES = { ready: 'ready', cooling_down: 'cooling down', paused: 'paused', needs_sign_in: 'needs sign-in' };
let clockOffsetMs = 0;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'onclick') node.addEventListener('click', value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ''));
  return node;
}

// Called with each answer's as_of, as it arrives.
function syncGatewayClock(asOf) {
  if (asOf) clockOffsetMs = Date.parse(asOf) - Date.now();
}

const gatewayNow = () => Date.now() + clockOffsetMs;

// 59 s, 4 min, 1 h 05 min, 2 d 3 h.
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function countdownText(node) {
  const left = (Date.parse(node.dataset.resetsAt) - gatewayNow()) / 1000;
  return left > 0 ? `${node.dataset.prefix}resets in ${duration(left)}` : `${node.dataset.prefix}reset due`;
}

function ageText(node) {
  const age = (gatewayNow() - Date.parse(node.dataset.observedAt)) / 1000;
  return `from ${node.dataset.source} ${duration(age)} ago${node.dataset.stale ? ' (stale)' : ''}`;
}

function countdown(resetsAt, prefix = '') {
  if (!resetsAt) return el('span', { class: 'hint' }, `${prefix}reset unknown`);
  const node = el('span', { class: 'countdown', 'data-resets-at': resetsAt, 'data-prefix': prefix });
  node.textContent = countdownText(node);
  return node;
}

function evidenceAge(evidence) {
  if (!evidence) return el('span', { class: 'hint' }, 'no evidence yet');
  const node = el('span', { class: 'evidence hint', 'data-observed-at': evidence.observed_at,
                            'data-source': SOURCE_NAMES[evidence.source] ?? evidence.source });
  if (!evidence.fresh) node.dataset.stale = 'yes';
  node.textContent = ageText(node);
  return node;
}

// Once a second: every countdown and age on the page moves on.
function tickClocks() {
  for (const node of document.querySelectorAll('.countdown')) node.textContent = countdownText(node);
  for (const node of document.querySelectorAll('.evidence')) node.textContent = ageText(node);
}

function bar(label, value, max, text, level) {
  const fill = el('div', { class: `fill ${level}` });
  fill.style.width = `${max > 0 ? Math.min(100, (value / max) * 100) : 0}%`;  // CSSOM: CSP forbids style attributes
  return el('div', { class: 'quota', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0',
                     'aria-valuemax': String(max), 'aria-valuenow': String(Math.round(value)),
                     'aria-valuetext': text },
            el('div', { class: 'track' }, fill), el('span', { 'aria-hidden': 'true' }, text));
}

// One account's window: used share, countdown to its reset, and how old the evidence is.
function quotaBar(window, label, evidence) {
  const parts = [];
  if (window) {
    const used = Math.max(0, Math.min(100, window.used_percent));
    const level = used >= 100 ? 'full' : used >= 80 ? 'high' : '';
    parts.push(bar(label, used, 100, `${Math.round(used)}% used`, level), countdown(window.resets_at));
  } else {
    parts.push(el('span', { class: 'hint' }, 'unknown'));
  }
  parts.push(evidenceAge(evidence));
  return el('div', { class: 'window' }, ...parts);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const windowsOf = (n) => (n === 1 ? "1 account's window" : `${n} accounts' windows`);

// A pool's window summed: what its known accounts have left, out of their whole windows.
function capacityBar(pool, window, name) {
  const max = window.known * 100;
  const left = window.remaining_percent;
  const share = max > 0 ? Math.round((left / max) * 100) : 0;
  const text = max > 0 ? `${share}% left (${(left / 100).toFixed(2)} of ${windowsOf(window.known)})`
                       : 'nothing known yet';
  const unknown = window.accounts - window.known;
  const level = max === 0 ? '' : share <= 0 ? 'full' : share < 20 ? 'high' : '';
  return el('div', { class: 'capacity-window' },
    el('h4', {}, name),
    bar(`${pool.pool} ${name} capacity left`, left, max, text, level),
    el('p', { class: 'hint' }, countdown(window.next_reset_at, 'next '),
       unknown > 0 ? ` · ${plural(unknown, 'account')} without evidence` : ''));
}

function stateList(counts, label) {
  return el('ul', { class: 'states', 'aria-label': label },
    ...Object.entries(STATE_NAMES).map(([state, name]) =>
      el('li', { class: `state-${state}`, 'data-state': state }, el('strong', {}, counts[state] ?? 0), ` ${name}`)));
}

// Requests per minute over the last hour as bars, errors in front of them.
function trafficChart(pool) {
  const hour = pool.last_hour;
  const summary = `${plural(hour.requests, 'request')}, ${plural(hour.errors, 'error')} in the last hour`;
  const svgNs = 'http://www.w3.org/2000/svg';
  const node = (tag, attributes) => {
    const n = document.createElementNS(svgNs, tag);
    for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, v);
    return n;
  };
  const svg = node('svg', { viewBox: '0 0 120 30', preserveAspectRatio: 'none', role: 'img',
                            'aria-label': `${pool.pool}: ${summary}`, class: 'traffic' });
  const max = Math.max(1, ...hour.requests_per_minute);
  hour.requests_per_minute.forEach((requests, i) => {
    for (const [count, kind] of [[requests, 'requests'], [hour.errors_per_minute[i], 'errors']]) {
      if (count > 0) {
        const height = (count / max) * 30;
        svg.append(node('rect', { x: i * 2, y: 30 - height, width: 1.6, height, class: kind }));
      }
    }
  });
  return el('div', { class: 'capacity-window' }, el('h4', {}, 'Last hour'), svg, el('p', { class: 'hint' }, summary));
}

function capacityCard(pool) {
  return el('article', { class: 'card', 'data-pool': pool.pool, 'aria-labelledby': `pool-${pool.pool}` },
    el('h3', { id: `pool-${pool.pool}` }, pool.pool, el('small', {}, ` ${plural(pool.accounts, 'account')}`)),
    capacityBar(pool, pool.five_hour, '5-hour'),
    capacityBar(pool, pool.weekly, 'weekly'),
    trafficChart(pool),
    stateList(pool.by_state, `${pool.pool} accounts by state`));
}

// The five keys that used the most tokens today (usage.rollup rows grouped by key).
function topKeys(rows) {
  const top = [...rows].sort((a, b) => b.total_tokens - a.total_tokens).slice(0, 5);
  if (top.length === 0) return [el('li', { class: 'hint' }, 'No requests today.')];
  return top.map((row) => el('li', { 'data-key': row.key }, el('code', {}, row.key),
    ` ${row.total_tokens.toLocaleString('en')} tokens, ${plural(row.requests, 'request')}`));
}

// An account's cooldown: a usage limit it reported, or recent failures that put it last.
function cooldown(account) {
  if (account.usage_limited_until) return countdown(account.usage_limited_until, 'usage limit: ');
  if (account.demoted_until) return countdown(account.demoted_until, 'tried last: ');
  return '—';
}

document.addEventListener('DOMContentLoaded', () => setInterval(tickClocks, 1000));
