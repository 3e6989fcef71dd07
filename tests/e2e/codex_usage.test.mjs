// The real Codex app-server (npm @openai/codex) reads its rate limits from Sluice: ChatGPT-login
// mode with chatgpt_base_url pointing at the gateway and the Pool API key as its access token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emulator, Gateway, paths, tempDir } from './lib/harness.mjs';

const accounts = [
  { id: 'acct-a', access_token: 'tok-a', label: 'alpha' },
  { id: 'acct-b', access_token: 'tok-b', label: 'bravo' },
];
const emulatorScript = `accounts:
  - id: acct-a
    access_token: tok-a
    rate_limits:
      primary: { used_percent: 30, window_minutes: 300, reset_in: 2h }
      secondary: { used_percent: 10, window_minutes: 10080, reset_in: 5d }
  - id: acct-b
    access_token: tok-b
    rate_limits:
      primary: { used_percent: 85, window_minutes: 300, reset_in: 1h }
      secondary: { used_percent: 50, window_minutes: 10080, reset_in: 2d }
`;

// An unsigned JWT: the CLI reads id_token claims without verifying them.
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const fakeJwt = (claims) => `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.c2lnbmF0dXJl`;

// A line-oriented JSON-RPC session with `codex app-server` (no "jsonrpc" field, §9.2).
class AppServer {
  constructor(home) {
    this.child = spawn(join(paths.nodeModules(), '.bin', 'codex'), ['app-server'], {
      env: {
        ...process.env,
        CODEX_HOME: home,
        CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'http://127.0.0.1:9/oauth/token',
        HTTPS_PROXY: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
        NO_PROXY: '127.0.0.1,localhost',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.pending = new Map();
    this.stderr = '';
    this.child.stderr.on('data', (chunk) => { this.stderr += chunk; });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const message = JSON.parse(line);
      if (message.id !== undefined && this.pending.has(message.id)) {
        this.pending.get(message.id)(message);
        this.pending.delete(message.id);
      }
    });
    this.nextId = 1;
  }

  call(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out:\n${this.stderr}`)), 30_000);
      this.pending.set(id, (message) => { clearTimeout(timer); resolve(message); });
      this.child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  notify(method) {
    this.child.stdin.write(`${JSON.stringify({ method })}\n`);
  }

  stop() {
    this.child.kill('SIGTERM');
  }
}

test('account/rateLimits/read reports the pool through Sluice', async () => {
  const emulator = await Emulator.start(emulatorScript);
  const gateway = await Gateway.start({ emulator, accounts, plugins: ['route-backend'], extraYaml: '  - family: backend_api\n' });
  const home = tempDir('codex-home');
  let server;
  try {
    // One turn on each account gives the gateway quota evidence from the answers' headers.
    for (let i = 0; i < accounts.length; i++) {
      const turn = await fetch(`${gateway.url}/backend-api/codex/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5.5', input: [], stream: true }),
      });
      assert.equal(turn.status, 200);
      await turn.text();
    }
    writeFileSync(join(home, 'config.toml'), `chatgpt_base_url = "${gateway.url}/backend-api/"\n`);
    writeFileSync(join(home, 'auth.json'), JSON.stringify({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: fakeJwt({
          email: 'ops@example.com',
          'https://api.openai.com/auth': { chatgpt_plan_type: 'pro', chatgpt_user_id: 'user-ops', chatgpt_account_id: 'team' },
        }),
        access_token: gateway.key,
        refresh_token: 'rt-unused',
        account_id: 'team',
      },
      last_refresh: new Date().toISOString(),
    }));

    server = new AppServer(home);
    const init = await server.call('initialize', { clientInfo: { name: 'sluice-e2e', title: 'Sluice e2e', version: '0.0.1' } });
    assert.ok(init.result, JSON.stringify(init));
    server.notify('initialized');
    const read = await server.call('account/rateLimits/read');
    assert.ok(read.result, `${JSON.stringify(read)}\n${server.stderr}`);
    const limits = read.result.rateLimits;
    // The pool reports its most available account: alpha.
    assert.equal(limits.primary.usedPercent, 30, JSON.stringify(read.result));
    assert.equal(limits.primary.windowDurationMins, 300);
    assert.equal(limits.secondary.usedPercent, 10);
  } finally {
    server?.stop();
    await gateway.stop();
    await emulator.stop();
    rmSync(home, { recursive: true, force: true });
  }
});
