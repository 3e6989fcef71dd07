// A client's JSON turns through Sluice while 2,000 slowloris connections (a request head, one
// byte a second) and 10,000 idle kept-alive connections are open, against the same turns on a
// quiet gateway (issue 19). Writes the "slow clients" section of docs/benchmarks.md.
//   node bench/slow_clients.mjs <release build dir>     (run by `make bench`)
// Environment: BENCH_SECONDS (10) per closed-loop run, BENCH_SLOWLORIS (2000), BENCH_IDLE (10000),
// BENCH_MAX_LOAD (1.5): the 1-minute load average to wait for before measuring.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, startSluice } from './harness/targets.mjs';
import { slowloris, idleKeepAlive } from './harness/idle_clients.mjs';
import { loadgen, waitForQuiet, machineFacts, formatLoad } from './harness/measure.mjs';
import { memory, sleep } from './harness/processes.mjs';
import { writeSection } from './harness/doc_sections.mjs';

const build = resolve(process.argv[2] ?? 'build/release');
const repo = resolve(new URL('..', import.meta.url).pathname);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const slowCount = Number(process.env.BENCH_SLOWLORIS ?? 2000);
const idleCount = Number(process.env.BENCH_IDLE ?? 10000);
const work = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
writeFileSync(join(work, 'json.json'), JSON.stringify({
  model: 'gpt-5.5', stream: false,
  input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }],
}));

const loadAtStart = await waitForQuiet(Number(process.env.BENCH_MAX_LOAD ?? 1.5));
const direct = await startEmulator(build, work, { accounts: 10, threads: 256 });
let sluice;
try {
  sluice = await startSluice(build, work, direct.base, { accounts: 10, maxThreads: 512 });
  const turns = async (label) => {
    const report = await loadgen(build, sluice, join(work, 'json.json'), { connections: 1, seconds, warmup: 2 });
    console.error(`${label}: p50 ${report.latency_us.p50} µs, p99 ${report.latency_us.p99} µs, errors ${report.errors}`);
    return report;
  };
  const quiet = await turns('quiet');
  const quietMiB = memory(sluice.pids()).rssMiB;

  const slow = slowloris(sluice.url, slowCount);
  const idle = idleKeepAlive(sluice.url, idleCount);
  await Promise.all([slow.ready, idle.ready]);
  await sleep(3000);
  const held = { slow: slow.open(), idle: idle.open() };
  const crowded = await turns('crowded');
  const crowdedMiB = memory(sluice.pids()).rssMiB;
  const closed = { slow: slow.closedByServer(), idle: idle.closedByServer() };
  slow.stop();
  idle.stop();

  const row = (name, r, mib) => `| ${name} | ${r.requests_per_s.toFixed(0)} | ${(r.latency_us.p50 / 1000).toFixed(3)} `
    + `| ${(r.latency_us.p99 / 1000).toFixed(3)} | ${r.errors} | ${mib.toFixed(1)} |`;
  const ratio = crowded.latency_us.p99 / quiet.latency_us.p99;
  const section = `## Slow clients (issue 19): JSON turns beside slowloris and idle connections

\`make bench\` (\`node bench/slow_clients.mjs build/release\`), ${new Date().toISOString().slice(0, 10)}.
${machineFacts()}; load ${formatLoad(loadAtStart)} at the start, ${formatLoad(loadavg())} at the end.
One client sends small JSON turns (c=1, ${seconds} s after a 2 s warm-up) through Sluice to the
emulator, first on a quiet gateway, then while ${slowCount} slowloris connections (a request head,
one byte a second) and ${idleCount} idle kept-alive connections (one health check, then silence)
are open. A connection Sluice closes is replaced at once, so the crowds keep their size; the
slowloris ones are closed by the ${'`server.header_timeout`'} (10 s by default).

| run | req/s | p50 (ms) | p99 (ms) | errors | Sluice RSS (MiB) |
|---|---|---|---|---|---|
${row('quiet', quiet, quietMiB)}
${row(`${held.slow} slowloris + ${held.idle} idle open`, crowded, crowdedMiB)}

Connections Sluice closed while the crowds were open: ${closed.slow} slowloris, ${closed.idle} idle.
p99 crowded / quiet: ${ratio.toFixed(2)}× (target ≤ 2×: **${ratio <= 2 && crowded.errors === 0 ? 'met' : 'missed'}**).`;
  writeSection(join(repo, 'docs', 'benchmarks.md'), 'slow-clients', section);
  console.log(section);
} finally {
  if (sluice) await sluice.stop();
  await direct.stop();
  rmSync(work, { recursive: true, force: true });
}
