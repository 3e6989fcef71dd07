// Pi (npm @mariozechner/pi-coding-agent) headless through Sluice's /v1 surface: the models.json
// and the shell block of docs/clients/pi.md, run as the page shows them, with the emulator as
// the upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emulator, Gateway, clientPageSnippets, eventually, runPageShell } from './lib/harness.mjs';

const accounts = [
  { id: 'acct-a', access_token: 'tok-a' },
  { id: 'acct-b', access_token: 'tok-b' },
];
const answer = 'Answer from the pool.';

test('pi -p with the models.json of docs/clients/pi.md prints the pool answer', async () => {
  const [modelsJson] = clientPageSnippets('pi.md', 'json');
  const [shell] = clientPageSnippets('pi.md', 'sh');
  const emulator = await Emulator.start(`accounts:\n${accounts.map((a) =>
    `  - { id: ${a.id}, access_token: ${a.access_token}, behaviour: { mode: normal, text: "${answer}" } }`).join('\n')}\n`);
  const gateway = await Gateway.start({ emulator, accounts, plugins: ['route-openai'], extraYaml: '  - { family: openai_v1 }\n' });
  try {
    const script = shell.replace('sk-sluice-...', gateway.key);
    assert.notEqual(script, shell, 'the page shows where the key goes');
    const result = runPageShell(script, {
      prepare: ({ home }) => {
        const config = join(home, '.pi', 'agent');
        mkdirSync(config, { recursive: true });
        writeFileSync(join(config, 'models.json'), modelsJson.replaceAll('http://127.0.0.1:4000', gateway.url));
      },
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.equal(result.stdout.trim(), answer);
    const turns = (await emulator.requests()).filter((r) => r.method === 'POST' && r.path === '/backend-api/codex/responses');
    assert.equal(turns.length, 1, 'one model request reached the upstream');
    // The request log is written behind the answer.
    await eventually('the turn\'s row on /v1/responses', () =>
      gateway.requestLogRows().some((row) => row.route === 'openai.responses' && row.status === 200));
  } finally {
    await gateway.stop();
    await emulator.stop();
  }
});
