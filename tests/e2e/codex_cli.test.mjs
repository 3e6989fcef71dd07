// The real Codex CLI (npm @openai/codex) through Sluice, with the C++ emulator as upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emulator, Gateway, clientPageSnippets, eventually, runCodex, runPageShell } from './lib/harness.mjs';

const accounts = [
  { id: 'acct-a', access_token: 'tok-a', label: 'alpha' },
  { id: 'acct-b', access_token: 'tok-b', label: 'bravo' },
  { id: 'acct-c', access_token: 'tok-c', label: 'charlie' },
];

function script(behaviours) {
  return `accounts:\n${accounts.map((a) =>
    `  - { id: ${a.id}, access_token: ${a.access_token}, behaviour: ${behaviours[a.id] ?? '{ mode: normal, text: "Answer from the pool." }'} }`).join('\n')}\n`;
}

async function withPool(behaviours, body) {
  const emulator = await Emulator.start(script(behaviours));
  const gateway = await Gateway.start({ emulator, accounts });
  try {
    await body({ emulator, gateway, baseUrl: `${gateway.url}/backend-api/codex` });
  } finally {
    await gateway.stop();
    await emulator.stop();
  }
}

const modelRequests = (requests) => requests.filter((r) => r.path === '/backend-api/codex/responses' && r.method === 'POST');

test('the config.toml and the commands of docs/clients/codex-cli.md work as the page shows them', async () => {
  const [configToml] = clientPageSnippets('codex-cli.md', 'toml');
  const [shell] = clientPageSnippets('codex-cli.md', 'sh');
  await withPool({}, async ({ gateway }) => {
    const result = runPageShell(shell.replace('sk-sluice-...', gateway.key), {
      prepare: ({ home, work }) => {
        mkdirSync(join(home, '.codex'));
        writeFileSync(join(home, '.codex', 'config.toml'), configToml.replaceAll('http://127.0.0.1:4000', gateway.url));
        spawnSync('git', ['init', '-q', work]);  // the page runs codex in a repository
      },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'Answer from the pool.');
  });
});

test('the Codex config `sluice key create` prints works as printed', async () => {
  await withPool({}, async ({ gateway }) => {
    const created = JSON.parse(gateway.cli(['key', 'create', '--pool', 'team', '--name', 'snippet', '--json',
      '--gateway-url', gateway.url]).stdout);
    // The running gateway learns of keys the CLI creates within two seconds.
    const models = `${gateway.url}/backend-api/codex/models?client_version=0.169.0`;
    const deadline = Date.now() + 10_000;
    while ((await fetch(models, { headers: { authorization: `Bearer ${created.key}` } })).status === 401) {
      assert.ok(Date.now() < deadline, 'the new key was not accepted within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = runCodex({ key: created.key, prompt: 'say hello', providerToml: created.client.codex_config_toml });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'Answer from the pool.');
  });
});

test('a tool-call turn runs the command and its follow-up lands on the same account', async () => {
  const toolCall = '{ mode: tool_call, command: "echo sluice-tool-ran", text: "Tool finished." }';
  await withPool({ 'acct-a': toolCall, 'acct-b': toolCall, 'acct-c': toolCall }, async ({ emulator, gateway, baseUrl }) => {
    const result = runCodex({ baseUrl, key: gateway.key, prompt: 'run the tool', args: ['--json'] });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /sluice-tool-ran/, 'the CLI ran the command');
    assert.match(result.stdout, /Tool finished\./);
    const turns = modelRequests(await emulator.requests());
    assert.equal(turns.length, 2, 'one request for the call, one follow-up with its output');
    assert.equal(turns[1].has_function_call_output, true);
    assert.equal(turns[0].account_id, turns[1].account_id, 'the follow-up stayed on the account');
  });
});

test('a usage-limited account gets no traffic until its reset and every turn succeeds', async () => {
  await withPool({ 'acct-b': '{ mode: usage_limit, resets_in: 1h }' }, async ({ emulator, gateway, baseUrl }) => {
    for (let i = 0; i < 5; i++) {
      const result = runCodex({ baseUrl, key: gateway.key, prompt: `turn ${i}` });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), 'Answer from the pool.');
    }
    const limited = modelRequests(await emulator.requests()).filter((r) => r.account_id === 'acct-b');
    assert.ok(limited.length <= 1, `acct-b got ${limited.length} requests after its usage limit`);
    assert.equal(await gateway.metric('sluice_dispatch_failovers_total{reason="usage_limit"}'), limited.length);
  });
});

test('neither tokens, prompts nor completions reach the gateway log or the request log', async () => {
  await withPool({ 'acct-a': '{ mode: normal, text: "COMPLETION-SECRET" }', 'acct-b': '{ mode: normal, text: "COMPLETION-SECRET" }', 'acct-c': '{ mode: normal, text: "COMPLETION-SECRET" }' },
    async ({ gateway, baseUrl }) => {
      const result = runCodex({ baseUrl, key: gateway.key, prompt: 'PROMPT-SECRET please' });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), 'COMPLETION-SECRET');
      // The request log is written behind the answer.
      const rows = await eventually('the turn\'s request-log row', () => {
        const logged = gateway.requestLogRows();
        return logged.some((row) => row.route === 'codex.responses') && logged;
      });
      const haystack = gateway.log() + JSON.stringify(rows) + gateway.databaseBytes().toString('latin1');
      for (const secret of ['PROMPT-SECRET', 'COMPLETION-SECRET', 'tok-a', 'tok-b', 'tok-c', gateway.key]) {
        assert.equal(haystack.includes(secret), false, `${secret} leaked`);
      }
    });
});
