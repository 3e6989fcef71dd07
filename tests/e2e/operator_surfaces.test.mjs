// The operator surfaces with real clients: the MCP SDK on /mcp, Debian's chromium (driven by
// playwright-core) on the admin page, and each credential only on its own surface.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { Emulator, Gateway, paths, requireClient } from './lib/harness.mjs';

const { Client } = requireClient('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = requireClient('@modelcontextprotocol/sdk/client/streamableHttp.js');
const Ajv = requireClient('ajv').default;
const { chromium } = requireClient('playwright-core');

const CHROMIUM = '/usr/bin/chromium';
const accounts = [{ id: 'acct-a', access_token: 'tok-a', label: 'alpha' }];
// acct-new is not imported: the page adds it by device sign-in.
const emulatorScript = `server: { device_auth_interval: 1s }
accounts:
  - id: acct-new
    plan_type: pro
  - id: acct-a
    access_token: tok-a
    rate_limits:
      primary: { used_percent: 62, window_minutes: 300, reset_in: 2h }
      secondary: { used_percent: 15, window_minutes: 10080, reset_in: 4d }
    behaviour: { mode: normal, text: "Answer from the pool." }
`;

let emulator;
let gateway;
const credentials = {};

const bearer = (token) => (token ? { Authorization: `Bearer ${token}` } : {});

before(async () => {
  emulator = await Emulator.start(emulatorScript);
  gateway = await Gateway.start({
    emulator, accounts, ringSize: 1, billing: true,
    plugins: ['route-openai', 'route-admin', 'route-mcp'],
    // The emulator hands out upload URLs on 127.0.0.1.
    extraYaml: '  - { family: openai_v1, config: { allow_private_upload_urls: true } }\n  - family: admin\n  - family: mcp\n',
  });
  Object.assign(credentials, { pool: gateway.key, admin: gateway.adminToken, mcp: gateway.mcpToken });
  // One turn, so the account has quota evidence, a request log row and usage.
  const turn = await fetch(`${gateway.url}/v1/responses`, {
    method: 'POST',
    headers: { ...bearer(credentials.pool), 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hello', stream: false }),
  });
  assert.equal(turn.status, 200, await turn.text());
  const upload = new FormData();
  upload.append('purpose', 'user_data');
  upload.append('file', new Blob(['notes']), 'notes.txt');
  const file = await fetch(`${gateway.url}/v1/files`, { method: 'POST', headers: bearer(credentials.pool), body: upload });
  assert.equal(file.status, 200, await file.text());
  // A billing customer, through the admin REST API, for the wallet tools.
  const customer = await fetch(`${gateway.url}/admin/api/v1/customers`, {
    method: 'POST',
    headers: { ...bearer(credentials.admin), 'content-type': 'application/json' },
    body: JSON.stringify({ customer: 'ada' }),
  });
  assert.equal(customer.status, 201, await customer.text());
  await new Promise((resolve) => setTimeout(resolve, 500));  // the request log is written behind
});

after(async () => {
  await gateway?.stop();
  await emulator?.stop();
});

// Debian's chromium, headless, for the admin page.
const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });

// The admin page in a new tab, the sign-in form sent with an admin token; dialogs are accepted
// and script errors collected.
async function signedInPage(browser, { url = gateway.url, token = credentials.admin, viewport } = {}) {
  const page = await browser.newPage(viewport ? { viewport } : {});
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(`${url}/admin`);
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  return { page, pageErrors };
}

async function adminApi(path, init = {}) {
  const response = await fetch(`${gateway.url}/admin/api/v1${path}`, { ...init, headers: bearer(credentials.admin) });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.json();
}

// Arguments for a tool's required parameters, from what the gateway holds.
async function argumentsFor(tool) {
  const known = {
    pool: 'team',
    account: (await adminApi('/accounts')).accounts[0].id,
    key: (await adminApi('/keys')).keys[0].prefix,
    customer: 'ada',
  };
  const ids = {
    'audit.get': async () => (await adminApi('/audit-events')).events[0].id,
    'request_logs.get': async () => (await adminApi('/request-logs')).requests[0].id,
    'files.get': async () => {
      const client = await mcpClient(credentials.mcp);
      const listed = await client.callTool({ name: 'files.list', arguments: { pool: 'team' } });
      await client.close();
      return listed.structuredContent.data[0].id;
    },
  };
  // Operators name the pool even where a Pool API key would not have to.
  const args = 'pool' in tool.inputSchema.properties ? { pool: known.pool } : {};
  for (const name of tool.inputSchema.required ?? []) {
    args[name] = name === 'id' ? await ids[tool.name]() : known[name];
    assert.ok(args[name], `no sample value for ${tool.name}.${name}`);
  }
  return args;
}

async function mcpClient(token) {
  const transport = new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
    requestInit: { headers: bearer(token) },
  });
  const client = new Client({ name: 'sluice-e2e', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

test('the MCP SDK lists the tools, calls each one and every result matches its output schema', async () => {
  const client = await mcpClient(credentials.mcp);
  try {
    assert.equal(client.getServerVersion().name, 'sluice');
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const expected of ['service.status', 'pools.list', 'pools.get', 'keys.list', 'keys.get', 'accounts.list',
      'accounts.get', 'accounts.quotas', 'request_logs.list', 'request_logs.get', 'audit.list', 'audit.get',
      'route.explain']) {
      assert.ok(names.includes(expected), `${expected} is offered`);
    }
    assert.ok(!names.some((name) => /create|delete|revoke|pause|resume|rotate|update|import|set_policy/.test(name)),
      `only read-only tools: ${names}`);
    const ajv = new Ajv({ strict: false });
    for (const tool of tools) {
      assert.equal(tool.inputSchema.additionalProperties, false, `${tool.name} has a strict input schema`);
      assert.equal(tool.annotations?.readOnlyHint, true);
      const result = await client.callTool({ name: tool.name, arguments: await argumentsFor(tool) });
      assert.notEqual(result.isError, true, `${tool.name}: ${JSON.stringify(result.content)}`);
      const validate = ajv.compile(tool.outputSchema);
      assert.ok(validate(result.structuredContent), `${tool.name}: ${ajv.errorsText(validate.errors)}`);
      assert.equal(JSON.stringify(result).includes(credentials.pool), false, `${tool.name} leaked a key`);
    }
    const { account } = await argumentsFor(tools.find((tool) => tool.name === 'accounts.quotas'));
    const quotas = await client.callTool({ name: 'accounts.quotas', arguments: { account } });
    assert.equal(quotas.structuredContent.primary.used_percent, 62);
    const badArguments = await client.callTool({ name: 'pools.get', arguments: { pool: 'team', extra: 1 } });
    assert.equal(badArguments.isError, true, 'arguments outside the schema are refused');
  } finally {
    await client.close();
  }
});

test('a Pool API key is refused by /mcp with 401', async () => {
  await assert.rejects(mcpClient(credentials.pool), /401|Unauthorized/i);
  const response = await fetch(`${gateway.url}/mcp`, {
    method: 'POST',
    headers: { ...bearer(credentials.pool), 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  assert.equal(response.status, 401);
});

test('/mcp answers GET with 405 and OPTIONS with the allowed methods', async () => {
  const get = await fetch(`${gateway.url}/mcp`, { headers: bearer(credentials.mcp) });
  assert.equal(get.status, 405);
  const options = await fetch(`${gateway.url}/mcp`, { method: 'OPTIONS' });
  assert.equal(options.headers.get('allow'), 'POST, OPTIONS');
});

test('each credential works only on its own surface', async () => {
  const surfaces = {
    pool: { url: '/v1/models', init: {} },
    admin: { url: '/admin/api/v1/service', init: {} },
    mcp: {
      url: '/mcp',
      init: { method: 'POST', headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) },
    },
  };
  for (const [surface, { url, init }] of Object.entries(surfaces)) {
    for (const [kind, token] of Object.entries({ ...credentials, none: '' })) {
      const response = await fetch(gateway.url + url, { ...init, headers: { ...init.headers, ...bearer(token) } });
      assert.equal(response.status, kind === surface ? 200 : 401, `${kind} on the ${surface} surface`);
    }
  }
  // Tokens in the query string or a cookie are never read.
  const query = await fetch(`${gateway.url}/admin/api/v1/service?access_token=${credentials.admin}`);
  assert.equal(query.status, 401);
  const cookie = await fetch(`${gateway.url}/mcp`, { ...surfaces.mcp.init,
    headers: { ...surfaces.mcp.init.headers, cookie: `token=${credentials.mcp}` } });
  assert.equal(cookie.status, 401);
});

test('in chromium, an operator signs in, sees the quota bar and revokes a key, which then gets 401', async () => {
  const created = await fetch(`${gateway.url}/admin/api/v1/keys`, {
    method: 'POST',
    headers: { ...bearer(credentials.admin), 'content-type': 'application/json' },
    body: JSON.stringify({ pool: 'team', name: 'to-revoke' }),
  });
  const { key, record } = await created.json();
  const models = () => fetch(`${gateway.url}/v1/models`, { headers: bearer(key) });
  assert.equal((await models()).status, 200);

  const browser = await launchChromium();
  try {
    const { page, pageErrors } = await signedInPage(browser);
    await page.waitForSelector('#service dd');

    await page.click('nav button[data-tab=accounts]');
    const bar = page.getByRole('progressbar', { name: 'alpha 5-hour quota' });
    await bar.waitFor();
    assert.equal(await bar.getAttribute('aria-valuenow'), '62');

    await page.click('nav button[data-tab=keys]');
    // A key made on the page comes with the Codex CLI block for the address the browser used.
    await page.fill('#new-key input[name=name]', 'from-the-page');
    await page.fill('#new-key input[name=pool]', 'team');
    await page.click('#new-key button[type=submit]');
    await page.locator('#issued-codex').waitFor();
    const snippet = await page.locator('#issued-codex').textContent();
    assert.ok(snippet.includes(`base_url = "${gateway.url}/backend-api/codex"`), snippet);
    const pageKey = /^export SLUICE_API_KEY=(\S+)$/m.exec(snippet)?.[1];
    assert.ok(pageKey && (await page.locator('#issued-key').textContent()).endsWith(pageKey));
    assert.equal((await fetch(`${gateway.url}/v1/models`, { headers: bearer(pageKey) })).status, 200);

    const row = page.locator(`tr[data-key="${record.prefix}"]`);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.locator('td', { hasText: /^revoked$/ }).waitFor();
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
  }
  const refused = await models();
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).error.code, 'invalid_api_key');
  const audit = await adminApi('/audit-events?limit=5');
  assert.ok(audit.events.some((event) => event.action === 'key.revoke' && event.target.includes(record.prefix)),
    JSON.stringify(audit.events));
});

test('in chromium, a request made with the openai SDK shows in the live Requests tab within 1 s, and its row expands to the account chosen', async (t) => {
  const { OpenAI } = requireClient('openai');
  // A key of its own, so the row is told apart and the key filter is exercised.
  const created = await fetch(`${gateway.url}/admin/api/v1/keys`, {
    method: 'POST',
    headers: { ...bearer(credentials.admin), 'content-type': 'application/json' },
    body: JSON.stringify({ pool: 'team', name: 'live-requests' }),
  });
  const { key, record } = await created.json();
  const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0, timeout: 30_000 });
  const browser = await launchChromium();
  try {
    const { page, pageErrors } = await signedInPage(browser);
    await page.waitForSelector('#service dd');
    await page.click('nav button[data-tab=requests]');
    await page.fill('#request-filters input[name=key]', record.prefix);
    const streaming = page.waitForResponse((r) => r.url().includes(`/request-logs/stream?key=${record.prefix}`));
    await page.click('#request-filters button[type=submit]');
    assert.equal((await streaming).status(), 200);

    const answer = await client.responses.create({ model: 'gpt-5.5', input: 'live' });
    const answered = Date.now();
    assert.equal(answer.output_text, 'Answer from the pool.');
    const row = page.locator('#request-rows tr[data-request]', { hasText: record.prefix });
    await row.waitFor({ timeout: 1000 });
    const waited = Date.now() - answered;
    t.diagnostic(`the row showed ${waited} ms after the SDK call returned`);
    assert.ok(waited < 1000, `the row showed after ${waited} ms`);
    assert.equal(await page.locator('#request-rows tr[data-request]').count(), 1, 'the key filter holds');

    const toggle = row.getByRole('button');
    await toggle.click();
    const trace = page.locator('#request-rows tr.trace');
    await trace.waitFor();
    assert.match(await trace.textContent(), /Tried alpha: /);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
  }
});

// How the page names an evidence source.
const SOURCE_NAMES = { headers: 'headers', event: 'stream event', probe: 'usage probe' };
// No wider than the viewport: tables scroll inside their own box.
const fitsWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('in chromium on a phone, the overview shows the pool\'s capacity left and the accounts their resets and evidence', async () => {
  const { pools } = await adminApi('/capacity');
  const team = pools.find((pool) => pool.pool === 'team');
  // The emulator says acct-a has used 62% of its 5-hour window and 15% of its week.
  assert.equal(team.five_hour.remaining_percent, 38);
  assert.equal(team.weekly.remaining_percent, 85);
  const { accounts: listed } = await adminApi('/accounts');
  const alpha = listed.find((account) => account.label === 'alpha');

  const browser = await launchChromium();
  try {
    const { page, pageErrors } = await signedInPage(browser, { viewport: { width: 375, height: 800 } });

    const card = page.locator('article[data-pool=team]');
    const fiveHours = card.getByRole('progressbar', { name: 'team 5-hour capacity left' });
    await fiveHours.waitFor();
    assert.equal(await fiveHours.getAttribute('aria-valuenow'), '38');
    assert.equal(await fiveHours.getAttribute('aria-valuemax'), '100');
    assert.match(await fiveHours.getAttribute('aria-valuetext'), /^38% left \(0\.38 of 1 account's window\)$/);
    const weekly = card.getByRole('progressbar', { name: 'team weekly capacity left' });
    assert.equal(await weekly.getAttribute('aria-valuenow'), '85');
    const resets = card.locator('.countdown');
    assert.match(await resets.nth(0).textContent(), /^next resets in 1 h 5\d min$/);
    assert.match(await resets.nth(1).textContent(), /^next resets in 3 d 23 h$/);
    assert.equal(await card.locator('li[data-state=ready] strong').textContent(), String(team.by_state.ready));
    // The turn and the upload made in before() are in the last hour's chart.
    const chart = card.getByRole('img', { name: /^team: \d+ requests?, \d+ errors? in the last hour$/ });
    const [, requests] = (await chart.getAttribute('aria-label')).match(/^team: (\d+) request/);
    // Rows are counted as the request log writes them: between what the API said before and after.
    const later = (await adminApi('/capacity?pool=team')).pools[0].last_hour.requests;
    assert.ok(team.last_hour.requests >= 2, JSON.stringify(team.last_hour));
    assert.ok(Number(requests) >= team.last_hour.requests && Number(requests) <= later, `${requests} of ${later}`);
    assert.ok(await chart.locator('rect.requests').count() >= 1);
    // Today's top key by tokens: the pool key whose turn before() made.
    const today = (await adminApi('/capacity')).as_of.slice(0, 10);
    const { rows } = await adminApi(`/usage?group_by=key&from=${today}&to=${today}`);
    const top = rows.sort((a, b) => b.total_tokens - a.total_tokens)[0];
    assert.ok(top.total_tokens > 0, JSON.stringify(rows));
    assert.equal(await page.locator('#top-keys li').first().getAttribute('data-key'), top.key);
    assert.match(await page.locator('#top-keys li').first().textContent(),
      new RegExp(`^${top.key} ${top.total_tokens.toLocaleString('en')} tokens, ${top.requests} requests?$`));
    assert.ok(await fitsWidth(page), 'the overview fits a phone');

    await page.click('nav button[data-tab=accounts]');
    const row = page.locator(`tr[data-account="${alpha.id}"]`);
    const bar = row.getByRole('progressbar', { name: 'alpha 5-hour quota' });
    await bar.waitFor();
    assert.equal(await bar.getAttribute('aria-valuenow'), '62');
    assert.match(await row.locator('.countdown').first().textContent(), /^resets in 1 h 5\d min$/);
    const evidence = row.locator('.evidence').first();
    const age = new RegExp(`^from ${SOURCE_NAMES[alpha.primary_evidence.source]} \\d+ (s|min) ago$`);
    const seen = await evidence.textContent();
    assert.match(seen, age);
    // The age moves on by itself, on the gateway's clock.
    await page.waitForFunction(([node, before]) => node.textContent !== before, [await evidence.elementHandle(), seen]);
    assert.match(await evidence.textContent(), age);
    assert.equal(await row.locator('td.state-ready').count(), 1);
    assert.ok(await fitsWidth(page), 'the accounts table scrolls in its own box');

    // The detail view opens from the keyboard and takes the focus.
    await row.getByRole('button', { name: 'alpha' }).focus();
    await page.keyboard.press('Enter');
    const detail = page.getByRole('region', { name: 'Account detail' });
    await detail.waitFor();
    assert.equal(await detail.getByRole('progressbar', { name: 'alpha weekly quota (detail)' }).getAttribute('aria-valuenow'), '15');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'alpha');
    assert.ok(await fitsWidth(page), 'the detail view fits a phone');
    // A probe on demand: the windows now come from the usage endpoint.
    await detail.getByRole('button', { name: 'Check quota now' }).click();
    await detail.locator('.evidence', { hasText: /^from usage probe \d+ s ago$/ }).first().waitFor();
    assert.equal(await detail.getByRole('progressbar', { name: 'alpha 5-hour quota (detail)' }).getAttribute('aria-valuenow'), '62');
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
  }
});

test('in chromium, "Add account" shows the user code and, once the user approves it, the new account', async () => {
  const browser = await launchChromium();
  try {
    const { page, pageErrors } = await signedInPage(browser);
    await page.waitForSelector('#service dd');
    await page.click('nav button[data-tab=accounts]');

    await page.fill('#add-account input[name=pool]', 'team');
    await page.fill('#add-account input[name=label]', 'fresh');
    await page.click('#add-account button[type=submit]');
    await page.waitForFunction(() => document.getElementById('sign-in-code').textContent !== '');
    const code = await page.locator('#sign-in-code').textContent();
    assert.equal(await page.locator('#sign-in-url').textContent(), `${emulator.url}/codex/device`);
    assert.match(await page.locator('#sign-in-status').textContent(), /^Waiting for the sign-in/);

    // The user signs in to ChatGPT and enters the code; the emulator's control API stands in.
    const approved = await fetch(`${emulator.url}/__emulator/deviceauth/${code}/approve`, {
      method: 'POST', body: JSON.stringify({ account: 'acct-new' }),
    });
    assert.equal(approved.status, 200, await approved.text());
    await page.locator('#sign-in-status', { hasText: /^Added account fresh to pool team/ }).waitFor();
    await page.locator('#account-rows td', { hasText: /^fresh$/ }).waitFor();
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
  }
  const { accounts: listed } = await adminApi('/accounts');
  assert.ok(listed.some((account) => account.label === 'fresh' && account.plan_type === 'pro'),
    JSON.stringify(listed));
});

test('in chromium, an operator credits a customer, prices a model and links a key, whose request the statement then shows charged', async () => {
  const created = await fetch(`${gateway.url}/admin/api/v1/keys`, {
    method: 'POST',
    headers: { ...bearer(credentials.admin), 'content-type': 'application/json' },
    body: JSON.stringify({ pool: 'team', name: 'ada-billed' }),
  });
  const { key, record } = await created.json();
  const browser = await launchChromium();
  try {
    const { page, pageErrors } = await signedInPage(browser);
    await page.waitForSelector('#service dd');
    await page.click('nav button[data-tab=billing]');

    const prices = page.getByRole('form', { name: 'Set prices' });
    await prices.locator('input[name=model]').fill('gpt-5.5');
    await prices.locator('input[name=input_per_million_usd]').fill('2');
    await prices.locator('input[name=cached_input_per_million_usd]').fill('0.2');
    await prices.locator('input[name=output_per_million_usd]').fill('15');
    await prices.getByRole('button', { name: 'Set prices' }).click();
    await page.locator('#rate-card-rows tr', { hasText: '2.000000' }).waitFor();
    const adjust = page.getByRole('form', { name: 'Adjust every card' });
    await adjust.locator('input[name=percent]').fill('10');
    await adjust.getByRole('button', { name: 'Adjust every card' }).click();
    await page.locator('#rate-card-rows tr', { hasText: /2 \(current\).*2\.200000/ }).waitFor();

    await page.locator('tr[data-customer=ada]').getByRole('button', { name: 'ada' }).click();
    const credit = page.getByRole('form', { name: 'Credit' });
    await credit.locator('input[name=amount_usd]').fill('5');
    await credit.locator('input[name=reason]').fill('welcome credit');
    await credit.getByRole('button', { name: 'Credit' }).click();
    await page.locator('#customer-detail h3', { hasText: 'ada: 5.000000 USD' }).waitFor();
    await page.locator('tr[data-customer=ada] td', { hasText: /^5\.000000$/ }).waitFor();
    const link = page.getByRole('form', { name: 'Link key' });
    await link.locator('input[name=key]').fill(record.prefix);
    await link.getByRole('button', { name: 'Link key' }).click();
    await page.locator('#customer-detail h3', { hasText: 'ada:' }).waitFor();

    const turn = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'bill me', stream: false }),
    });
    assert.equal(turn.status, 200, await turn.text());
    // The charge is booked behind the request: the operator opens the statement again until it shows.
    const charge = page.locator('#transaction-rows tr', { hasText: `gpt-5.5 · ` });
    for (let tries = 0; tries < 50 && (await charge.count()) === 0; ++tries) {
      await page.waitForTimeout(100);
      await page.locator('tr[data-customer=ada]').getByRole('button', { name: 'ada' }).click();
    }
    assert.match(await charge.first().textContent(), new RegExp(`charge-0\\.\\d{6}.*${record.prefix}`));
    assert.doesNotMatch(await page.locator('#customer-detail h3').textContent(), /ada: 5\.000000 USD/);
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
  }
  const { customer, transactions } = await adminApi('/customers/ada/wallet');
  assert.deepEqual(transactions.map((t) => t.kind), ['charge', 'credit']);
  assert.equal(customer.balance_usd, (5 + Number(transactions[0].amount_usd)).toFixed(6));
});

// For review: every tab at 1280 px and on a phone, as PNG files in the build tree.
test('in chromium, each tab renders at 1280 px and on a phone without errors, and its screenshots are written', async () => {
  const folder = join(dirname(dirname(paths.sluice())), 'screenshots');
  mkdirSync(folder, { recursive: true });
  const browser = await launchChromium();
  try {
    for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 375, height: 800 }]]) {
      const { page, pageErrors } = await signedInPage(browser, { viewport });
      await page.waitForSelector('#service dd');
      for (const tab of await page.locator('nav button').evaluateAll((buttons) => buttons.map((b) => b.dataset.tab))) {
        await page.click(`nav button[data-tab=${tab}]`);
        await page.locator(`#${tab}`).waitFor();
        await page.waitForLoadState('networkidle');
        assert.ok(await fitsWidth(page), `${tab} fits ${name} width`);
        const file = join(folder, `admin-${tab}-${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        assert.deepEqual([...readFileSync(file).subarray(1, 4)], [0x50, 0x4e, 0x47], file);  // "PNG"
      }
      assert.equal(await page.locator('#notice').isVisible(), false, await page.locator('#notice').textContent());
      assert.deepEqual(pageErrors, []);
    }
  } finally {
    await browser.close();
  }
});

// A webhook receiver on 127.0.0.1 that records each delivery and answers 204.
async function webhookReceiver() {
  const deliveries = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      deliveries.push({ signature: request.headers['sluice-signature'] ?? '', body });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { deliveries, server, url: `http://127.0.0.1:${server.address().port}/hook` };
}

// As a receiver checks it: v1 is the HMAC-SHA256 of "<t>.<body>" and t is recent.
function signatureHolds({ signature, body }, secret) {
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? [];
  if (!t) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return Math.abs(Date.now() / 1000 - Number(t)) < 300 && timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

test('in chromium, an account whose token refresh fails for good fires one signed webhook alert and a banner', async () => {
  const secret = 'e2e-alert-signing-secret';
  const receiver = await webhookReceiver();
  const alertEmulator = await Emulator.start(`accounts:
  - { id: acct-r, access_token: tok-r, refresh_token: rt-r, oauth: { mode: invalid_grant } }
  - { id: acct-s, access_token: tok-s, refresh_token: rt-s }
`);
  let alertGateway;
  let browser;
  try {
    alertGateway = await Gateway.start({
      emulator: alertEmulator,
      accounts: [{ id: 'acct-r', access_token: 'tok-r', refresh_token: 'rt-r', label: 'expiring' },
                 { id: 'acct-s', access_token: 'tok-s', refresh_token: 'rt-s', label: 'spare' }],
      plugins: ['route-admin'],
      extraYaml: '  - family: admin\n',
      alertsYaml: `interval: 1s, webhook_url: "${receiver.url}", webhook_secret: ${secret}`,
    });
    const models = await fetch(`${alertGateway.url}/backend-api/codex/models`, { headers: bearer(alertGateway.key) });
    assert.equal(models.status, 200);
    const expired = await fetch(`${alertEmulator.url}/__emulator/accounts/acct-r/expire-token`, { method: 'POST' });
    assert.equal(expired.status, 200);
    // acct-r answers 401, its refresh gets invalid_grant; acct-s serves every turn.
    for (let i = 0; i < 3; ++i) assert.equal(await alertGateway.httpTurn(), 200);

    const deadline = Date.now() + 15_000;
    while (receiver.deliveries.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((resolve) => setTimeout(resolve, 2500));  // more evaluations: no repeat
    assert.equal(receiver.deliveries.length, 1, JSON.stringify(receiver.deliveries));
    assert.ok(signatureHolds(receiver.deliveries[0], secret), receiver.deliveries[0].signature);
    const fired = JSON.parse(receiver.deliveries[0].body);
    assert.equal(fired.type, 'alert.firing');
    assert.equal(fired.alert.rule, 'account_needs_sign_in');
    assert.match(fired.alert.summary, /account expiring in pool team needs a new sign-in/);

    browser = await launchChromium();
    const { page, pageErrors } = await signedInPage(browser, { url: alertGateway.url, token: alertGateway.adminToken });
    const banner = page.getByRole('region', { name: 'Alerts firing' });
    await banner.locator(`li[data-alert="${fired.alert.id}"]`).waitFor();
    assert.match(await banner.textContent(), /1 alert firing.*account expiring in pool team needs a new sign-in/s);
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser?.close();
    await alertGateway?.stop();
    await alertEmulator.stop();
    receiver.server.close();
  }
});
