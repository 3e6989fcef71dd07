// The Codex SDK (npm @openai/codex-sdk) through Sluice: the runStreamed snippet of
// docs/clients/codex-sdk.md, run verbatim (only the gateway's address changed) with the emulator
// as the upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator, Gateway, clientPageSnippets, eventually, runNodeSnippet } from './lib/harness.mjs';

const accounts = [
  { id: 'acct-a', access_token: 'tok-a' },
  { id: 'acct-b', access_token: 'tok-b' },
];
const answer = 'Answer from the pool.';

test('the runStreamed snippet of docs/clients/codex-sdk.md prints the pool answer', async () => {
  const [snippet] = clientPageSnippets('codex-sdk.md', 'js');
  assert.match(snippet, /runStreamed/);
  const emulator = await Emulator.start(`accounts:\n${accounts.map((a) =>
    `  - { id: ${a.id}, access_token: ${a.access_token}, behaviour: { mode: normal, text: "${answer}" } }`).join('\n')}\n`);
  const gateway = await Gateway.start({ emulator, accounts });
  try {
    const result = await runNodeSnippet(snippet.replaceAll('http://127.0.0.1:4000', gateway.url),
      { env: { SLUICE_API_KEY: gateway.key } });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), answer);
    assert.match(result.stderr, /usage \{[^}]*input_tokens: [1-9]/);
    const turns = (await emulator.requests()).filter((r) => r.method === 'POST' && r.path === '/backend-api/codex/responses');
    assert.equal(turns.length, 1, 'one model request reached the upstream');
    assert.equal(turns[0].stream, true);
    // The request log is written behind the answer.
    await eventually('the turn\'s row on the Codex surface', () =>
      gateway.requestLogRows().some((row) => row.route === 'codex.responses' && row.status === 200));
  } finally {
    await gateway.stop();
    await emulator.stop();
  }
});
