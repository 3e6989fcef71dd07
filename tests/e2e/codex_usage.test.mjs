// The real Codex app-server (npm @openai/codex) reads its rate limits from Sluice: ChatGPT-login
// mode with chatgpt_base_url pointing at the gateway and the Pool API key as its access token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppServer } from './lib/app_server.mjs';
import { Emulator, Gateway, tempDir } from './lib/harness.mjs';

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

test('account/rateLimits/read reports the pool\'s share through Sluice', async () => {
  const emulator = await Emulator.start(emulatorScript);
  const gateway = await Gateway.start({ emulator, accounts, plugins: ['route-backend'], extraYaml: '  - family: backend_api\n' });
  const home = tempDir('codex-home');
  let server;
  try {
    // One turn on each account gives the gateway quota evidence from the answers' headers.
    for (let i = 0; i < accounts.length; i++) {
      assert.equal(await gateway.httpTurn(), 200);
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
    await server.initialize();
    const read = await server.call('account/rateLimits/read');
    assert.ok(read.result, `${JSON.stringify(read)}\n${server.stderr}`);
    const limits = read.result.rateLimits;
    // The pool's share, not one account's numbers: alpha's 30% and bravo's 85% of their 5 h
    // windows make 57.5% (read back as 58), their 10% and 50% of the week 30%.
    assert.equal(limits.primary.usedPercent, 58, JSON.stringify(read.result));
    assert.equal(limits.primary.windowDurationMins, 300);
    assert.equal(limits.secondary.usedPercent, 30);
    assert.equal(limits.secondary.windowDurationMins, 10080);
  } finally {
    server?.stop();
    await gateway.stop();
    await emulator.stop();
    rmSync(home, { recursive: true, force: true });
  }
});
