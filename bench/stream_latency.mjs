// Added latency of Sluice over talking to the upstream directly, for a 20-event SSE stream at
// concurrency 1 and 32, measured in one run on this machine. Writes the "stream latency"
// section of docs/benchmarks.md.
//   node bench/stream_latency.mjs <release build dir>     (run by `make bench`)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

const build = resolve(process.argv[2] ?? 'build/release');
const repo = resolve(new URL('..', import.meta.url).pathname);
const bin = (name) => join(build, 'bin', name);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const work = mkdtempSync(join(tmpdir(), 'sluice-bench-'));

function waitForLine(read, pattern, what) {
  return new Promise((resolvePromise, reject) => {
    const deadline = Date.now() + 15000;
    const poll = () => {
      const match = pattern.exec(read());
      if (match) return resolvePromise(match);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

const accounts = ['a', 'b', 'c', 'd'];
writeFileSync(join(work, 'emulator.yaml'), `server: { threads: 256, recording_capacity: 0 }
accounts:
${accounts.map((a) => `  - { id: acct-${a}, access_token: tok-${a}, behaviour: { mode: normal, deltas: 12 } }`).join('\n')}
`);
const emulator = spawn(bin('sluice-emulator'), ['--port', '0', '--script', join(work, 'emulator.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
let emulatorOut = '';
emulator.stdout.on('data', (d) => { emulatorOut += d; });
const [, emulatorAddress] = await waitForLine(() => emulatorOut, /listening (\S+)/, 'the emulator');
const upstream = `http://${emulatorAddress}`;

const env = { ...process.env, SLUICE_SECRET_KEY: randomBytes(32).toString('base64') };
const config = join(work, 'sluice.yaml');
writeFileSync(config, `version: 1
server: { listen: "127.0.0.1:0", max_threads: 512 }
plugins: { paths: [${JSON.stringify(join(build, 'plugins'))}], load: [storage-sqlite, strategy-builtin, route-codex] }
storage: { type: sqlite, config: { path: ${JSON.stringify(join(work, 'sluice.db'))} } }
secrets: { key#env: SLUICE_SECRET_KEY }
upstream: { chatgpt_base_url: "${upstream}" }
logging: { level: info, file: ${JSON.stringify(join(work, 'gateway.log'))} }
strategies: { rotate: { type: round_robin } }
pools: { team: { strategy: rotate } }
routes: [ { family: codex_backend } ]
`);
const cli = (args) => {
  const result = spawnSync(bin('sluice'), [...args, '--config', config], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sluice ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
for (const a of accounts) {
  const file = join(work, `${a}.json`);
  writeFileSync(file, JSON.stringify({ tokens: { access_token: `tok-${a}`, refresh_token: `rt-${a}`, account_id: `acct-${a}` } }));
  cli(['account', 'import', '--pool', 'team', '--auth-json', file, '--label', a]);
}
const key = cli(['key', 'create', '--pool', 'team', '--name', 'bench']).trim().split('\n').pop();
const gateway = spawn(bin('sluice'), ['serve', '--config', config], { env, stdio: 'ignore' });
const log = () => (existsSync(join(work, 'gateway.log')) ? readFileSync(join(work, 'gateway.log'), 'utf8') : '');
const [, gatewayAddress] = await waitForLine(log, /event=listening address=(\S+)/, 'the gateway');
const gatewayUrl = `http://${gatewayAddress}`;

const body = join(work, 'turn.json');
writeFileSync(body, JSON.stringify({ model: 'gpt-5.5', stream: true, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }] }));
const loadgen = (url, headers, connections) => {
  const args = ['--url', url, '--body-file', body, '--connections', String(connections), '--duration', String(seconds), '--warmup', '2',
    '--header', 'Content-Type: application/json', ...headers.flatMap((h) => ['--header', h])];
  const result = spawnSync(bin('sluice-loadgen'), args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`loadgen failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
};

const rows = [];
for (const connections of [1, 32]) {
  const direct = loadgen(`${upstream}/backend-api/codex/responses`, ['Authorization: Bearer tok-a', 'chatgpt-account-id: acct-a'], connections);
  const viaSluice = loadgen(`${gatewayUrl}/backend-api/codex/responses`, [`Authorization: Bearer ${key}`], connections);
  rows.push({ connections, direct, viaSluice });
}
gateway.kill('SIGTERM');
emulator.kill('SIGTERM');

const ms = (us) => (us / 1000).toFixed(3);
const table = rows.map(({ connections, direct, viaSluice }) => `| ${connections} | ${direct.requests_per_s.toFixed(0)} | ${viaSluice.requests_per_s.toFixed(0)} | ${(viaSluice.requests_per_s / direct.requests_per_s * 100).toFixed(0)}% | ${ms(direct.latency_us.p50)} / ${ms(direct.latency_us.p99)} | ${ms(viaSluice.latency_us.p50)} / ${ms(viaSluice.latency_us.p99)} | **${ms(viaSluice.latency_us.p50 - direct.latency_us.p50)} / ${ms(viaSluice.latency_us.p99 - direct.latency_us.p99)}** | ${ms(viaSluice.first_byte_us.p50 - direct.first_byte_us.p50)} | ${direct.errors + viaSluice.errors} |`).join('\n');
const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown';
const section = `<!-- stream-latency:begin -->
## Stream latency (issue 3): Sluice vs. direct to the emulator

A 20-event SSE stream (\`response.created\` … 12 text deltas … \`response.completed\`), closed loop,
keep-alive, ${seconds} s per run after 2 s of warm-up. Sluice runs with everything on: Pool API key
auth, routing over 4 accounts (round robin), quota evidence, request logs to SQLite. Emulator,
gateway and load generator share the same ${cpus().length} cores, so absolute numbers are
pessimistic; the added latency is the difference measured in the same run.

| connections | direct req/s | via Sluice req/s | ratio | direct p50 / p99 (ms) | Sluice p50 / p99 (ms) | added p50 / p99 (ms) | added TTFB p50 (ms) | errors |
|---|---|---|---|---|---|---|---|---|
${table}

Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${new Date().toISOString().slice(0, 10)}.
Command: \`make bench\` (runs \`node bench/stream_latency.mjs build/release\`).
<!-- stream-latency:end -->`;

const docPath = join(repo, 'docs', 'benchmarks.md');
let doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n\nEvery figure here is written by a script in `bench/`, with the command that produced it.\n';
doc = doc.includes('<!-- stream-latency:begin -->')
  ? doc.replace(/<!-- stream-latency:begin -->[\s\S]*<!-- stream-latency:end -->/, section)
  : `${doc.trimEnd()}\n\n${section}\n`;
writeFileSync(docPath, doc);
console.log(section);
rmSync(work, { recursive: true, force: true });
