// Instructions per request: Sluice with everything on (the comparison's pool of 1,000 accounts)
// under valgrind's callgrind, counting the instructions of every Sluice thread (request threads,
// the request-log writer, background refreshes) over closed-loop JSON turns at concurrency 1,
// divided by the turns served. Unlike times, the count does not depend on what else the shared
// machine is doing, so it shows what a change to the request path saves. Writes the
// "instructions" section of docs/benchmarks.md.
//   node bench/instructions_per_request.mjs <release build dir>     (run by `make bench`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, startSluice } from './harness/targets.mjs';
import { loadgen, machineFacts } from './harness/measure.mjs';
import { writeSection } from './harness/doc_sections.mjs';

const build = resolve(process.argv[2] ?? 'build/release');
const repo = resolve(new URL('..', import.meta.url).pathname);
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const work = mkdtempSync(join(tmpdir(), 'sluice-instructions-'));
const body = join(work, 'json.json');
writeFileSync(body, JSON.stringify({ model: 'gpt-5.5', stream: false, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }] }));

// Where the instructions go: inclusive counts of these functions. Request-thread work is counted
// per turn; the writer's per-row cost falls as its batches grow with the turn rate, and the
// directory refresh runs on a timer, so those are shown per second of the run as well.
const parts = [
  ['request threads: HTTP in and out, auth, admission, routing, relay', 'RequestHandler::handleRequest('],
  ['… of which route planning over the pool', 'RoutePlanner::plan('],
  ['… of which the upstream exchange (request, response, usage)', 'UpstreamAttempt::run('],
  ['request-log writer: SQLite rows, usage roll-up, trace JSON', 'RequestLogWriter::writeBatch('],
  ['account directory refresh (a timer, every 2 s)', 'Directory::refreshNow('],
];

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const emulator = await startEmulator(build, work, { accounts, threads: 64 });
const imported = await startSluice(build, work, emulator.base, { accounts, maxThreads: 512 });
const profile = join(work, 'callgrind.out');
const sluice = await imported.relaunch(['valgrind', '--tool=callgrind', `--callgrind-out-file=${profile}`]);
try {
  await loadgen(build, sluice, body, { connections: 1, seconds: 5, warmup: 0 });  // warm caches and connections
  const [pid] = sluice.pids();
  run('callgrind_control', ['--zero', String(pid)]);
  const report = await loadgen(build, sluice, body, { connections: 1, seconds, warmup: 0 });
  run('callgrind_control', ['--dump', String(pid)]);
  const dump = readdirSync(work).filter((name) => name.startsWith('callgrind.out')).sort().at(-1);
  const annotated = run('callgrind_annotate', ['--inclusive=yes', '--threshold=100', join(work, dump)]);
  const count = (needle) => {
    const line = annotated.split('\n').find((text) => needle === null ? text.includes('PROGRAM TOTALS') : text.includes(needle));
    return line ? Number(line.trim().split(' ')[0].replaceAll(',', '')) : 0;
  };
  const per = (total, n) => Math.round(total / n).toLocaleString('en');
  const rows = [...parts.map(([what, needle]) => [what, count(needle)]), ['all of Sluice', count(null)]];
  const section = `## Instructions per request (issue 8)

Sluice with everything on (pool of ${accounts.toLocaleString('en')} accounts, round robin, SQLite request logs) under
\`valgrind --tool=callgrind\`; ${report.requests.toLocaleString('en')} closed-loop JSON turns at concurrency 1 after a warm-up, instructions
counted per Sluice thread over ${seconds} s. Callgrind counts instructions, not time: the request-thread
figure repeats on a busy machine, so it is the one to compare between commits. The writer and the
timers do not scale with turns (valgrind slows Sluice about fifty-fold, so its batches are small).

| where | instructions per turn | instructions per second |
|---|---|---|
${rows.map(([what, total]) => `| ${what} | ${per(total, report.requests)} | ${per(total, seconds)} |`).join('\n')}

Machine: ${machineFacts()}. ${new Date().toISOString().slice(0, 10)}.
Command: \`node bench/instructions_per_request.mjs build/release\` (part of \`make bench\`).`;
  writeSection(join(repo, 'docs', 'benchmarks.md'), 'instructions', section);
  console.log(section);
} finally {
  await sluice.stop();
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}
