// The real openai SDK (npm `openai`) against Sluice's /v1 surface, with the C++ emulator as the
// upstream: every call the SDK makes must parse into the shapes it expects, and every endpoint
// Sluice does not serve must raise the SDK's error with the exact code. The snippets of
// docs/clients/openai-sdk.md run here too, extracted from the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Emulator, Gateway, clientPageSnippets, o200kTokens, paths, raisedError, runNodeSnippet } from './lib/harness.mjs';

const { OpenAI, APIError, toFile } = await import(pathToFileURL(join(paths.nodeModules(), 'openai', 'index.mjs')).href);

const accounts = [
  { id: 'acct-a', access_token: 'tok-a' },
  { id: 'acct-b', access_token: 'tok-b' },
];
const answer = 'Answer from the pool.';
const normal = { mode: 'normal', text: answer, deltas: 4 };

let emulator;
let gateway;
let client;

before(async () => {
  emulator = await Emulator.start(`accounts:\n${accounts.map((a) =>
    `  - { id: ${a.id}, access_token: ${a.access_token}, behaviour: ${JSON.stringify(normal)} }`).join('\n')}\n`);
  gateway = await Gateway.start({
    emulator,
    accounts,
    plugins: ['route-openai'],
    // The emulator hands out upload URLs on 127.0.0.1.
    extraYaml: `  - { family: openai_v1, config: { allow_private_upload_urls: true, o200k_ranks_path: '${paths.o200kRanks()}' } }\n`,
  });
  client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0, timeout: 30_000 });
});

after(async () => {
  await gateway?.stop();
  await emulator?.stop();
});

// Every account answers `behaviour` while `body` runs.
const withBehaviour = (behaviour, body) => emulator.withBehaviour(accounts.map((a) => a.id), behaviour, normal, body);

const sdkError = (call) => raisedError(APIError, call);

const modelTurns = async () => (await emulator.requests())
  .filter((r) => r.method === 'POST' && r.path === '/backend-api/codex/responses').length;

test('models.list pages through the pool catalog', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    assert.equal(model.object, 'model');
    assert.equal(typeof model.created, 'number');
    ids.push(model.id);
  }
  assert.ok(ids.includes('gpt-5.5'), ids.join(','));
  const model = await client.models.retrieve('gpt-5.5');
  assert.equal(model.id, 'gpt-5.5');
  assert.equal(model.object, 'model');
  assert.equal(typeof model.created, 'number');
  assert.equal(model.owned_by, 'sluice');

  const missing = await sdkError(() => client.models.retrieve('gpt-does-not-exist'));
  assert.ok(missing instanceof OpenAI.NotFoundError, missing.constructor.name);
  assert.equal(missing.status, 404);
  assert.equal(missing.code, 'model_not_found');
  assert.equal(missing.type, 'invalid_request_error');
  assert.equal(missing.param, 'model');
});

test('responses.create answers in one object or as a typed event stream', async () => {
  const response = await client.responses.create({ model: 'gpt-5.5', input: 'hello', instructions: 'Be brief.' });
  assert.equal(response.object, 'response');
  assert.equal(response.status, 'completed');
  assert.equal(response.output_text, answer);
  assert.ok(response.usage.total_tokens > 0);

  const types = [];
  let text = '';
  for await (const event of await client.responses.create({ model: 'gpt-5.5', input: 'hello', stream: true })) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') text += event.delta;
  }
  assert.equal(types[0], 'response.created');
  assert.equal(types.at(-1), 'response.completed');
  assert.equal(text, answer);

  const final = await client.responses.stream({ model: 'gpt-5.5', input: [{ role: 'user', content: 'hello' }] }).finalResponse();
  assert.equal(final.output_text, answer);
});

test('the snippets of docs/clients/openai-sdk.md print the pool answer for each call', async () => {
  const snippets = clientPageSnippets('openai-sdk.md', 'js');
  assert.equal(snippets.length, 3);
  const routeCounts = async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));  // the request log is written behind
    const counts = { 'openai.responses': 0, 'openai.chat': 0 };
    for (const row of gateway.requestLogRows()) if (row.route in counts) counts[row.route] += 1;
    return counts;
  };
  const before = await routeCounts();
  const result = await runNodeSnippet(snippets.join('\n').replaceAll('http://127.0.0.1:4000', gateway.url),
    { env: { SLUICE_API_KEY: gateway.key } });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split('\n'), [answer, answer, answer, answer]);
  const after = await routeCounts();
  assert.equal(after['openai.responses'] - before['openai.responses'], 2, 'two Responses calls went through /v1');
  assert.equal(after['openai.chat'] - before['openai.chat'], 2, 'two chat calls went through /v1');
});

test('chat.completions.create answers in one object and as chunks with usage', async () => {
  const completion = await client.chat.completions.create({
    model: 'gpt-5.5',
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }],
    max_completion_tokens: 200,
  });
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.equal(completion.choices[0].message.content, answer);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);

  let text = '';
  let usage;
  for await (const chunk of await client.chat.completions.create({
    model: 'gpt-5.5', messages: [{ role: 'user', content: 'hello' }], stream: true, stream_options: { include_usage: true },
  })) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    text += chunk.choices[0]?.delta?.content ?? '';
    usage = chunk.usage ?? usage;
  }
  assert.equal(text, answer);
  assert.ok(usage.prompt_tokens > 0);

  const final = await client.chat.completions.stream({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] })
    .finalChatCompletion();
  assert.equal(final.choices[0].message.content, answer);
});

test('completions.create (legacy) answers in one text_completion and as chunks with usage', async () => {
  const turns = await modelTurns();
  const completion = await client.completions.create({ model: 'gpt-5.5', prompt: 'Say hello', max_tokens: 64, temperature: 0 });
  assert.equal(completion.object, 'text_completion');
  assert.match(completion.id, /^cmpl-/);
  assert.equal(completion.model, 'gpt-5.5');
  assert.equal(completion.choices.length, 1);
  assert.equal(completion.choices[0].text, answer);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);

  let text = '';
  let usage;
  let finish;
  for await (const chunk of await client.completions.create({
    model: 'gpt-5.5', prompt: ['def add(a, b):'], stream: true, stream_options: { include_usage: true },
  })) {
    assert.equal(chunk.object, 'text_completion');
    text += chunk.choices[0]?.text ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  assert.equal(text, answer);
  assert.equal(finish, 'stop');
  assert.ok(usage.prompt_tokens > 0);
  assert.equal(await modelTurns(), turns + 2, 'both went upstream as model turns');

  for (const [param, extra] of [['n', { n: 2 }], ['echo', { echo: true }], ['logprobs', { logprobs: 1 }],
    ['best_of', { best_of: 2 }], ['suffix', { suffix: '}' }]]) {
    const error = await sdkError(() => client.completions.create({ model: 'gpt-5.5', prompt: 'x', ...extra }));
    assert.equal(error.status, 400, param);
    assert.equal(error.code, 'unsupported_parameter', param);
    assert.equal(error.param, param);
  }
  assert.equal(await modelTurns(), turns + 2, 'refused before dispatch');
});

test('responses.inputTokens.count counts locally, the text exactly as o200k_base does', async () => {
  const turns = await modelTurns();
  const short = 'hello';
  const long = 'fn main() {\n    println!("{}", 40 + 2);\n}\n// 日本語のコメント — ok\n'.repeat(30);
  const count = async (input) => client.responses.inputTokens.count({ model: 'gpt-5.5', input, instructions: 'Be brief.' });
  const counted = await count(short);
  assert.equal(counted.object, 'response.input_tokens');
  assert.ok(counted.input_tokens > o200kTokens(short) + o200kTokens('Be brief.'), 'framing counts too');
  assert.equal((await count(long)).input_tokens - counted.input_tokens, o200kTokens(long) - o200kTokens(short));

  const alias = await client.post('/responses/count_tokens', { body: { input: short, instructions: 'Be brief.' } });
  assert.deepEqual(alias, counted);

  const stored = await sdkError(() => client.responses.inputTokens.count({ model: 'gpt-5.5', input: 'x', previous_response_id: 'resp_1' }));
  assert.equal(stored.status, 400);
  assert.equal(stored.code, 'unsupported_parameter');
  assert.equal(stored.param, 'previous_response_id');
  assert.equal(await modelTurns(), turns, 'nothing went upstream');
});

test('a chat tool call round trip: the call, its result, the answer', async () => {
  const tools = [{
    type: 'function',
    function: {
      name: 'exec_command',
      description: 'Run a shell command',
      parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'], additionalProperties: false },
      strict: true,
    },
  }];
  await withBehaviour({ mode: 'tool_call', command: 'date', text: 'It ran.' }, async () => {
    const messages = [{ role: 'user', content: 'What time is it?' }];
    const first = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools });
    const choice = first.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const [call] = choice.message.tool_calls;
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'exec_command');
    assert.deepEqual(JSON.parse(call.function.arguments), { cmd: 'date' });

    const streamed = await client.chat.completions.stream({ model: 'gpt-5.5', messages, tools }).finalChatCompletion();
    assert.equal(streamed.choices[0].message.tool_calls[0].function.name, 'exec_command', 'tool calls stream too');

    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: 'Mon Jan  5 10:00:00 UTC 2026' });
    const second = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools });
    assert.equal(second.choices[0].message.content, 'It ran.');
    assert.equal(second.choices[0].finish_reason, 'stop');
    const followUp = (await emulator.requests()).filter((r) => r.path === '/backend-api/codex/responses').at(-1);
    assert.equal(followUp.has_function_call_output, true, 'the tool result reached the upstream as function_call_output');
  });
});

test('a JSON-schema response parses into the schema', async () => {
  const weather = { city: 'Paris', temperature_c: 18 };
  await withBehaviour({ mode: 'normal', text: JSON.stringify(weather) }, async () => {
    const completion = await client.chat.completions.parse({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'Weather in Paris as JSON' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'weather',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, temperature_c: { type: 'number' } },
            required: ['city', 'temperature_c'],
            additionalProperties: false,
          },
        },
      },
    });
    assert.deepEqual(completion.choices[0].message.parsed, weather);
  });
});

test('files.create, files.list and files.retrieve keep the file metadata', async () => {
  const bytes = Buffer.from('%PDF-1.4 sluice e2e\n');
  const created = await client.files.create({ file: await toFile(bytes, 'notes.pdf', { type: 'application/pdf' }), purpose: 'user_data' });
  assert.equal(created.object, 'file');
  assert.equal(created.filename, 'notes.pdf');
  assert.equal(created.bytes, bytes.length);
  assert.equal(created.purpose, 'user_data');
  assert.equal(typeof created.created_at, 'number');

  const listed = [];
  for await (const file of client.files.list()) listed.push(file.id);
  assert.ok(listed.includes(created.id), listed.join(','));
  const retrieved = await client.files.retrieve(created.id);
  assert.equal(retrieved.id, created.id);
  assert.equal(retrieved.filename, 'notes.pdf');

  const missing = await sdkError(() => client.files.retrieve('file-does-not-exist'));
  assert.equal(missing.status, 404);
  assert.equal(missing.code, 'file_not_found');
});

test('an audio transcription', async () => {
  const audio = Buffer.alloc(2048, 7);
  const transcription = await client.audio.transcriptions.create({
    model: 'gpt-4o-transcribe', file: await toFile(audio, 'speech.wav', { type: 'audio/wav' }),
  });
  assert.equal(transcription.text, `Emulated transcript of ${audio.length} bytes.`);
});

test('an image generation', async () => {
  const images = await client.images.generate({ model: 'gpt-image-1', prompt: 'a red square', size: '1024x1024' });
  assert.equal(typeof images.created, 'number');
  assert.equal(images.data.length, 1);
  const png = Buffer.from(images.data[0].b64_json, 'base64');
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
});

test('each unsupported endpoint (the response store routes too, off by default) raises the SDK error with code unsupported_endpoint and reaches no upstream', async () => {
  const before = (await emulator.requests()).length;
  const calls = {
    'embeddings.create': () => client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
    'batches.create': () => client.batches.create({ input_file_id: 'file-x', endpoint: '/v1/responses', completion_window: '24h' }),
    'batches.list': () => client.batches.list(),
    'moderations.create': () => client.moderations.create({ input: 'x' }),
    'fine_tuning.jobs.create': () => client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: 'file-x' }),
    'fine_tuning.jobs.list': () => client.fineTuning.jobs.list(),
    'images.createVariation': async () => client.images.createVariation({ image: await toFile(Buffer.from('png'), 'a.png', { type: 'image/png' }) }),
    'responses.retrieve': () => client.responses.retrieve('resp_1'),
    'responses.cancel': () => client.responses.cancel('resp_1'),
    'responses.delete': () => client.responses.delete('resp_1'),
    'responses.inputItems.list': () => client.responses.inputItems.list('resp_1'),
    'chat.completions.list': () => client.chat.completions.list(),
    'chat.completions.retrieve': () => client.chat.completions.retrieve('chatcmpl-1'),
    'chat.completions.update': () => client.chat.completions.update('chatcmpl-1', { metadata: { a: 'b' } }),
    'chat.completions.delete': () => client.chat.completions.delete('chatcmpl-1'),
    'chat.completions.messages.list': () => client.chat.completions.messages.list('chatcmpl-1'),
    'realtime.clientSecrets.create': () => client.realtime.clientSecrets.create({ session: { type: 'realtime', model: 'gpt-realtime' } }),
  };
  for (const [name, call] of Object.entries(calls)) {
    const error = await sdkError(call);
    assert.equal(error.status, 404, name);
    assert.equal(error.code, 'unsupported_endpoint', name);
    assert.equal(error.type, 'invalid_request_error', name);
    assert.equal(error.param, null, name);
  }
  assert.equal((await emulator.requests()).length, before, 'nothing was dispatched');
});

test('an unsupported parameter and an unknown model are 400s naming the parameter', async () => {
  const turns = await modelTurns();
  const parameter = await sdkError(() => client.chat.completions.create({
    model: 'gpt-5.5', messages: [{ role: 'user', content: 'x' }], seed: 7,
  }));
  assert.equal(parameter.status, 400);
  assert.equal(parameter.code, 'unsupported_parameter');
  assert.equal(parameter.param, 'seed');

  for (const call of [
    () => client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }),
    () => client.responses.create({ model: 'gpt-nope', input: 'x' }),
  ]) {
    const model = await sdkError(call);
    assert.equal(model.status, 400);
    assert.equal(model.code, 'model_not_available');
    assert.equal(model.param, 'model');
  }
  assert.equal(await modelTurns(), turns, 'refused before dispatch');
});

test('an upstream failure arrives in the OpenAI envelope without the upstream words', async () => {
  await withBehaviour({ mode: 'error', status: 500, error_message: 'UPSTREAM-INTERNAL-DETAIL' }, async () => {
    const error = await sdkError(() => client.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'x' }] }));
    assert.equal(error.status, 502);
    assert.equal(error.type, 'server_error');
    assert.equal(error.message.includes('UPSTREAM-INTERNAL-DETAIL'), false, error.message);
    assert.equal(JSON.stringify(error.error).includes('UPSTREAM-INTERNAL-DETAIL'), false);
  });
});

test('a stream cut after visible output raises the SDK error instead of ending cleanly', async () => {
  await withBehaviour({ mode: 'cut', cut_after: 6, text: answer, deltas: 4 }, async () => {
    let text = '';
    const chat = await sdkError(async () => {
      for await (const chunk of await client.chat.completions.create({
        model: 'gpt-5.5', messages: [{ role: 'user', content: 'x' }], stream: true,
      })) {
        text += chunk.choices[0]?.delta?.content ?? '';
      }
    });
    assert.ok(text.length > 0, 'output reached the client before the cut');
    assert.equal(chat.code, 'upstream_stream_interrupted');

    const responses = await sdkError(async () => {
      for await (const event of await client.responses.create({ model: 'gpt-5.5', input: 'x', stream: true })) {
        assert.notEqual(event.type, 'response.completed');
      }
    });
    assert.equal(responses.code, 'upstream_stream_interrupted');
  });
});
