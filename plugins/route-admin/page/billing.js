// The billing tab of the admin page: customers and their wallets (statement, credit, debit, linked
// keys) and the rate cards. Loaded after app.js, whose views it joins. Amounts travel as exact
// decimal USD strings and are shown as they come.
'use strict';

const USD_INPUT = { inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]{1,6})?' };
const AMOUNT_INPUT = { ...USD_INPUT, placeholder: '5.00' };

// The newest version of each model's card first, then the older ones.
function rateCardRows(cards) {
  const newest = new Map();
  for (const card of cards) {
    if ((newest.get(card.model)?.version ?? 0) < card.version) newest.set(card.model, card);
  }
  const sorted = [...cards].sort((a, b) => a.model.localeCompare(b.model) || b.version - a.version);
  return sorted.map((c) => el('tr', { class: newest.get(c.model) === c ? '' : 'older' },
    el('td', {}, el('code', {}, c.model)), el('td', {}, newest.get(c.model) === c ? `${c.version} (current)` : c.version),
    el('td', {}, c.input_per_million_usd), el('td', {}, c.cached_input_per_million_usd),
    el('td', {}, c.output_per_million_usd), el('td', {}, c.per_call_usd), el('td', {}, when(c.created_at))));
}

function transactionRow(t) {
  const what = t.kind === 'charge'
    ? `${t.model} · ${t.input_tokens} in (${t.cached_input_tokens} cached) / ${t.output_tokens} out · ${t.key}`
    : t.reason ?? '';
  return el('tr', {}, el('td', {}, when(t.created_at)), el('td', {}, t.kind), el('td', { class: 'amount' }, t.amount_usd),
    el('td', { class: 'amount' }, t.balance_after_usd), el('td', {}, what));
}

// A small form whose fields become the operation's body; `after` runs once it succeeded.
function operationForm(label, fields, submit, after) {
  const inputs = fields.map(([name, text, extra = {}]) => el('label', {}, text, el('input', { name, required: '', ...extra })));
  const form = el('form', { class: 'inline', 'aria-label': label }, ...inputs, el('button', { type: 'submit' }, label));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await submit(Object.fromEntries(new FormData(form)));
      form.reset();
      notify('');
      await after();
    } catch (error) { notify(error.message); }
  });
  return form;
}

async function showStatement(username) {
  const path = `/customers/${encodeURIComponent(username)}/wallet`;
  const { customer, transactions } = await api('GET', `${path}?limit=50`);
  const refresh = () => Promise.all([showStatement(username), views.billing()]);
  const heading = el('h3', { tabindex: '-1' }, `${customer.username}: ${customer.balance_usd} USD`);
  $('customer-detail').replaceChildren(heading,
    el('button', { class: 'close', onclick: () => { $('customer-detail').hidden = true; } }, 'Close'),
    el('p', { class: 'hint' }, `Wallet ${customer.wallet}. Keys linked to it spend from it.`),
    operationForm('Credit', [['amount_usd', 'Amount (USD)', AMOUNT_INPUT], ['reason', 'Reason', { maxlength: '500' }]],
      (body) => api('POST', `${path}/credit`, body), refresh),
    operationForm('Debit', [['amount_usd', 'Amount (USD)', AMOUNT_INPUT], ['reason', 'Reason', { maxlength: '500' }]],
      (body) => api('POST', `${path}/debit`, body), refresh),
    operationForm('Link key', [['key', 'Key prefix', { maxlength: '64', placeholder: 'sk-sluice-…' }]],
      (body) => api('POST', `${path}/keys`, body), refresh),
    el('h4', {}, 'Newest transactions'),
    transactions.length === 0 ? el('p', { class: 'hint' }, 'None yet.') : el('div', { class: 'table-wrap' },
      el('table', {}, el('thead', {}, el('tr', {}, ...['Time', 'Kind', 'Amount (USD)', 'Balance after', 'What'].map((h) => el('th', {}, h)))),
        el('tbody', { id: 'transaction-rows' }, ...transactions.map(transactionRow)))));
  $('customer-detail').hidden = false;
  heading.focus();
}

views.billing = async function billing() {
  let customers;
  try {
    ({ customers } = await api('GET', '/customers'));
  } catch (error) {
    $('billing-off').textContent = `Billing is not available: ${error.message}`;
    $('billing-off').hidden = false;
    $('billing-on').hidden = true;
    return;
  }
  $('billing-off').hidden = true;
  $('billing-on').hidden = false;
  fill('customer-rows', customers.map((c) => el('tr', { 'data-customer': c.username },
    el('td', {}, el('button', { class: 'link', onclick: () => showStatement(c.username).catch((e) => notify(e.message)) }, c.username)),
    el('td', { class: 'amount' }, c.balance_usd), el('td', {}, el('code', {}, c.wallet)), el('td', {}, when(c.created_at)))));
  const { rate_cards: cards } = await api('GET', '/rate-cards');
  fill('rate-card-rows', cards.length ? rateCardRows(cards)
    : [el('tr', {}, el('td', { colspan: '7', class: 'hint' }, 'No rate cards: requests are booked at 0 USD.'))]);
};

document.addEventListener('DOMContentLoaded', () => {
  $('new-customer').replaceChildren(operationForm('Add customer',
    [['customer', 'Username', { maxlength: '64', autocomplete: 'off' }]],
    (body) => api('POST', '/customers', body), views.billing));
  $('new-rate-card').replaceChildren(operationForm('Set prices',
    [['model', 'Model (or *)', { maxlength: '128' }], ['input_per_million_usd', 'Input / M', USD_INPUT],
     ['cached_input_per_million_usd', 'Cached / M', USD_INPUT], ['output_per_million_usd', 'Output / M', USD_INPUT]],
    (body) => api('POST', '/rate-cards', body), views.billing));
  $('adjust-rate-cards').replaceChildren(operationForm('Adjust every card',
    [['percent', 'Percent (e.g. 10 or -12.5)', { maxlength: '16', pattern: '-?[0-9]+(\\.[0-9]{1,2})?' }]],
    async (body) => {
      if (confirm(`Change every model's prices by ${body.percent}%?`)) await api('POST', '/rate-cards/adjust-percent', body);
    }, views.billing));
});
