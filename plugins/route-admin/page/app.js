// The Sluice admin page: a thin client of /admin/api/v1. The admin token lives in
// sessionStorage (this tab only) and travels as a Bearer header; nothing is rendered as HTML
// from data, every value goes through textContent.
'use strict';

const API = '/admin/api/v1';
const TOKEN_KEY = 'sluice-admin-token';

const $ = (id) => document.getElementById(id);
let signInTimer = null;

async function api(method, path, body) {
  const response = await fetch(API + path, {
    method,
    headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`,
               ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401) signOut();
    throw new Error(payload.error?.message ?? `HTTP ${response.status}`);
  }
  return payload;
}

function notify(message) {
  $('notice').textContent = message;
  $('notice').hidden = !message;
}

const when = (time) => (time ? new Date(time).toLocaleString() : '—');

function fill(tbodyId, rows) {
  $(tbodyId).replaceChildren(...rows);
}

function action(label, run, danger = false) {
  return el('button', { class: danger ? 'danger' : '', onclick: async () => {
    try { await run(); notify(''); await show(currentTab()); } catch (error) { notify(error.message); }
  } }, label);
}

const views = {
  async overview() {
    const [s, capacity] = await Promise.all([api('GET', '/service'), api('GET', '/capacity')]);
    syncGatewayClock(capacity.as_of);
    $('capacity').replaceChildren(...capacity.pools.map(capacityCard));
    const today = capacity.as_of.slice(0, 10);
    const usage = await api('GET', `/usage?group_by=key&from=${today}&to=${today}`);
    $('top-keys').replaceChildren(...topKeys(usage.rows));
    const facts = [['Version', s.version], ['Up since', when(s.started_at)], ['Storage', s.storage],
                   ['Pools', s.pools], ['Accounts', s.accounts.total],
                   ['Keys active / paused / revoked', `${s.keys.active} / ${s.keys.paused} / ${s.keys.revoked}`]];
    $('service').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  },
  async pools() {
    const { pools } = await api('GET', '/pools');
    fill('pool-rows', pools.map((p) => el('tr', {}, el('td', {}, p.name), el('td', {}, p.strategy),
      el('td', {}, p.ring_size), el('td', {}, p.sticky_sessions ? 'yes' : 'no'), el('td', {}, p.source))));
  },
  async accounts() {
    const { as_of: asOf, accounts } = await api('GET', '/accounts');
    syncGatewayClock(asOf);
    fill('account-rows', accounts.map((a) => {
      const name = a.label || a.id;
      return el('tr', { 'data-account': a.id },
        el('td', {}, el('button', { class: 'link', onclick: () => showAccount(a.id) }, name)),
        el('td', {}, a.pool),
        el('td', { class: `state-${a.state ?? 'unknown'}`, title: a.reason }, STATE_NAMES[a.state] ?? a.condition,
           a.reason ? el('small', { class: 'hint' }, ` (${a.reason})`) : ''),
        el('td', {}, quotaBar(a.primary, `${name} 5-hour quota`, a.primary_evidence)),
        el('td', {}, quotaBar(a.secondary, `${name} weekly quota`, a.secondary_evidence)),
        el('td', {}, cooldown(a)),
        el('td', {}, a.in_flight ?? 0),
        el('td', {}, a.latency_ms ? `${a.latency_ms.toFixed(0)} ms` : '—'),
        el('td', {}, a.status === 'paused'
          ? action('Resume', () => api('POST', `/accounts/${encodeURIComponent(a.id)}/resume`))
          : action('Pause', () => api('POST', `/accounts/${encodeURIComponent(a.id)}/pause`))));
    }));
  },
  async keys() {
    const { keys } = await api('GET', '/keys');
    const path = (k, verb) => `/keys/${encodeURIComponent(k.prefix)}/${verb}`;
    fill('key-rows', keys.map((k) => el('tr', { 'data-key': k.prefix },
      el('td', {}, el('code', {}, k.prefix)), el('td', {}, k.name), el('td', {}, k.pool),
      el('td', {}, k.status), el('td', {}, Object.keys(k.policy).length ? JSON.stringify(k.policy) : '—'),
      el('td', {}, when(k.last_used_at)),
      el('td', {}, ...(k.status === 'revoked' ? [] : [
        k.status === 'paused' ? action('Resume', () => api('POST', path(k, 'resume')))
                              : action('Pause', () => api('POST', path(k, 'pause'))),
        action('Revoke', () => confirm(`Revoke ${k.prefix} for good?`) && api('POST', path(k, 'revoke')), true),
      ])))));
  },
  requests() {
    return watchRequests();
  },
  async usage() {
    const rollup = await api('GET', '/usage?group_by=day');
    drawUsage(rollup.rows);
    const t = rollup.totals;
    $('usage-totals').replaceChildren(...[['Requests', t.requests], ['Errors', t.errors],
      ['Input tokens', t.input_tokens], ['Output tokens', t.output_tokens]]
      .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  },
  async audit() {
    const { events } = await api('GET', '/audit-events?limit=100');
    fill('audit-rows', events.map((e) => el('tr', {}, el('td', {}, when(e.occurred_at)), el('td', {}, e.actor),
      el('td', {}, e.action), el('td', {}, e.target), el('td', {}, e.outcome))));
  },
};

// One account in detail: its windows, the quota evidence last stored (usage probes) and circuits.
async function showAccount(id) {
  try {
    const path = `/accounts/${encodeURIComponent(id)}`;
    const [a, quotas] = await Promise.all([api('GET', path), api('GET', `${path}/quotas`)]);
    const name = a.label || a.id;
    const facts = [['Id', a.id], ['Pool', a.pool], ['State', STATE_NAMES[a.state] ?? a.condition],
                   ['Why', a.reason || '—'], ['Status', a.status], ['Plan', a.upstream_plan_type ?? a.plan_type ?? '—'],
                   ['Last success', when(a.last_success_at)], ['Access token expires', when(a.access_expires_at)],
                   ['Cooldown', cooldown(a)]];
    const heading = el('h3', { tabindex: '-1' }, name);
    $('account-detail').replaceChildren(heading,
      el('button', { class: 'close', onclick: () => { $('account-detail').hidden = true; } }, 'Close'),
      el('button', { onclick: async () => {
        try { await api('POST', `${path}/probe`); notify(''); } catch (error) { notify(error.message); }
        await Promise.all([showAccount(id), views.accounts().catch((e) => notify(e.message))]);
      } }, 'Check quota now'),
      el('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      el('h4', {}, '5-hour window'), quotaBar(a.primary, `${name} 5-hour quota (detail)`, a.primary_evidence),
      el('h4', {}, 'Weekly window'), quotaBar(a.secondary, `${name} weekly quota (detail)`, a.secondary_evidence),
      el('h4', {}, 'Stored evidence (usage probes)'),
      quotas.stored.length === 0 ? el('p', { class: 'hint' }, 'None stored yet.') : el('div', { class: 'table-wrap' },
        el('table', {}, el('thead', {}, el('tr', {}, ...['Window', 'Used', 'Resets', 'Observed', 'Source'].map((h) => el('th', {}, h)))),
          el('tbody', {}, ...quotas.stored.map((q) => el('tr', {}, el('td', {}, q.window), el('td', {}, `${q.used_percent}%`),
            el('td', {}, when(q.resets_at)), el('td', {}, when(q.observed_at)), el('td', {}, q.source)))))),
      el('h4', {}, 'Circuits'),
      (a.circuits ?? []).length === 0 ? el('p', { class: 'hint' }, 'All closed.')
        : el('ul', {}, ...a.circuits.map((c) => el('li', {}, `${c.model || 'any model'} (${c.route_class}): ${c.state}`))));
    $('account-detail').hidden = false;
    heading.focus();
  } catch (error) { notify(error.message); }
}

// "Add account": a ChatGPT device sign-in. The gateway waits for the approval itself; the page
// only shows the code and asks how it stands at the interval the gateway polls at.
const SIGN_IN_OUTCOMES = {
  stored: (s) => `Added account ${s.account.label} to pool ${s.pool} (${s.account.condition}).`,
  denied: (s) => `Not added: ${s.error.message}.`,
  expired: (s) => `Not added: ${s.error.message}.`,
  failed: (s) => `Not added: ${s.error.message}.`,
};

function showSignIn(signIn) {
  $('sign-in').hidden = false;
  $('sign-in-url').textContent = signIn.verification_url;
  $('sign-in-url').href = signIn.verification_url;
  $('sign-in-code').textContent = signIn.user_code;
  const outcome = SIGN_IN_OUTCOMES[signIn.phase];
  $('sign-in-status').textContent = outcome ? outcome(signIn)
    : `Waiting for the sign-in (code valid until ${when(signIn.expires_at)})…`;
  clearTimeout(signInTimer);
  if (outcome) {
    if (currentTab() === 'accounts') views.accounts().catch((e) => notify(e.message));
    return;
  }
  signInTimer = setTimeout(async () => {
    try { showSignIn(await api('GET', `/sign-ins/${encodeURIComponent(signIn.sign_in)}`)); }
    catch (error) { notify(error.message); }
  }, Math.max(1, signIn.interval_seconds) * 1000);
}

// One bar per day: input + output tokens.
function drawUsage(rows) {
  if (rows.length === 0) {
    $('usage-chart').replaceChildren(el('p', { class: 'hint' }, 'No requests in this period.'));
    return;
  }
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 700 220');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'tokens per day');
  const max = Math.max(1, ...rows.map((r) => r.input_tokens + r.output_tokens));
  const width = 700 / Math.max(rows.length, 1);
  rows.forEach((row, i) => {
    const height = ((row.input_tokens + row.output_tokens) / max) * 180;
    const bar = document.createElementNS(svgNs, 'rect');
    for (const [k, v] of Object.entries({ x: i * width + 2, y: 190 - height, width: width - 4, height })) {
      bar.setAttribute(k, v);
    }
    const title = document.createElementNS(svgNs, 'title');
    title.textContent = `${row.day}: ${row.input_tokens} in, ${row.output_tokens} out, ${row.requests} requests`;
    bar.append(title);
    const label = document.createElementNS(svgNs, 'text');
    label.setAttribute('x', i * width + 2);
    label.setAttribute('y', 205);
    label.textContent = row.day.slice(5);
    svg.append(bar, label);
  });
  $('usage-chart').replaceChildren(svg);
}

const currentTab = () => document.querySelector('nav button[aria-current="page"]')?.dataset.tab ?? 'overview';

async function show(tab) {
  for (const button of document.querySelectorAll('nav button')) {
    if (button.dataset.tab === tab) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
    $(button.dataset.tab).hidden = button.dataset.tab !== tab;
  }
  stopRequestStream();
  try { await views[tab](); notify(''); } catch (error) { notify(error.message); }
}

function signedIn(yes) {
  $('login').hidden = yes;
  $('tabs').hidden = !yes;
  $('sign-out').hidden = !yes;
  if (!yes) for (const section of document.querySelectorAll('main section')) section.hidden = true;
  watchAlerts(yes);
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  stopRequestStream();
  clearTimeout(signInTimer);
  $('sign-in').hidden = true;
  signedIn(false);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    try {
      await api('GET', '/service');
      $('token').value = '';
      signedIn(true);
      await show('overview');
    } catch (error) {
      sessionStorage.removeItem(TOKEN_KEY);
      notify(`Sign-in failed: ${error.message}`);
    }
  });
  $('new-key').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
      const issued = await api('POST', '/keys',
        { name: form.get('name'), pool: form.get('pool'), gateway_url: window.location.origin });
      $('issued-key').textContent = `New key (shown once): ${issued.key}`;
      // The provider block for this gateway as the browser reaches it; absent without a Codex route.
      $('issued-codex-intro').hidden = !issued.codex;
      $('issued-codex').hidden = !issued.codex;
      $('issued-codex').textContent = issued.codex
        ? `export ${issued.codex.env_key}=${issued.key}\n\n${issued.codex.config_toml}` : '';
      $('issued').hidden = false;
      event.target.reset();
      await show('keys');
    } catch (error) { notify(error.message); }
  });
  $('add-account').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const label = form.get('label').trim();
    try {
      showSignIn(await api('POST', '/sign-ins', { pool: form.get('pool'), ...(label ? { label } : {}) }));
      notify('');
      event.target.reset();
    } catch (error) { notify(error.message); }
  });
  $('request-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    watchRequests().catch((error) => notify(error.message));
  });
  $('sign-out').addEventListener('click', signOut);
  for (const button of document.querySelectorAll('nav button')) {
    button.addEventListener('click', () => show(button.dataset.tab));
  }
  if (sessionStorage.getItem(TOKEN_KEY)) {
    signedIn(true);
    show('overview');
  }
});
