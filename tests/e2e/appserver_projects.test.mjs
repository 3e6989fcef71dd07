// Seed 002's managed coding projects: the real `codex app-server` (npm @openai/codex) supervised
// by Sluice's route-appserver, its model calls routed through Sluice's own pool to the C++
// emulator, driven over /api/v1 exactly as a browser coding agent would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Emulator, Gateway, eventually, paths, tempDir } from './lib/harness.mjs';

const accounts = [{ id: 'acct-a', access_token: 'tok-a', label: 'alpha' }];
const usage = { input_tokens: 1200, cached_tokens: 200, output_tokens: 30, reasoning_tokens: 7 };
const emulatorScript = `accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { mode: normal, text: "Done.", usage: { input_tokens: ${usage.input_tokens}, cached_tokens: ${usage.cached_tokens}, output_tokens: ${usage.output_tokens}, reasoning_tokens: ${usage.reasoning_tokens} } }
`;

// Keeps every child (and the commands they run) away from anything but loopback.
process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
process.env.HTTP_PROXY = 'http://127.0.0.1:9';
process.env.NO_PROXY = '127.0.0.1,localhost';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// An /api client bound to one credential.
function client(gateway, token) {
  const call = async (method, path, body, raw = false) => {
    const response = await fetch(`${gateway.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : (raw ? body : JSON.stringify(body)),
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: response.status, json, text };
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body = {}) => call('POST', path, body),
    postRaw: (path, text) => call('POST', path, text, true),
    put: (path, body) => call('PUT', path, body),
  };
}

// A live SSE subscription that keeps every event it receives.
function subscribe(gateway, token, path, lastEventId) {
  const events = [];
  const controller = new AbortController();
  const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const done = (async () => {
    const response = await fetch(`${gateway.url}/api${path}`, { headers, signal: controller.signal });
    events.status = response.status;
    events.contentType = response.headers.get('content-type');
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) { events.comments = (events.comments ?? 0) + 1; continue; }
        const event = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(': ');
          event[line.slice(0, colon)] = line.slice(colon + 2);
        }
        event.json = JSON.parse(event.data);
        events.push(event);
      }
    }
  })().catch(() => {});
  return {
    events,
    find: (predicate, what) => eventually(what, () => events.find(predicate)),
    close: async () => { controller.abort(); await done; },
  };
}

async function withProjects(body, { extraConfig = '' } = {}) {
  const emulator = await Emulator.start(emulatorScript);
  const state = tempDir('appserver');
  const extraYaml = `  - family: codex_projects
    config:
      codex_command: ${JSON.stringify(join(paths.nodeModules(), '.bin', 'codex'))}
      projects_root: ${JSON.stringify(join(state, 'projects'))}
      state_root: ${JSON.stringify(join(state, 'homes'))}
      restart_backoff: 100ms
      keepalive: 1s
${extraConfig}`;
  const gateway = await Gateway.start({ emulator, accounts, plugins: ['route-appserver'], extraYaml });
  try {
    await body({ emulator, gateway, api: client(gateway, gateway.key), state });
  } finally {
    await gateway.stop();
    await emulator.stop();
    rmSync(state, { recursive: true, force: true });
  }
}

const modelCalls = async (emulator) =>
  (await emulator.requests()).filter((r) => r.method === 'POST' && r.path === '/backend-api/codex/responses');

async function createAndOpen(api, name = 'Landing Page Builder') {
  const created = await api.post('/v1/projects', { name, ownerId: 'user_123' });
  assert.equal(created.status, 200, created.text);
  const id = created.json.project.id;
  const opened = await api.post(`/v1/projects/${id}/open`, {});
  assert.equal(opened.status, 200, opened.text);
  assert.match(opened.json.threadId, /^[0-9a-f-]{36}$/);
  return { id, project: created.json.project, threadId: opened.json.threadId };
}

async function appServerPid(gateway) {
  const status = await client(gateway, gateway.adminToken).get('/system/status');
  return status.json.processes.find((p) => p.phase === 'ready')?.pid;
}

test('an untrusted turn asks for approval, an empty resolve runs the command and the turn completes', async () => {
  await withProjects(async ({ emulator, gateway, api }) => {
    const status = await api.get('/v1/agent/status');
    assert.equal(status.status, 200);
    assert.deepEqual(status.json.defaults, { model: 'gpt-5.5', effort: 'medium', approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    const permissions = await api.get('/v1/permissions');
    assert.equal(permissions.status, 200, permissions.text);
    assert.equal(permissions.json.fullAccess.allowed, false);
    assert.equal((await api.get('/v1/skills')).status, 200);
    assert.match((await api.get('/v1/agent/status')).json.appServer.userAgent, /0\.169\.0/);
    const { id, project, threadId } = await createAndOpen(api);
    const stream = subscribe(gateway, gateway.key, `/v1/projects/${id}/events?threadId=${threadId}`);
    await eventually('the stream', () => stream.events.status === 200);
    assert.equal(stream.events.contentType, 'text/event-stream');

    await emulator.setBehaviour('acct-a', { mode: 'tool_call', command: 'echo approved > approved.txt' });
    const turn = await api.post(`/v1/projects/${id}/turns`, { prompt: 'Create approved.txt' });
    assert.equal(turn.status, 200, turn.text);
    assert.equal(turn.json.threadId, threadId);
    assert.ok(turn.json.turnId);
    assert.equal(turn.json.turn.turn.id, turn.json.turnId);

    const pending = await eventually('a pending approval', async () => {
      const listed = await api.get(`/v1/projects/${id}/approvals`);
      return listed.json.data.length > 0 && listed.json.data[0];
    });
    assert.equal(pending.method, 'item/commandExecution/requestApproval');
    assert.equal(pending.threadId, threadId);
    const asked = await stream.find((e) => e.event === 'serverRequest', 'the approval on the stream');
    assert.equal(asked.json.requestId, pending.requestId);
    assert.equal(existsSync(join(project.cwd, 'approved.txt')), false);

    await emulator.setBehaviour('acct-a', { mode: 'normal', text: 'Done.' });
    const resolved = await api.postRaw(`/v1/projects/${id}/approvals/${pending.requestId}/resolve`, '');
    assert.equal(resolved.status, 200, resolved.text);
    assert.deepEqual(resolved.json.result, { decision: 'accept' });
    const again = await api.post(`/v1/projects/${id}/approvals/${pending.requestId}/resolve`, {});
    assert.equal(again.status, 404);

    const completed = await stream.find((e) => e.event === 'turn/completed', 'turn/completed');
    assert.equal(completed.json.params.turn.status, 'completed');
    const file = await api.get(`/v1/projects/${id}/files/content?path=approved.txt`);
    assert.equal(file.status, 200, file.text);
    assert.equal(file.json.content, 'approved\n');
    assert.equal((await api.get(`/v1/projects/${id}/approvals`)).json.data.length, 0);

    const calls = await modelCalls(emulator);
    assert.ok(calls.length >= 2, `the emulator saw ${calls.length} model calls`);
    // The model calls were made with the delegated credential: logged and accounted as the key.
    const rows = await eventually('the request log rows', () => {
      const logged = gateway.requestLogRows().filter((row) => row.route === 'codex.responses');
      return logged.length >= calls.length && logged;
    });
    assert.ok(rows.every((row) => row.key_prefix && gateway.key.startsWith(row.key_prefix)), JSON.stringify(rows.map((r) => r.key_prefix)));
    assert.ok(!gateway.log().includes('Create approved.txt'), 'no prompt in the gateway log');

    const replay = subscribe(gateway, gateway.key, `/v1/projects/${id}/events`, 0);
    await replay.find((e) => e.event === 'turn/completed', 'the replayed turn/completed');
    assert.ok(Number(replay.events[0].id) > 0);
    await replay.close();
    await stream.close();
  });
});

test('interrupt ends a slow turn as interrupted and state rehydrates it', async () => {
  await withProjects(async ({ emulator, gateway, api }) => {
    const { id, threadId } = await createAndOpen(api);
    const stream = subscribe(gateway, gateway.key, `/v1/projects/${id}/events`);
    await emulator.setBehaviour('acct-a', { mode: 'normal', deltas: 60, event_delay: '500ms' });
    const turn = await api.post(`/v1/projects/${id}/turns`, { prompt: 'Write a long essay' });
    assert.equal(turn.status, 200, turn.text);
    await stream.find((e) => e.event === 'turn/started', 'turn/started');
    const interrupted = await api.post(`/v1/projects/${id}/turns/${turn.json.turnId}/interrupt`, {});
    assert.equal(interrupted.status, 200, interrupted.text);
    const ended = await stream.find((e) => e.event === 'turn/completed', 'turn/completed');
    assert.equal(ended.json.params.turn.status, 'interrupted');
    const state = await api.get(`/v1/projects/${id}/state?includeTurns=true`);
    assert.equal(state.status, 200, state.text);
    assert.equal(state.json.threadId, threadId);
    const turns = state.json.thread.turns;
    assert.equal(turns.find((t) => t.id === turn.json.turnId)?.status, 'interrupted');
    assert.equal(state.json.activeTurnId, null);
    await stream.close();
  });
});

test('a killed app-server is restarted, its running turn reported failed, and open resumes the same thread; so does a Sluice restart', async () => {
  await withProjects(async ({ emulator, gateway, api }) => {
    const { id, threadId } = await createAndOpen(api);
    // A first turn makes the thread durable (its rollout is written on the first turn).
    const first = await api.post(`/v1/projects/${id}/turns`, { prompt: 'hello' });
    assert.equal(first.status, 200, first.text);
    await eventually('the first turn', async () => (await api.get(`/v1/projects/${id}/state`)).json.activeTurnId === null);

    const stream = subscribe(gateway, gateway.key, `/v1/projects/${id}/events`);
    await emulator.setBehaviour('acct-a', { mode: 'normal', deltas: 60, event_delay: '500ms' });
    const slow = await api.post(`/v1/projects/${id}/turns`, { prompt: 'slow' });
    await stream.find((e) => e.event === 'turn/started' && e.json.params.turn.id === slow.json.turnId, 'turn/started');
    const pid = await appServerPid(gateway);
    assert.ok(pid);
    process.kill(-pid, 'SIGKILL');  // the npm launcher and the native app-server it runs
    const failed = await stream.find((e) => e.event === 'turn/completed' && e.json.params.turn.id === slow.json.turnId, 'the failed turn');
    assert.equal(failed.json.params.turn.status, 'failed');
    await emulator.setBehaviour('acct-a', { mode: 'normal', text: 'Done.' });
    await eventually('the restart', async () => { const next = await appServerPid(gateway); return next && next !== pid; });
    const reopened = await api.post(`/v1/projects/${id}/open`, {});
    assert.equal(reopened.status, 200, reopened.text);
    assert.equal(reopened.json.threadId, threadId);
    assert.equal(reopened.json.resumed, true);
    assert.ok(await gateway.metric('sluice_appserver_restarts_total') >= 1);
    assert.ok(await gateway.metric('sluice_appserver_turns_total{outcome="failed"}') >= 1);
    await stream.close();

    // A turn running while Sluice stops is reported failed by the next Sluice.
    await emulator.setBehaviour('acct-a', { mode: 'normal', deltas: 60, event_delay: '500ms' });
    const cut = await api.post(`/v1/projects/${id}/turns`, { prompt: 'slow again' });
    assert.equal(cut.status, 200, cut.text);
    await eventually('the turn to run', async () => (await api.get(`/v1/projects/${id}/state`)).json.activeTurnId === cut.json.turnId);
    gateway.child.kill('SIGTERM');
    await new Promise((resolve) => gateway.child.once('exit', resolve));
    // serve() finds the address in the log: the first run's line must not be read again.
    renameSync(join(gateway.dir, 'gateway.log'), join(gateway.dir, 'gateway.first.log'));
    await gateway.serve();
    const replay = subscribe(gateway, gateway.key, `/v1/projects/${id}/events`, 0);
    const reported = await replay.find((e) => e.event === 'turn/completed' && e.json.params.turn.id === cut.json.turnId, 'the cut turn');
    assert.equal(reported.json.params.turn.status, 'failed');
    await replay.close();
    await emulator.setBehaviour('acct-a', { mode: 'normal', text: 'Done.' });
    const afterRestart = await api.post(`/v1/projects/${id}/open`, {});
    assert.equal(afterRestart.status, 200, afterRestart.text);
    assert.equal(afterRestart.json.threadId, threadId);
    assert.equal((await api.get(`/v1/projects/${id}/state`)).json.activeTurnId, null);
  });
});

test('token accounting across a resume equals what the emulator reported', async () => {
  await withProjects(async ({ emulator, gateway, api }) => {
    const { id } = await createAndOpen(api);
    const turnAndWait = async (prompt) => {
      const turn = await api.post(`/v1/projects/${id}/turns`, { prompt });
      assert.equal(turn.status, 200, turn.text);
      await eventually('the turn to end', async () => (await api.get(`/v1/projects/${id}/state`)).json.activeTurnId === null
        && (await api.get(`/v1/projects/${id}`)).json.project.turns >= 1);
    };
    await turnAndWait('first');
    const pid = await appServerPid(gateway);
    process.kill(-pid, 'SIGKILL');
    await eventually('the restart', async () => { const next = await appServerPid(gateway); return next && next !== pid; });
    assert.equal((await api.post(`/v1/projects/${id}/open`, {})).status, 200);
    const before = (await api.get(`/v1/projects/${id}`)).json.project.turns;
    const turn = await api.post(`/v1/projects/${id}/turns`, { prompt: 'second' });
    assert.equal(turn.status, 200, turn.text);
    await eventually('the second turn', async () => (await api.get(`/v1/projects/${id}`)).json.project.turns > before);

    const calls = (await modelCalls(emulator)).filter((r) => r.status === 200).length;
    const project = (await api.get(`/v1/projects/${id}`)).json.project;
    assert.ok(calls >= 2);
    assert.equal(project.usage.inputTokens, calls * usage.input_tokens);
    assert.equal(project.usage.cachedInputTokens, calls * usage.cached_tokens);
    assert.equal(project.usage.outputTokens, calls * usage.output_tokens);
    assert.equal(project.usage.reasoningOutputTokens, calls * usage.reasoning_tokens);
  });
});

test('files round trip, escapes are 400, and a second key sees none of it', async () => {
  await withProjects(async ({ gateway, api }) => {
    const created = await api.post('/v1/projects', { name: 'Files' });
    const { id, cwd } = created.json.project;
    const written = await api.put(`/v1/projects/${id}/files/content`, { path: 'src/index.html', content: '<h1>Hi</h1>\n' });
    assert.equal(written.status, 200, written.text);
    const read = await api.get(`/v1/projects/${id}/files/content?path=src/index.html`);
    assert.equal(read.json.content, '<h1>Hi</h1>\n');
    const tree = await api.get(`/v1/projects/${id}/files/tree`);
    assert.deepEqual(tree.json.entries.map((e) => e.path), ['src', 'src/index.html']);

    const outside = tempDir('outside');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    symlinkSync(join(outside, 'secret.txt'), join(cwd, 'link.txt'));
    for (const path of ['../secret.txt', encodeURIComponent(join(outside, 'secret.txt')), 'link.txt']) {
      const escaped = await api.get(`/v1/projects/${id}/files/content?path=${path}`);
      assert.equal(escaped.status, 400, `${path}: ${escaped.text}`);
    }
    assert.equal((await api.put(`/v1/projects/${id}/files/content`, { path: '../evil.txt', content: 'x' })).status, 400);
    assert.equal((await api.put(`/v1/projects/${id}/files/content`, { path: 'link.txt', content: 'x' })).status, 400);
    assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'secret');
    rmSync(outside, { recursive: true, force: true });

    const lastLine = (result) => result.stdout.trim().split('\n').pop();
    const otherKey = lastLine(gateway.cli(['key', 'create', '--pool', 'team', '--name', 'other']));
    await sleep(2500);  // the running gateway picks new keys up within its refresh interval
    const other = client(gateway, otherKey);
    assert.equal((await other.get('/v1/projects')).json.data.length, 0);
    for (const [method, path] of [['get', `/v1/projects/${id}`], ['post', `/v1/projects/${id}/open`],
      ['get', `/v1/projects/${id}/files/content?path=src/index.html`], ['get', `/v1/projects/${id}/files/tree`],
      ['get', `/v1/projects/${id}/approvals`], ['get', `/v1/projects/${id}/events`]]) {
      const answer = await other[method](path);
      assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
    }
  });
});

test('the admin raw surface refuses Pool keys and MCP tokens and serves the admin token', async () => {
  await withProjects(async ({ gateway, api }) => {
    await createAndOpen(api);
    const owner = (await client(gateway, gateway.adminToken).get('/system/status')).json.processes[0].owner;
    for (const token of [gateway.key, gateway.mcpToken]) {
      const refused = client(gateway, token);
      for (const answer of [await refused.post('/codex/rpc', { owner, method: 'model/list' }),
        await refused.get('/system/status'), await refused.get('/server-requests')]) {
        assert.ok([401, 403].includes(answer.status), `${answer.status}: ${answer.text}`);
      }
    }
    const admin = client(gateway, gateway.adminToken);
    const rpc = await admin.post('/codex/rpc', { owner, method: 'model/list', params: {} });
    assert.equal(rpc.status, 200, rpc.text);
    assert.ok(Array.isArray(rpc.json.result.data));
    const unknown = await admin.post('/codex/rpc', { owner, method: 'no/such', params: {} });
    assert.equal(unknown.json.error.code, -32600);
    assert.equal((await admin.get('/server-requests')).status, 200);
    // The legacy surface works on the key's own app-server.
    const models = await api.get('/models');
    assert.equal(models.status, 200, models.text);
    const threads = await api.get('/threads');
    assert.equal(threads.status, 200, threads.text);
  });
});

test('the docs/projects.md lifecycle runs verbatim with curl', async () => {
  await withProjects(async ({ emulator, gateway }) => {
    const docs = readFileSync(new URL('../../docs/projects.md', import.meta.url), 'utf8');
    const lifecycle = docs.slice(docs.indexOf('## Lifecycle'), docs.indexOf('## Errors'));
    const blocks = [...lifecycle.matchAll(/```sh\n([\s\S]*?)```/g)]
      .map(([, block]) => block.split('\n').map((line) => line.replace(/^ {3}/, '')).join('\n'));
    assert.equal(blocks.length, 8);
    await emulator.setBehaviour('acct-a', { mode: 'tool_call', command: "echo '<h1>Landing</h1>' > index.html" });
    const work = tempDir('walkthrough');
    const script = `${blocks.join('\n')}\nkill $(jobs -p) 2>/dev/null; wait\n`;
    const child = spawn('bash', ['-c', script], {
      cwd: work,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SLUICE: gateway.url, KEY: gateway.key },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stdout += chunk; });
    let timer;
    const code = await Promise.race([
      new Promise((resolve) => child.once('exit', resolve)),
      new Promise((resolve) => { timer = setTimeout(() => { child.kill('SIGKILL'); resolve('timeout'); }, 180_000); }),
    ]);
    clearTimeout(timer);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /project prj_[0-9a-f]{16}/);
    assert.match(stdout, /"defaults":\{"approvalPolicy":"untrusted"/);
    assert.match(stdout, /"resolved":true/);
    assert.match(stdout, /"status": "completed"/);
    assert.match(stdout, /"content":"<h1>Landing<\/h1>\\n"/);
    assert.match(stdout, /"path":"notes.md"/);
    const events = readFileSync(join(work, 'events.txt'), 'utf8');
    assert.match(events, /event: serverRequest/);
    assert.match(events, /event: turn\/completed/);
    rmSync(work, { recursive: true, force: true });
  });
});
