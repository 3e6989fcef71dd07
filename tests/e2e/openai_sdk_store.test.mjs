// The real openai SDK (npm `openai`) against Sluice's opt-in response store (route-openai's
// `response_store: true`), with the C++ emulator as the upstream: responses and stored chat
// completions are read back, listed, updated and deleted through the SDK's own methods, only by
// the Pool key that created them. With the store off these calls are covered by
// openai_sdk.test.mjs (unsupported_endpoint, nothing dispatched).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Emulator, Gateway, paths, raisedError } from './lib/harness.mjs';

const { OpenAI, APIError } = await import(pathToFileURL(join(paths.nodeModules(), 'openai', 'index.mjs')).href);

const accounts = [{ id: 'acct-a', access_token: 'tok-a' }];
const answer = 'Kept by the gateway.';

let emulator;
let gateway;
let client;

before(async () => {
  emulator = await Emulator.start(`accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: ${JSON.stringify({ mode: 'normal', text: answer, deltas: 3 })} }\n`);
  gateway = await Gateway.start({
    emulator,
    accounts,
    plugins: ['route-openai'],
    extraYaml: '  - { family: openai_v1, config: { response_store: true, response_store_retention: 1d } }\n',
  });
  client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0, timeout: 30_000 });
});

after(async () => {
  await gateway?.stop();
  await emulator?.stop();
});

const sdkError = (call) => raisedError(APIError, call);

test('responses.retrieve, responses.inputItems.list and responses.delete serve a kept response', async () => {
  const created = await client.responses.create({ model: 'gpt-5.5', input: 'What is kept?' });
  const retrieved = await client.responses.retrieve(created.id);
  assert.equal(retrieved.id, created.id);
  assert.equal(retrieved.output_text, answer);

  const streamed = await client.responses.create({ model: 'gpt-5.5', input: 'Streamed and kept', stream: true });
  let streamedId;
  for await (const event of streamed) {
    if (event.type === 'response.completed') streamedId = event.response.id;
  }
  assert.equal((await client.responses.retrieve(streamedId)).output_text, answer);

  const items = [];
  for await (const item of client.responses.inputItems.list(created.id, { order: 'asc' })) items.push(item);
  assert.equal(items.length, 1);
  assert.equal(items[0].role, 'user');
  assert.equal(items[0].content[0].text, 'What is kept?');
  assert.ok(items[0].id);

  const cancel = await sdkError(() => client.responses.cancel(created.id));
  assert.equal(cancel.status, 400);
  assert.equal(cancel.code, 'response_not_cancellable');

  await client.responses.delete(created.id);
  const gone = await sdkError(() => client.responses.retrieve(created.id));
  assert.ok(gone instanceof OpenAI.NotFoundError, gone.constructor.name);
  assert.equal(gone.code, 'not_found');
});

test('chat.completions.list, retrieve, messages.list, update and delete serve stored chat completions', async () => {
  const ids = [];
  for (const topic of ['plans', 'notes', 'plans']) {
    const completion = await client.chat.completions.create({
      model: 'gpt-5.5', store: true, metadata: { topic },
      messages: [{ role: 'user', content: `about ${topic}` }],
    });
    ids.push(completion.id);
  }
  await client.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'not kept' }] });

  const listed = [];
  for await (const completion of client.chat.completions.list({ limit: 2 })) listed.push(completion.id);
  assert.deepEqual(listed, ids, 'oldest first, every page');
  const plans = [];
  for await (const completion of client.chat.completions.list({ metadata: { topic: 'plans' }, order: 'desc' })) plans.push(completion.id);
  assert.deepEqual(plans, [ids[2], ids[0]]);
  assert.equal((await client.chat.completions.list({ model: 'gpt-other' })).data.length, 0);

  const messages = [];
  for await (const message of client.chat.completions.messages.list(ids[1], { limit: 1 })) messages.push(message);
  assert.equal(messages.length, 1, 'the request had one message');
  assert.equal(messages[0].role, 'user');
  assert.equal(messages[0].content, 'about notes');
  assert.equal(messages[0].id, `${ids[1]}-0`);

  const retrieved = await client.chat.completions.retrieve(ids[1]);
  assert.equal(retrieved.object, 'chat.completion');
  assert.equal(retrieved.choices[0].message.content, answer);

  const updated = await client.chat.completions.update(ids[1], { metadata: { topic: 'archived' } });
  assert.deepEqual(updated.metadata, { topic: 'archived' });
  assert.deepEqual((await client.chat.completions.retrieve(ids[1])).metadata, { topic: 'archived' });

  const deleted = await client.chat.completions.delete(ids[1]);
  assert.equal(deleted.deleted, true);
  assert.equal(deleted.object, 'chat.completion.deleted');
  const gone = await sdkError(() => client.chat.completions.retrieve(ids[1]));
  assert.equal(gone.status, 404);
});

test("another Pool key finds none of this key's stored objects", async () => {
  const created = await client.responses.create({ model: 'gpt-5.5', input: 'mine only' });
  const key = JSON.parse(gateway.cli(['key', 'create', '--pool', 'team', '--name', 'other', '--json']).stdout).key;
  const other = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  // The gateway picks new keys up behind; listing is local, so polling dispatches nothing.
  let page;
  for (let tries = 0; !page; tries++) {
    try {
      page = await other.chat.completions.list();
    } catch (error) {
      if (!(error instanceof OpenAI.AuthenticationError) || tries > 150) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  assert.equal(page.data.length, 0);
  const hidden = await sdkError(() => other.responses.retrieve(created.id));
  assert.equal(hidden.status, 404, 'not 403: the object does not exist for this key');
  assert.equal(hidden.code, 'not_found');
  assert.equal((await sdkError(() => other.responses.delete(created.id))).status, 404);
  assert.equal((await client.responses.retrieve(created.id)).id, created.id, 'still there for its key');
});
