// The real Codex CLI (npm @openai/codex) as a plain OpenAI Responses client: a custom model
// provider whose base_url is Sluice's /v1 surface, with a Pool API key in its env_key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator, Gateway, eventually, runCodex } from './lib/harness.mjs';

const accounts = [
  { id: 'acct-a', access_token: 'tok-a' },
  { id: 'acct-b', access_token: 'tok-b' },
];

test('codex exec completes a turn through /v1 (wire_api responses)', async () => {
  const emulator = await Emulator.start(`accounts:\n${accounts.map((a) =>
    `  - { id: ${a.id}, access_token: ${a.access_token}, behaviour: { mode: normal, text: "Answer through v1." } }`).join('\n')}\n`);
  const gateway = await Gateway.start({
    emulator, accounts, plugins: ['route-openai'], extraYaml: '  - { family: openai_v1 }\n',
  });
  try {
    const result = runCodex({ baseUrl: `${gateway.url}/v1`, key: gateway.key, prompt: 'say hello' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'Answer through v1.');
    const turns = (await emulator.requests()).filter((r) => r.method === 'POST' && r.path === '/backend-api/codex/responses');
    assert.equal(turns.length, 1, 'one model request reached the upstream');
    assert.equal(turns[0].stream, true);
    // The request log is written behind the answer.
    await eventually('the turn\'s row on /v1', () =>
      gateway.requestLogRows().some((row) => row.route === 'openai.responses'));
  } finally {
    await gateway.stop();
    await emulator.stop();
  }
});
