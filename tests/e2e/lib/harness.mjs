// Starts the pieces an end-to-end test needs, each as its own process on 127.0.0.1:
// the upstream emulator, a Sluice gateway (with a fresh SQLite database, pool, accounts, a Pool
// API key, an admin token and an MCP token made through the real CLI), and the real clients
// installed from npm.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through ctest)`);
  return value;
};

export const paths = {
  sluice: () => env('SLUICE_BIN'),
  emulator: () => env('SLUICE_EMULATOR_BIN'),
  plugins: () => env('SLUICE_PLUGIN_DIR'),
  nodeModules: () => env('SLUICE_E2E_NODE_MODULES'),
  // The o200k_base ranks install-clients.sh extracted from the npm tiktoken package.
  o200kRanks: () => env('SLUICE_O200K_RANKS'),
};

// The number of tokens of `text` by the reference tokenizer (the npm tiktoken package), to
// check count_tokens; its encoding is built once per test process.
let o200kEncoding;
export function o200kTokens(text) {
  o200kEncoding ??= requireClient('tiktoken').get_encoding('o200k_base');
  return o200kEncoding.encode_ordinary(text).length;
}

// Loads a client package installed for the e2e tests (its CommonJS entry, through its exports map).
export function requireClient(specifier) {
  return createRequire(join(paths.nodeModules(), '..', 'package.json'))(specifier);
}

// A spawned client's proxy settings that leave only loopback reachable.
const loopbackOnly = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost' };

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `sluice-e2e-${prefix}-`));
}

// Waits until `read()` returns a match of `pattern`, polling; rejects after `ms`.
async function waitFor(read, pattern, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function collect(child) {
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk) => { out.stdout += chunk; });
  child.stderr?.on('data', (chunk) => { out.stderr += chunk; });
  return out;
}

function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

export class Emulator {
  static async start(scriptYaml) {
    const dir = tempDir('emulator');
    const script = join(dir, 'script.yaml');
    writeFileSync(script, scriptYaml);
    const child = spawn(paths.emulator(), ['--port', '0', '--script', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collect(child);
    const [, address] = await waitFor(() => output.stdout, /listening (\S+)/, 10_000, 'the emulator');
    return new Emulator(child, output, dir, `http://${address}`);
  }

  constructor(child, output, dir, url) {
    Object.assign(this, { child, output, dir, url });
  }

  async requests() {
    const response = await fetch(`${this.url}/__emulator/requests`);
    const body = await response.json();
    return body.requests ?? body;
  }

  async reset() {
    await fetch(`${this.url}/__emulator/reset`, { method: 'POST' });
  }

  async setBehaviour(accountId, behaviour) {
    const response = await fetch(`${this.url}/__emulator/accounts/${accountId}/behaviour`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(behaviour),
    });
    if (!response.ok) throw new Error(`emulator refused behaviour: ${await response.text()}`);
  }

  // Every account of `accountIds` answers `behaviour` while `body` runs, then `steady` again.
  async withBehaviour(accountIds, behaviour, steady, body) {
    for (const id of accountIds) await this.setBehaviour(id, behaviour);
    try {
      return await body();
    } finally {
      for (const id of accountIds) await this.setBehaviour(id, steady);
    }
  }

  async stop() {
    await stopProcess(this.child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// A Codex auth.json for an emulator account whose literal access token never expires.
export function authJson(account) {
  return JSON.stringify({
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: { id_token: '', access_token: account.access_token, refresh_token: account.refresh_token ?? '', account_id: account.id },
    last_refresh: new Date().toISOString(),
  });
}

export class Gateway {
  // accounts: [{ id, access_token, refresh_token, label }] imported into pool `team`;
  // plugins: loaded besides storage, strategies and route-codex (their routes in extraYaml).
  // upstreamYaml: more `upstream:` entries, flow style (e.g. "websocket_max_age: 1s");
  // billing: charge the wallets of linked keys (a charge journal in the gateway's folder);
  // alertsYaml: the `alerts:` entries, flow style (e.g. "interval: 1s").
  static async start({ emulator, accounts, strategy = 'round_robin', ringSize = 3, plugins = [], extraYaml = '', upstreamYaml = '', billing = false, alertsYaml = '' }) {
    const dir = tempDir('gateway');
    const secret = randomBytes(32).toString('base64');
    const config = join(dir, 'sluice.yaml');
    writeFileSync(config, `version: 1
server: { listen: "127.0.0.1:0", drain_timeout: 5s }
plugins: { paths: [${JSON.stringify(paths.plugins())}], load: [${['storage-sqlite', 'strategy-builtin', 'route-codex', ...plugins].join(', ')}] }
storage: { type: sqlite, config: { path: ${JSON.stringify(join(dir, 'sluice.db'))} } }
secrets: { key#env: SLUICE_SECRET_KEY }
upstream: { chatgpt_base_url: "${emulator.url}", auth_base_url: "${emulator.url}", read_timeout: 30s${upstreamYaml ? `, ${upstreamYaml}` : ''} }
logging: { level: debug, file: ${JSON.stringify(join(dir, 'gateway.log'))} }
strategies: { main: { type: ${strategy} } }
pools: { team: { strategy: main, ring_size: ${ringSize} } }
${billing ? `billing: { journal: ${JSON.stringify(join(dir, 'charges.journal'))}, apply_interval: 50ms }\n` : ''}${alertsYaml ? `alerts: { ${alertsYaml} }\n` : ''}routes:
  - family: codex_backend
${extraYaml}`);
    const gateway = new Gateway(dir, config, { ...process.env, SLUICE_SECRET_KEY: secret });
    for (const account of accounts) {
      const file = join(dir, `${account.id}.auth.json`);
      writeFileSync(file, authJson(account));
      gateway.cli(['account', 'import', '--pool', 'team', '--auth-json', file, '--label', account.label ?? account.id]);
      rmSync(file);
    }
    const lastLine = (result) => result.stdout.trim().split('\n').pop();
    gateway.key = lastLine(gateway.cli(['key', 'create', '--pool', 'team', '--name', 'e2e']));
    gateway.adminToken = lastLine(gateway.cli(['admin-token', 'create', '--name', 'e2e-admin']));
    gateway.mcpToken = lastLine(gateway.cli(['mcp-token', 'create', '--name', 'e2e-mcp']));
    await gateway.serve();
    return gateway;
  }

  constructor(dir, config, environment) {
    Object.assign(this, { dir, config, environment });
  }

  cli(args, { allowFailure = false } = {}) {
    const result = spawnSync(paths.sluice(), [...args, '--config', this.config], { env: this.environment, encoding: 'utf8' });
    if (result.status !== 0 && !allowFailure) {
      throw new Error(`sluice ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
    }
    return result;
  }

  async serve() {
    this.child = spawn(paths.sluice(), ['serve', '--config', this.config], { env: this.environment, stdio: ['ignore', 'pipe', 'pipe'] });
    this.output = collect(this.child);
    const [, address] = await waitFor(() => this.log(), /event=listening address=(\S+)/, 15_000, 'the gateway');
    this.url = `http://${address}`;
  }

  // One streamed turn on the Codex surface, read to its end; returns the status.
  async httpTurn() {
    const turn = await fetch(`${this.url}/backend-api/codex/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: [], stream: true }),
    });
    await turn.text();
    return turn.status;
  }

  log() {
    const file = join(this.dir, 'gateway.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  async metric(name) {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    let total = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(name)) total += Number(line.split(' ').pop());
    }
    return total;
  }

  requestLogRows() {
    const result = spawnSync('sqlite3', ['-json', join(this.dir, 'sluice.db'), 'SELECT * FROM request_logs'], { encoding: 'utf8' });
    return result.stdout.trim() ? JSON.parse(result.stdout) : [];
  }

  databaseBytes() {
    return readFileSync(join(this.dir, 'sluice.db'));
  }

  async stop() {
    if (this.child) await stopProcess(this.child);
    this.exitCode = this.child?.exitCode;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Runs `codex exec` (the real CLI from npm) against a Sluice base URL with a fresh CODEX_HOME.
// providerToml, when given, replaces the provider settings (e.g. what `sluice key create` printed).
export function runCodex({ baseUrl, key, prompt, model = 'gpt-5.5', args = [], providerToml }) {
  const home = tempDir('codex-home');
  const work = tempDir('codex-work');
  writeFileSync(join(home, 'config.toml'), `model = "${model}"
${providerToml ?? `model_provider = "sluice"
[model_providers.sluice]
name = "sluice"
base_url = "${baseUrl}"
env_key = "SLUICE_API_KEY"
wire_api = "responses"
stream_max_retries = 1
request_max_retries = 1
`}`);
  const result = spawnSync(join(paths.nodeModules(), '.bin', 'codex'),
    ['exec', '--skip-git-repo-check', '--disable', 'plugins', '-c', 'analytics.enabled=false',
      '--dangerously-bypass-approvals-and-sandbox', ...args, prompt],
    {
      cwd: work,
      encoding: 'utf8',
      input: '',
      timeout: 120_000,
      env: {
        ...process.env,
        CODEX_HOME: home,
        SLUICE_API_KEY: key,
        ...loopbackOnly,
      },
    });
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  return result;
}

// Runs `script` (shell blocks of a docs/clients page, with the gateway's address and key filled
// in) in bash, with the clients from npm first on PATH, a scratch HOME and working directory
// (`prepare({ home, work })` puts there what the page does), Claude Code's auto-updater off and
// any non-loopback address unreachable. Returns the spawn result and what the run left in `work`.
export function runPageShell(script, { prepare = () => {}, files = [] } = {}) {
  const home = tempDir('shell-home');
  const work = tempDir('shell-work');
  prepare({ home, work });
  const result = spawnSync('bash', ['-c', script], {
    cwd: work,
    encoding: 'utf8',
    input: '',
    timeout: 120_000,
    env: {
      PATH: `${join(paths.nodeModules(), '.bin')}:${process.env.PATH}`,
      HOME: home,
      DISABLE_AUTOUPDATER: '1',
      ...loopbackOnly,
    },
  });
  const left = Object.fromEntries(files.map((name) => {
    const file = join(work, name);
    return [name, existsSync(file) ? readFileSync(file, 'utf8') : null];
  }));
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  return { ...result, files: left };
}

// The code blocks of language `lang` in docs/clients/<page>, in order: the client pages' tests
// run these, so a page can never drift from what works.
export function clientPageSnippets(page, lang) {
  const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'clients', page), 'utf8');
  return [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(([, block]) => block);
}

// Runs `source` as an ES module with Node, placed beside the installed clients so its bare
// imports resolve to them, in a scratch working directory and HOME with any non-loopback
// address unreachable. `env` is added to PATH, HOME and the proxy settings. Returns the spawn
// result (asynchronously, so the test process keeps serving its own sockets meanwhile).
export async function runNodeSnippet(source, { env = {}, timeout = 120_000 } = {}) {
  const dir = mkdtempSync(join(paths.nodeModules(), '..', 'snippet-'));
  const home = tempDir('snippet-home');
  writeFileSync(join(dir, 'snippet.mjs'), source);
  const child = spawn(process.execPath, [join(dir, 'snippet.mjs')], {
    cwd: home,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: home,
      ...loopbackOnly,
      ...env,
    },
  });
  const output = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
  const [status, signal] = await new Promise((resolve) => child.once('exit', (...result) => resolve(result)));
  clearTimeout(timer);
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  return { status, signal, ...output };
}

// The error `call` raised, which must be an instance of `ErrorClass` (a client SDK's APIError).
// Polls `probe` every 100 ms until it gives a truthy value, which it returns; throws naming
// `what` after `ms`. For what the gateway does behind an answer (request-log rows, restarts).
export async function eventually(what, probe, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function raisedError(ErrorClass, call) {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof ErrorClass, `expected an ${ErrorClass.name}, got ${error}`);
    return error;
  }
  assert.fail('the call succeeded');
}
