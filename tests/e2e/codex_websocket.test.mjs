// The real Codex CLI (npm @openai/codex, its app-server) on the Responses websocket through
// Sluice (a custom provider with supports_websockets = true): one client socket carries three
// turns while the gateway replaces the upstream socket under it, before the emulator's age cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppServer } from './lib/app_server.mjs';
import { Emulator, Gateway, tempDir } from './lib/harness.mjs';

const accounts = [
  { id: 'acct-a', access_token: 'tok-a' },
  { id: 'acct-b', access_token: 'tok-b' },
];
// Upstream sockets end after 2.5 s; the gateway replaces them after 1 s.
const emulatorScript = `server: { websocket_max_age: 2500ms }
accounts:
  - id: acct-a
    access_token: tok-a
    websocket: accept
    behaviour: { mode: normal, text: "Answer over the socket." }
    rate_limits: { primary: { used_percent: 30, window_minutes: 300, reset_in: 2h }, stream_event: true }
  - id: acct-b
    access_token: tok-b
    websocket: accept
    behaviour: { mode: normal, text: "Answer over the socket." }
    rate_limits: { primary: { used_percent: 85, window_minutes: 300, reset_in: 1h }, stream_event: true }
`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('three turns on one websocket while the upstream socket is replaced under it', async () => {
  const emulator = await Emulator.start(emulatorScript);
  const gateway = await Gateway.start({ emulator, accounts, upstreamYaml: 'websocket_max_age: 1s' });
  const home = tempDir('codex-home');
  const work = tempDir('codex-work');
  let server;
  try {
    // One HTTP turn on each account: the gateway learns both accounts' windows.
    for (let i = 0; i < accounts.length; i++) {
      assert.equal(await gateway.httpTurn(), 200);
    }
    writeFileSync(join(home, 'config.toml'), `model = "gpt-5.5"
model_provider = "sluice"
[model_providers.sluice]
name = "sluice"
base_url = "${gateway.url}/backend-api/codex"
env_key = "SLUICE_API_KEY"
wire_api = "responses"
supports_websockets = true
stream_max_retries = 1
request_max_retries = 1
`);
    server = new AppServer(home, { SLUICE_API_KEY: gateway.key });
    await server.initialize();
    const started = await server.call('thread/start', { cwd: work, approvalPolicy: 'never', sandbox: 'read-only' });
    assert.ok(started.result, `${JSON.stringify(started)}\n${server.stderr}`);
    const threadId = started.result.thread.id;
    for (let i = 0; i < 3; i++) {
      const turn = await server.call('turn/start', { threadId, input: [{ type: 'text', text: `turn ${i}` }] });
      assert.ok(turn.result, `${JSON.stringify(turn)}\n${server.stderr}`);
      const done = await server.notification('turn/completed', (params) => params.turn.id === turn.result.turn.id);
      assert.equal(done.params.turn.status, 'completed', `${JSON.stringify(done.params)}\n${server.stderr}`);
      const answer = await server.notification('item/completed',
        (params) => params.item?.type === 'agentMessage' && params.turnId === turn.result.turn.id);
      assert.equal(answer.params.item.text, 'Answer over the socket.');
      await sleep(1500);
    }
    const requests = await emulator.requests();
    const upgrades = requests.filter((r) => r.transport === 'websocket' && r.status === 101);
    assert.ok(upgrades.length >= 3, `the upstream socket was replaced: ${upgrades.length} upgrades`);
    assert.equal(new Set(upgrades.map((r) => r.account_id)).size, 1, 'every replacement on the same account');
    const frames = requests.filter((r) => r.method === 'WS');
    assert.ok(frames.every((r) => r.status === 200), JSON.stringify(frames.map((r) => r.outcome)));
    assert.ok(!server.stderr.includes('websocket_connection_limit_reached'), server.stderr);
    // The CLI's view of its quota came from the gateway: the pool's share, (30 + 85) / 2.
    const limits = server.notifications.filter((n) => n.method === 'account/rateLimits/updated');
    assert.ok(limits.length > 0, `the CLI read rate limits from the answers: ${JSON.stringify(server.notifications.map((n) => n.method))}`);
    assert.equal(limits.at(-1).params.rateLimits.primary.usedPercent, 58, JSON.stringify(limits.at(-1)));
    server.stop();
    server = undefined;
    await sleep(1000);  // the request log is written when the socket ends
    const sockets = gateway.requestLogRows().filter((row) => row.route === 'codex.responses_websocket');
    assert.equal(sockets.length, 1, 'the client kept its one socket');
  } finally {
    server?.stop();
    await gateway.stop();
    await emulator.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});
