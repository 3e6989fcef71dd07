// The real Anthropic SDK (npm `@anthropic-ai/sdk`) against Sluice's Messages surface, with the
// C++ emulator as the upstream: plain and streamed messages, a client tool round trip that stays
// on one account, count_tokens, and the SDK's typed errors for a bad key and a refused policy.
// The snippets of docs/clients/anthropic-sdk.md run here too, extracted from the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Emulator, Gateway, clientPageSnippets, eventually, o200kTokens, paths, raisedError, runNodeSnippet } from './lib/harness.mjs';

const sdk = await import(pathToFileURL(join(paths.nodeModules(), '@anthropic-ai', 'sdk', 'index.mjs')).href);
const Anthropic = sdk.default;

const accounts = [
  { id: 'acct-a', access_token: 'tok-a' },
  { id: 'acct-b', access_token: 'tok-b' },
];
const answer = 'Answer from the pool for Claude.';
const normal = { mode: 'normal', text: answer, deltas: 4 };
const model = 'claude-sonnet-4-5';

let emulator;
let gateway;
let client;

before(async () => {
  emulator = await Emulator.start(`accounts:\n${accounts.map((a) =>
    `  - { id: ${a.id}, access_token: ${a.access_token}, behaviour: ${JSON.stringify(normal)} }`).join('\n')}\n`);
  gateway = await Gateway.start({
    emulator,
    accounts,
    plugins: ['route-openai', 'route-anthropic'],
    extraYaml: '  - family: openai_v1\n  - { family: anthropic_messages, config: { max_response_bytes: 64KiB, '
      + `o200k_ranks_path: '${paths.o200kRanks()}', models: [{ prefix: claude-haiku, model: gpt-5.4-mini }] } }\n`,
  });
  client = new Anthropic({ apiKey: gateway.key, baseURL: gateway.url, maxRetries: 0, timeout: 30_000 });
});

after(async () => {
  await gateway?.stop();
  await emulator?.stop();
});

// Every account answers `behaviour` while `body` runs.
const withBehaviour = (behaviour, body) => emulator.withBehaviour(accounts.map((a) => a.id), behaviour, normal, body);

const sdkError = (call) => raisedError(Anthropic.APIError, call);

const modelTurns = async () => (await emulator.requests())
  .filter((r) => r.method === 'POST' && r.path === '/backend-api/codex/responses');

test('messages.create answers with the model the client named and Anthropic usage', async () => {
  const message = await client.messages.create({
    model,
    max_tokens: 256,
    system: [{ type: 'text', text: 'Be brief.' }],
    messages: [{ role: 'user', content: 'hello' }],
  });
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.model, model);
  assert.deepEqual(message.content, [{ type: 'text', text: answer }]);
  assert.equal(message.stop_reason, 'end_turn');
  // The emulator reports 1200 input tokens of which 1000 cached, and 20 output tokens.
  assert.equal(message.usage.input_tokens, 200);
  assert.equal(message.usage.cache_read_input_tokens, 1000);
  assert.equal(message.usage.output_tokens, 20);
  const turns = await modelTurns();
  assert.equal(turns.at(-1).model, 'gpt-5.5', 'unmapped Claude ids run on default_model');
});

test('the operator map sends a Claude id to its pool model; a thinking budget becomes an effort', async () => {
  const message = await client.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 32000,
    thinking: { type: 'enabled', budget_tokens: 20000 },
    messages: [{ role: 'user', content: 'hi' }],
  });
  assert.equal(message.model, 'claude-haiku-4-5');
  const turn = (await modelTurns()).at(-1);
  assert.equal(turn.model, 'gpt-5.4-mini');
  assert.equal(turn.reasoning_effort, 'high');
});

test('messages.stream delivers text events, the final message and usage', async () => {
  const stream = client.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'stream please' }] });
  const events = [];
  let text = '';
  stream.on('streamEvent', (event) => events.push(event.type));
  stream.on('text', (delta) => { text += delta; });
  const message = await stream.finalMessage();
  assert.equal(text, answer);
  assert.equal(message.content[0].text, answer);
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.usage.output_tokens, 20);
  assert.equal(events[0], 'message_start');
  assert.ok(events.includes('content_block_start') && events.includes('content_block_delta'));
  assert.deepEqual(events.slice(-2), ['message_delta', 'message_stop']);
});

test('the snippets of docs/clients/anthropic-sdk.md run as the page shows them', async () => {
  const [setup, create, stream, tool, count] = clientPageSnippets('anthropic-sdk.md', 'js')
    .map((block) => block.replaceAll('http://127.0.0.1:4000', gateway.url));
  const run = async (blocks, observe) => {
    const result = await runNodeSnippet(`${blocks.join('\n')}\nconsole.log('\\n' + JSON.stringify(${observe}));\n`,
      { env: { SLUICE_API_KEY: gateway.key } });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    return { printed: lines.slice(0, -1).join('\n'), seen: JSON.parse(lines.at(-1)) };
  };

  const plain = await run([setup, create, stream, count], '{ final: final.content[0].text, input_tokens }');
  assert.match(plain.printed, new RegExp(`^${answer} \\{[^]*input_tokens: [1-9][^]*\\}\\n${answer}$`));
  assert.equal(plain.seen.final, answer);
  assert.ok(plain.seen.input_tokens > 0);

  const toolCall = { mode: 'tool_call', tool: 'get_weather', tool_argument: 'city', command: 'Paris', text: 'Sunny in Paris.' };
  const round = await withBehaviour(toolCall, () => run([setup, tool],
    '{ stop: first.stop_reason, name: call.name, input: call.input, answer: second.content[0].text }'));
  assert.deepEqual(round.seen, { stop: 'tool_use', name: 'get_weather', input: { city: 'Paris' }, answer: 'Sunny in Paris.' });
});

test('a client tool round trip: tool_use, then the tool_result lands on the same account', async () => {
  const tools = [{
    name: 'get_weather',
    description: 'Weather for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  }];
  const before = (await modelTurns()).length;
  await withBehaviour({ mode: 'tool_call', tool: 'get_weather', tool_argument: 'city', command: 'Paris', text: 'Sunny in Paris.' }, async () => {
    const question = { role: 'user', content: 'Weather in Paris?' };
    const stream = client.messages.stream({ model, max_tokens: 256, tools, messages: [question] });
    let json = '';
    stream.on('inputJson', (partial) => { json += partial; });
    const first = await stream.finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    const call = first.content.find((block) => block.type === 'tool_use');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.input, { city: 'Paris' });
    assert.deepEqual(JSON.parse(json), { city: 'Paris' });

    const second = await client.messages.create({
      model,
      max_tokens: 256,
      tools,
      messages: [question, { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '22 degrees, sunny' }] }],
    });
    assert.equal(second.stop_reason, 'end_turn');
    assert.equal(second.content[0].text, 'Sunny in Paris.');
  });
  const turns = (await modelTurns()).slice(before);
  assert.equal(turns.length, 2);
  assert.equal(turns[1].last_input_type, 'function_call_output');
  assert.equal(turns[0].account_id, turns[1].account_id, 'the conversation stayed on its account');
});

test('countTokens answers locally, counting the text exactly as o200k_base does', async () => {
  const before = (await modelTurns()).length;
  const short = 'The quick brown fox jumps over the lazy dog.';
  const long = 'Ünïcödé, code `x += 1;` and 12345 numbers —    spaced\n\n'.repeat(40);
  const count = async (text) => (await client.messages.countTokens({ model, messages: [{ role: 'user', content: text }] })).input_tokens;
  const counted = await count(short);
  assert.equal(typeof counted, 'number');
  // The same framing around both texts: the difference is the texts' own tokens, exactly.
  assert.equal(await count(long) - counted, o200kTokens(long) - o200kTokens(short));
  assert.ok(counted > o200kTokens(short), 'the message framing counts too');
  assert.equal((await modelTurns()).length, before);
});

test('the Pool key also works as Authorization: Bearer (ANTHROPIC_AUTH_TOKEN)', async () => {
  const bearer = new Anthropic({ apiKey: null, authToken: gateway.key, baseURL: gateway.url, maxRetries: 0 });
  const message = await bearer.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'bearer' }] });
  assert.equal(message.content[0].text, answer);
});

test('a bad key is a typed 401 authentication_error', async () => {
  const stranger = new Anthropic({ apiKey: 'sk-sluice-not-a-key', baseURL: gateway.url, maxRetries: 0 });
  const error = await sdkError(() => stranger.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
  assert.ok(error instanceof Anthropic.AuthenticationError);
  assert.equal(error.status, 401);
  assert.equal(error.type, 'authentication_error');
});

test('a bad request and an unknown Messages path are typed errors', async () => {
  const bad = await sdkError(() => client.messages.create({ model, messages: [{ role: 'user', content: 'hi' }] }));
  assert.ok(bad instanceof Anthropic.BadRequestError);
  assert.equal(bad.type, 'invalid_request_error');
  assert.match(bad.message, /max_tokens/);
  const batches = await sdkError(() => client.messages.batches.list());
  assert.ok(batches instanceof Anthropic.NotFoundError);
  assert.equal(batches.type, 'not_found_error');
});

test('a refused policy is a typed 429 rate_limit_error with retry-after', async () => {
  const created = JSON.parse(gateway.cli(['key', 'create', '--pool', 'team', '--name', 'limited', '--json']).stdout);
  gateway.cli(['key', 'policy', created.prefix, '--set', '{"requests_per_minute":1}']);
  const limited = new Anthropic({ apiKey: created.key, baseURL: gateway.url, maxRetries: 0 });
  const request = { model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
  // The gateway refreshes its key directory behind, and a refresh may fall between the two CLI
  // calls: the key can be served before its policy applies. So turns are sent until one is
  // refused; with the policy in force, the second at the latest is.
  let error;
  for (let tries = 0; !error; tries++) {
    assert.ok(tries < 150, 'the policy never refused a turn');
    try {
      await limited.messages.create(request);
    } catch (raised) {
      if (!(raised instanceof Anthropic.AuthenticationError)) error = raised;
    }
    if (!error) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.ok(error instanceof Anthropic.RateLimitError, `expected a RateLimitError, got ${error}`);
  assert.equal(error.status, 429);
  assert.equal(error.type, 'rate_limit_error');
  assert.ok(Number(error.headers.get('retry-after')) > 0, 'retry-after is set');
});

test('a stream cut after output ends with an error event, never message_stop', async () => {
  await withBehaviour({ mode: 'cut', cut_after: 6, text: answer, deltas: 4 }, async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': gateway.key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'cut me' }] }),
    });
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /event: content_block_delta/);
    assert.match(text, /event: error\ndata: \{"error":\{"message":"[^"]*","type":"api_error"\},"type":"error"\}/);
    assert.doesNotMatch(text, /message_stop/);
  });
});

test('a non-streamed answer above max_response_bytes is a typed api_error; a stream is not bounded', async () => {
  const large = 'x'.repeat(200_000);
  await withBehaviour({ mode: 'normal', text: large, deltas: 8 }, async () => {
    const error = await sdkError(() => client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'large' }] }));
    assert.ok(error instanceof Anthropic.InternalServerError);
    assert.equal(error.type, 'api_error');
    assert.match(error.message, /upstream_answer_too_large/);
    const streamed = await client.messages.stream({ model, max_tokens: 16, messages: [{ role: 'user', content: 'large' }] }).finalMessage();
    assert.equal(streamed.content[0].text, large);
  });
});

test('a turn is logged as anthropic.messages with no prompt or completion in any log', async () => {
  const secretAnswer = 'COMPLETION-SECRET for Claude';
  await withBehaviour({ mode: 'normal', text: secretAnswer, deltas: 2 }, async () => {
    const message = await client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'PROMPT-SECRET please' }] });
    assert.equal(message.content[0].text, secretAnswer);
  });
  // The request log is written behind the answer.
  const rows = await eventually('the turn\'s request-log row', () => {
    const logged = gateway.requestLogRows();
    return logged.some((row) => row.route === 'anthropic.messages') && logged;
  });
  const haystack = gateway.log() + JSON.stringify(rows) + gateway.databaseBytes().toString('latin1');
  for (const secret of ['PROMPT-SECRET', 'COMPLETION-SECRET', 'tok-a', 'tok-b', gateway.key]) {
    assert.equal(haystack.includes(secret), false, `${secret} leaked`);
  }
});

// Last: the limited account stays out until its reset.
test('a usage-limited account fails over before the first byte', async () => {
  await emulator.setBehaviour('acct-a', { mode: 'usage_limit' });
  await emulator.setBehaviour('acct-b', normal);
  const before = (await modelTurns()).length;
  for (let i = 0; i < 2; i++) {
    const stream = client.messages.stream({ model, max_tokens: 16, messages: [{ role: 'user', content: `failover ${i}` }] });
    assert.equal((await stream.finalMessage()).content[0].text, answer);
  }
  const turns = (await modelTurns()).slice(before);
  assert.ok(turns.some((turn) => turn.account_id === 'acct-a' && turn.outcome === 'usage_limit'), 'acct-a was tried');
  assert.equal(turns.filter((turn) => turn.account_id === 'acct-b').length, 2);
});

test('upstream failures on every account are typed errors without the upstream\'s words, a limited pool a 429 with retry-after', async () => {
  // acct-a is still out after its usage limit (previous test): acct-b answers alone.
  await emulator.setBehaviour('acct-b', { mode: 'error', status: 500, error_message: 'SECRET-UPSTREAM-WORDS' });
  const failed = await sdkError(() => client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'fail' }] }));
  assert.equal(failed.status, 500);
  assert.equal(failed.type, 'api_error');
  assert.doesNotMatch(failed.message, /SECRET/);

  await emulator.setBehaviour('acct-b', { mode: 'usage_limit' });
  for (const content of ['limited', 'exhausted']) {
    const limited = await sdkError(() => client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content }] }));
    assert.ok(limited instanceof Anthropic.RateLimitError, content);
    assert.equal(limited.type, 'rate_limit_error');
    assert.match(limited.message, /usage_limit_reached/);
    assert.ok(Number(limited.headers.get('retry-after')) > 0, 'retry-after: the pool\'s earliest reset');
  }
});
