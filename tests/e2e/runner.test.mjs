// The Codex runner (plugins/route-runner, seed 003): Sluice spawns the real `codex exec` from npm,
// pointed at its own /backend-api/codex on loopback with a delegated Pool credential, so every
// run is pooled and routed to the C++ emulator like any client's turn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Emulator, Gateway, eventually, paths, tempDir } from './lib/harness.mjs';

process.env.HTTPS_PROXY = 'http://127.0.0.1:9';  // no stray egress from the spawned CLI

const accounts = [
  { id: 'acct-a', access_token: 'tok-a', label: 'alpha' },
  { id: 'acct-b', access_token: 'tok-b', label: 'bravo' },
];

function script(behaviour = '{ mode: normal, text: "RUNNER-ANSWER" }') {
  return `accounts:\n${accounts.map((a) => `  - { id: ${a.id}, access_token: ${a.access_token}, behaviour: ${behaviour} }`).join('\n')}\n`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A gateway with the runner mounted at /runner; `config` lines go under the route's config.
async function withRunner({ behaviour, config = '', mount = '/runner' } = {}, body) {
  const state = tempDir('runner-state');
  const workspace = join(state, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const emulator = await Emulator.start(script(behaviour));
  const gateway = await Gateway.start({
    emulator, accounts, plugins: ['route-runner'],
    extraYaml: `  - family: codex_runner
    mount: ${mount}
    config:
      codex_bin: ${JSON.stringify(join(paths.nodeModules(), '.bin', 'codex'))}
      state_dir: ${JSON.stringify(join(state, 'runner'))}
      workspace_roots: [${JSON.stringify(workspace)}]
      default_model: gpt-5.5
      seed_environment: false
      triggers: { dir: ${JSON.stringify(join(state, 'triggers'))}, poll: 100ms, debounce: 200ms }
${config.split('\n').filter(Boolean).map((line) => `      ${line}`).join('\n')}
`,
  });
  const call = async (method, path, payload, headers = {}) => {
    const response = await fetch(`${gateway.url}${mount === '/' ? '' : mount}${path}`, {
      method,
      headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json', ...headers },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    const text = await response.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: response.status, headers: response.headers, json, text };
  };
  try {
    await body({ emulator, gateway, call, state, workspace });
  } finally {
    await gateway.stop();
    await emulator.stop();
  }
}

const turns = async (emulator) => (await emulator.requests())
  .filter((r) => r.path === '/backend-api/codex/responses' && r.method === 'POST');

// `sluice serve` stopped and started again on the same pipeline and storage (a new port).
async function restart(gateway) {
  await new Promise((resolve) => { gateway.child.once('exit', resolve); gateway.child.kill('SIGTERM'); });
  writeFileSync(join(gateway.dir, 'gateway.log'), '');  // serve() waits for a fresh "listening" line
  await gateway.serve();
}

// The paying key exists only once the gateway has made it: the pipeline names PENDING, which is
// replaced by the harness key's prefix before a restart. Returns the prefix.
async function payWithHarnessKey(gateway) {
  const prefix = JSON.parse(gateway.cli(['key', 'list', '--json']).stdout)[0].prefix;
  writeFileSync(gateway.config, readFileSync(gateway.config, 'utf8').replaceAll('PENDING', prefix));
  await restart(gateway);
  return prefix;
}

// Live (not zombie) processes of a process group, from /proc.
function groupMembers(pgid) {
  const members = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${entry}/stat`, 'utf8'); } catch { continue; }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
}

test('/completion runs codex through the pool, /prompt continues its thread, a tool runs in the workspace', async () => {
  await withRunner({}, async ({ emulator, gateway, call, state }) => {
    const first = await call('POST', '/completion', { messages: [{ role: 'user', content: 'PROMPT-SECRET one' }], metadata: { source: 'api' } });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.output, 'RUNNER-ANSWER');
    assert.equal(first.json.content, 'RUNNER-ANSWER');
    assert.equal(first.json.session_id, first.json.gateway_session_id);
    assert.ok(first.json.codex_session_id, 'the Codex thread id');
    assert.ok(first.json.usage.total_tokens > 0);
    assert.equal(first.json.usage.total_tokens, first.json.usage.input_tokens + first.json.usage.output_tokens);
    assert.deepEqual(first.json.metadata, { source: 'api' });

    const second = await call('POST', `/sessions/${first.json.session_id}/prompt`, { prompt: 'PROMPT-SECRET two' });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.codex_session_id, first.json.codex_session_id, 'the same Codex thread');
    const seen = await turns(emulator);
    assert.equal(seen.length, 2);
    const thread = (r) => r.headers['thread-id'] ?? r.headers['session-id'];
    assert.equal(thread(seen[1]), thread(seen[0]), 'the upstream saw one conversation');
    assert.ok(seen[1].input_items > seen[0].input_items, 'the second turn carried the first in its input');

    const detail = await call('GET', `/sessions/${first.json.codex_session_id}?include_events=true&tail_lines=50`);
    assert.equal(detail.status, 200);
    assert.equal(detail.json.session_id, first.json.session_id, 'found by its Codex id');
    assert.equal(detail.json.runs.length, 2);
    assert.ok(detail.json.events.some((e) => e.type === 'turn.completed'));
    const found = await call('GET', `/sessions/${first.json.session_id}/search?q=runner-answer`);
    assert.ok(found.json.signals.length >= 1);
    const list = await call('GET', '/sessions?limit=5');
    assert.equal(list.json[0].session_id, first.json.session_id);

    // Session files are private, and nothing of the prompt or the answer is in Sluice's log.
    const dir = join(state, 'runner', 'sessions', first.json.session_id);
    for (const name of ['meta.json', 'stdout.log', 'stderr.log', 'events.jsonl']) {
      assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
    }
    const log = gateway.log();
    for (const secret of ['PROMPT-SECRET', 'RUNNER-ANSWER', gateway.key]) {
      assert.equal(log.includes(secret), false, `${secret} reached the gateway log`);
    }
    // The request log is written behind the answers.
    const rows = await eventually('the run\'s and both turns\' rows', () => {
      const logged = gateway.requestLogRows();
      const turns = logged.filter((r) => r.route === 'codex.responses').length;
      return logged.some((r) => r.route === 'runner.completion') && turns >= 2 && logged;
    });
    const runnerRow = rows.find((r) => r.route === 'runner.completion');
    const turnRows = rows.filter((r) => r.route === 'codex.responses');
    assert.ok(runnerRow, 'the runner request was logged');
    assert.equal(turnRows.length, 2, 'both turns went through the pool');
    assert.equal(await gateway.metric('sluice_runner_runs_total{source="api",outcome="completed"}'), 2);
    for (const row of turnRows) assert.equal(row.key_prefix, runnerRow.key_prefix, 'accounted to the caller');
  });
});

test('a tool turn runs its command inside the workspace', async () => {
  const behaviour = '{ mode: tool_call, command: "echo made-by-tool > tool-output.txt", text: "Tool finished." }';
  await withRunner({ behaviour }, async ({ call, workspace }) => {
    const run = await call('POST', '/completion', { prompt: 'use the tool' });
    assert.equal(run.status, 200, run.text);
    assert.equal(run.json.output, 'Tool finished.');
    assert.equal(readFileSync(join(workspace, 'tool-output.txt'), 'utf8').trim(), 'made-by-tool');
    assert.ok(run.json.tool_calls.some((c) => c.type === 'command_execution'));
  });
});

test('429 at the concurrency limit, 409 for a busy session, 400 for escapes and refused variables', async () => {
  await withRunner({ behaviour: '{ mode: normal, text: "slow", delay: 4s }', config: 'max_concurrent: 1\nretry_after: 7s' },
    async ({ call }) => {
      const slow = call('POST', '/completion', { prompt: 'take your time' });
      let running;
      for (let i = 0; i < 100 && !running; i++) {
        await sleep(50);
        running = (await call('GET', '/sessions')).json.find((s) => s.status === 'running');
      }
      assert.ok(running, 'the first run is in progress');
      const busy = await call('POST', '/completion', { prompt: 'me too' });
      assert.equal(busy.status, 429);
      assert.equal(busy.headers.get('retry-after'), '7');
      assert.deepEqual(busy.json, { error: 'Too many concurrent requests', retry_after: 7, active: 1, max: 1 });
      const conflict = await call('POST', `/sessions/${running.session_id}/prompt`, { prompt: 'again' });
      assert.equal(conflict.status, 409);
      const status = await call('GET', '/status');
      assert.deepEqual(status.json.concurrency, { active: 1, max: 1, available: 0, queued: 0 });
      assert.equal((await slow).status, 200);

      const escape = await call('POST', '/completion', { prompt: 'x', workspace: '../..' });
      assert.equal(escape.status, 400);
      assert.match(escape.json.error, /outside the configured workspace roots/);
      const refused = await call('POST', '/completion', { prompt: 'x', env: { LD_PRELOAD: '/tmp/evil.so' } });
      assert.equal(refused.status, 400);
      assert.match(refused.json.error, /LD_PRELOAD/);
    });
});

test('408 on timeout with the whole process group gone', async () => {
  // The upstream hangs for a while, then lets go, so the gateway's own attempt ends soon after.
  await withRunner({ behaviour: '{ mode: hang, hang_for: 3s }', config: 'kill_grace: 500ms' }, async ({ call }) => {
    const started = Date.now();
    const run = await call('POST', '/completion', { prompt: 'never answered', timeout_ms: 2000 });
    assert.equal(run.status, 408, run.text);
    assert.equal(run.json.error, 'Timeout exceeded');
    assert.ok(run.json.session_id && run.json.run_id);
    assert.ok(Date.now() - started < 10_000);
    assert.ok(run.json.pid > 0);
    for (let i = 0; i < 50 && groupMembers(run.json.pid).length > 0; i++) await sleep(20);
    assert.deepEqual(groupMembers(run.json.pid), [], 'no process of the run is left');
    const detail = await call('GET', `/sessions/${run.json.session_id}`);
    assert.equal(detail.json.runs[0].status, 'timeout');
  });
});

test('triggers: API codes, interval and once fires against the real binary, state written back', async () => {
  await withRunner({}, async ({ call, state }) => {
    const bad = await call('POST', '/triggers', { schedule: { mode: 'interval', interval_minutes: 1 } });
    assert.equal(bad.status, 400);
    const every = await call('POST', '/triggers', { id: 'every', prompt_text: 'interval report', schedule: { mode: 'interval', interval_minutes: 0.02 } });
    assert.equal(every.status, 201, every.text);
    assert.equal((await call('POST', '/triggers', { id: 'every', prompt_text: 'dup', schedule: { minutes: 1 } })).status, 409);
    assert.equal((await call('PATCH', '/triggers/missing', { title: 'x' })).status, 404);
    assert.equal((await call('DELETE', '/triggers/missing')).status, 404);
    assert.equal((await call('DELETE', '/triggers')).status, 405);
    assert.equal((await call('GET', '/triggers?trigger_file=../escape.json')).status, 400);
    const at = new Date(Date.now() + 1000).toISOString();
    assert.equal((await call('POST', '/triggers', { id: 'once', prompt_text: 'one-off', schedule: { mode: 'once', at } })).status, 201);

    const file = join(state, 'triggers', 'triggers.json');
    const read = () => JSON.parse(readFileSync(file, 'utf8')).triggers;
    let triggers = read();
    for (let i = 0; i < 300; i++) {
      triggers = read();
      const interval = triggers.find((t) => t.id === 'every');
      if (interval?.last_fired && !triggers.some((t) => t.id === 'once')) break;
      await sleep(100);
    }
    const interval = triggers.find((t) => t.id === 'every');
    assert.equal(interval.last_status, 'success', JSON.stringify(interval));
    assert.ok(interval.gateway_session_id);
    assert.equal(triggers.some((t) => t.id === 'once'), false, 'a once-trigger is removed after success');
    assert.equal(statSync(file).mode & 0o777, 0o600);

    // Every fire continues the trigger's own conversation.
    let runs = 0;
    for (let i = 0; i < 200 && runs < 2; i++) {
      await sleep(100);
      runs = (await call('GET', `/sessions/${interval.gateway_session_id}`)).json.runs.length;
    }
    assert.ok(runs >= 2, 'a second fire continued the session');
    assert.equal((await call('PATCH', '/triggers/every', { enabled: false })).status, 200);
    const listed = await call('GET', '/triggers');
    assert.equal(listed.json.triggers.find((t) => t.id === 'every').enabled, false);

    // An edit of the file from outside is picked up once it has settled (debounce 200ms).
    const document = JSON.parse(readFileSync(file, 'utf8'));
    document.triggers.push({ id: 'external', prompt_text: 'added by hand', enabled: false, schedule: { minutes: 5 } });
    writeFileSync(file, JSON.stringify(document));
    let external;
    for (let i = 0; i < 50 && !external; i++) {
      await sleep(100);
      external = (await call('GET', '/triggers')).json.triggers.find((t) => t.id === 'external');
    }
    assert.ok(external, 'the hand edit was reloaded');
  });
});

test('webhook: bearer, headers, signature and payload; a stalling receiver does not delay the answer', async () => {
  const received = [];
  let stall = false;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (!stall) res.end('ok');  // stalling: never answers
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${receiver.address().port}/hook`;
  try {
    await withRunner({ config: `webhook: { url: "${url}", bearer: hook-bearer, signing_secret: hook-secret, headers: { X-Team: core }, timeout: 30s, max_attempts: 1 }` },
      async ({ call }) => {
        const run = await call('POST', '/completion', { prompt: 'notify me', metadata: { ticket: 7 } });
        assert.equal(run.status, 200, run.text);
        for (let i = 0; i < 100 && received.length === 0; i++) await sleep(50);
        assert.equal(received.length, 1);
        const { headers, body } = received[0];
        assert.equal(headers.authorization, 'Bearer hook-bearer');
        assert.equal(headers['x-team'], 'core');
        assert.equal(headers['x-sluice-signature'], `sha256=${createHmac('sha256', 'hook-secret').update(body).digest('hex')}`);
        const payload = JSON.parse(body);
        assert.equal(payload.session_id, run.json.session_id);
        assert.equal(payload.output, 'RUNNER-ANSWER');
        assert.deepEqual(payload.metadata, { ticket: 7 });
        assert.equal(body.includes('hook-bearer') || body.includes('hook-secret'), false);

        // A delivery made on the request path would hold each answer for the 30 s timeout.
        stall = true;
        const started = Date.now();
        const again = await call('POST', '/completion', { prompt: 'while the receiver stalls' });
        assert.equal(again.status, 200);
        const another = await call('POST', '/completion', { prompt: 'and again' });
        assert.equal(another.status, 200);
        for (let i = 0; i < 100 && received.length < 2; i++) await sleep(50);
        assert.equal(received.length, 2, 'the receiver got the delivery and is stalling it');
        assert.ok(Date.now() - started < 25_000, 'the stalled delivery held no answer');
        stall = false;  // the queued delivery is answered, and the stalled one fails now
        receiver.closeAllConnections();
      });
  } finally {
    receiver.closeAllConnections?.();
    receiver.close();
  }
});

test('sessions and triggers survive a restart; a secure session is invisible and 403 without its token', async () => {
  await withRunner({ config: 'secure_token: open-sesame' }, async ({ gateway, call }) => {
    const open = await call('POST', '/completion', { prompt: 'plain' });
    assert.equal(open.status, 200, open.text);
    const secure = await call('POST', '/completion', { prompt: 'hidden', secure: true });
    assert.equal(secure.status, 200, secure.text);
    assert.equal((await call('POST', '/triggers', { id: 'kept', prompt_text: 'later', schedule: { mode: 'daily', time: '03:00', timezone: 'Europe/Berlin' } })).status, 201);

    await restart(gateway);

    const ids = (await call('GET', '/sessions')).json.map((s) => s.session_id);
    assert.ok(ids.includes(open.json.session_id), 'the session is back after the restart');
    assert.equal(ids.includes(secure.json.session_id), false, 'a secure session is not listed without the token');
    const token = { 'x-codex-secure-token': 'open-sesame' };
    assert.ok((await call('GET', '/sessions', undefined, token)).json.some((s) => s.session_id === secure.json.session_id));
    assert.equal((await call('GET', `/sessions/${secure.json.session_id}`)).status, 403);
    assert.equal((await call('GET', `/sessions/${secure.json.session_id}`, undefined, token)).status, 200);
    assert.equal((await call('POST', `/sessions/${secure.json.session_id}/prompt`, { prompt: 'x' })).status, 403);
    const triggers = (await call('GET', '/triggers')).json.triggers;
    assert.ok(triggers.some((t) => t.id === 'kept' && t.next_fire), 'the trigger is back and scheduled');
    const resumed = await call('POST', `/sessions/${open.json.session_id}/prompt`, { prompt: 'after restart' });
    assert.equal(resumed.status, 200, resumed.text);
    assert.equal(resumed.json.codex_session_id, open.json.codex_session_id);
  });
});

test('health needs no key; the rest needs a Pool key; the info page lists the endpoints', async () => {
  await withRunner({}, async ({ gateway, call }) => {
    assert.equal((await fetch(`${gateway.url}/runner/health`)).status, 200);
    assert.equal((await fetch(`${gateway.url}/runner/status`)).status, 401);
    const info = await call('GET', '');
    assert.equal(info.status, 200);
    assert.equal(info.json.status, 'codex-gateway');
    assert.deepEqual(info.json.endpoints.completion, { path: '/completion', method: 'POST' });
    assert.equal(info.json.webhook.configured, false);
  });
});

test('the curl examples of docs/runner.md work verbatim against a runner mounted at / with open access', async () => {
  await withRunner({ mount: '/', config: 'open_access_key: PENDING' }, async ({ gateway }) => {
    const prefix = await payWithHarnessKey(gateway);

    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'runner.md'), 'utf8');
    const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.equal(blocks.length, 4);
    const run = (block) => {
      const result = spawnSync('bash', ['-c', block.replaceAll('http://localhost:4000', gateway.url)], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    const completion = JSON.parse(run(blocks[0]));
    assert.equal(completion.output, 'RUNNER-ANSWER');
    assert.equal(completion.gateway_session_id, completion.session_id);
    assert.match(run(blocks[1]), /Session 'session-abc123' not found/);
    const looks = run(blocks[2]);
    assert.match(looks, new RegExp(completion.session_id));
    assert.match(looks, /"concurrency"/);
    const triggers = run(blocks[3]);
    assert.match(triggers, /"id":"daily-report"/);
    assert.match(triggers, /"enabled":false/);
    assert.match(triggers, /"trigger_id":"daily-report"/);
    let rows = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {  // the request log is written behind
      await sleep(100);
      rows = gateway.requestLogRows().filter((r) => r.route === 'codex.responses');
    }
    assert.ok(rows.length >= 1 && rows.every((r) => r.key_prefix === prefix), 'paid by the open-access key');
  });
});

test('sluice repl drives the runner: run, use, prompt, list, compact mode', async () => {
  await withRunner({}, async ({ gateway }) => {
    const repl = (input) => spawnSync(paths.sluice(), ['repl', `${gateway.url}/runner`], {
      input, encoding: 'utf8', timeout: 120_000, env: { ...process.env, SLUICE_API_KEY: gateway.key },
    });
    const first = repl('mode compact\nwatch usage\nrun say something\nexit\n');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /\[agent_message\] RUNNER-ANSWER/);
    assert.match(first.stdout, /usage: \{/);
    const session = /session: (session-[0-9a-f]+)/.exec(first.stdout)[1];
    const second = repl(`use ${session}\nrun and more\nlist\nquit\n`);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`"session_id": "${session}"`));
    assert.match(second.stdout, /"runs": 2/);
  });
});

test('watcher: create, modify and delete in a watched directory; one run per debounced burst', async () => {
  const watched = tempDir('runner-watched');
  await withRunner({ config: `watcher: { paths: [${JSON.stringify(watched)}], pattern: "**/*.txt", debounce: 400ms, poll: 50ms, owner_key: PENDING }` },
    async ({ gateway, call }) => {
      await payWithHarnessKey(gateway);
      const watcherRuns = async () => {
        const sessions = (await call('GET', '/sessions?limit=200')).json;
        let runs = 0;
        for (const s of sessions) {
          const detail = (await call('GET', `/sessions/${s.session_id}`)).json;
          runs += detail.runs.filter((r) => r.source === 'watcher').length;
        }
        return runs;
      };
      const waitRuns = async (count) => {
        let runs = 0;
        for (let i = 0; i < 150 && runs < count; i++) { await sleep(100); runs = await watcherRuns(); }
        await sleep(1000);  // and no more arrive
        return watcherRuns();
      };
      writeFileSync(join(watched, 'note.txt'), 'first');
      await sleep(100);
      writeFileSync(join(watched, 'note.txt'), 'first and second');
      writeFileSync(join(watched, 'ignored.md'), 'not matched');
      assert.equal(await waitRuns(1), 1, 'one burst, one run');
      rmSync(join(watched, 'note.txt'));
      assert.equal(await waitRuns(2), 2, 'the delete is a burst of its own');
      const status = (await call('GET', '/status')).json;
      assert.equal(status.watcher.enabled, true);
      assert.equal(status.watcher.dispatched, 2);
    });
  rmSync(watched, { recursive: true, force: true });
});
