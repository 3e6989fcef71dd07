// The real Claude Code (npm @anthropic-ai/claude-code, headless `claude -p`) through Sluice's
// Messages surface, with the C++ emulator as the upstream Codex backend: the shell blocks of
// docs/clients/claude-code.md, extracted from the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator, Gateway, clientPageSnippets, paths, runPageShell } from './lib/harness.mjs';

const accounts = [
  { id: 'acct-a', access_token: 'tok-a' },
  { id: 'acct-b', access_token: 'tok-b' },
  { id: 'acct-c', access_token: 'tok-c' },
];

async function withPool(behaviour, body) {
  const emulator = await Emulator.start(`accounts:\n${accounts.map((a) =>
    `  - { id: ${a.id}, access_token: ${a.access_token}, behaviour: ${behaviour} }`).join('\n')}\n`);
  const gateway = await Gateway.start({
    emulator,
    accounts,
    plugins: ['route-openai', 'route-anthropic'],
    // With the ranks an operator installs, so Claude Code's count_tokens calls are answered.
    extraYaml: '  - family: openai_v1\n'
      + `  - { family: anthropic_messages, config: { o200k_ranks_path: '${paths.o200kRanks()}' } }\n`,
  });
  try {
    await body({ emulator, gateway });
  } finally {
    await gateway.stop();
    await emulator.stop();
  }
}

// The page's environment block followed by its block number `index`, for this gateway.
function pageScript(gateway, index) {
  const blocks = clientPageSnippets('claude-code.md', 'sh');
  assert.equal(blocks.length, 3);
  return `${blocks[0]}${blocks[index]}`.replaceAll('http://127.0.0.1:4000', gateway.url).replace('sk-sluice-...', gateway.key);
}

const modelTurns = (requests) => requests.filter((r) => r.path === '/backend-api/codex/responses' && r.method === 'POST');

test('claude -p answers a prompt with the pool\'s text', async () => {
  await withPool('{ mode: normal, text: "Answer from the pool for Claude Code." }', async ({ emulator, gateway }) => {
    const result = runPageShell(pageScript(gateway, 1));
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.equal(result.stdout.trim(), 'Answer from the pool for Claude Code.');
    const turns = modelTurns(await emulator.requests());
    assert.ok(turns.length >= 1);
    // Claude Code asks for output_config.effort "medium": the upstream gets that effort.
    assert.equal(turns.at(-1).reasoning_effort, 'medium');
  });
});

test('claude -p runs its Bash tool and sends the result back on the same account', async () => {
  const behaviour = '{ mode: tool_call, tool: Bash, tool_argument: command, command: "echo sluice-bash-ran > proof.txt", text: "Bash finished." }';
  await withPool(behaviour, async ({ emulator, gateway }) => {
    const result = runPageShell(pageScript(gateway, 2), { files: ['proof.txt'] });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.equal(result.files['proof.txt'], 'sluice-bash-ran\n', 'Claude Code ran the command');
    assert.equal(result.stdout.trim(), 'Bash finished.');
    const turns = modelTurns(await emulator.requests());
    const followUp = turns.findIndex((turn) => turn.has_function_call_output);
    assert.ok(followUp > 0, 'a turn carried the tool result');
    assert.ok(turns.every((turn) => turn.account_id === turns[0].account_id), 'the conversation stayed on one account');
  });
});
