// Sluice side by side with direct-to-upstream, nginx and the Portkey gateway, all on loopback in
// one run: small JSON and 20-event SSE turns at concurrency 1 and 32, thousands of slow streams
// held open, memory idle and under load, CPU per 1,000 requests. Writes the "gateway comparison"
// section of docs/benchmarks.md.
//   node bench/gateway_comparison.mjs <release build dir>     (run by `make bench`)
// Environment: BENCH_SECONDS (10) per closed-loop run, BENCH_HOLD_SECONDS (60) per slow stream,
// BENCH_STREAMS (1000,5000) concurrent slow streams, BENCH_ACCOUNTS (1000) in Sluice's pool,
// BENCH_MAX_LOAD (1.5): the 1-minute load average to wait for before measuring.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, startSluice, startNginx, startPortkey } from './harness/targets.mjs';
import { holdStreams } from './harness/slow_streams.mjs';
import { loadgen, waitForQuiet, machineFacts, formatLoad } from './harness/measure.mjs';
import { memory, sleep } from './harness/processes.mjs';
import { renderComparison } from './harness/comparison_report.mjs';
import { writeSection } from './harness/doc_sections.mjs';

const build = resolve(process.argv[2] ?? 'build/release');
const repo = resolve(new URL('..', import.meta.url).pathname);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const holdSeconds = Number(process.env.BENCH_HOLD_SECONDS ?? 60);
const streamCounts = (process.env.BENCH_STREAMS ?? '1000,5000').split(',').map(Number);
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const work = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
const mostStreams = Math.max(...streamCounts);

const turn = (stream) => JSON.stringify({ model: 'gpt-5.5', stream, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }] });
writeFileSync(join(work, 'json.json'), turn(false));
writeFileSync(join(work, 'sse.json'), turn(true));

const loadAtStart = await waitForQuiet(Number(process.env.BENCH_MAX_LOAD ?? 1.5));
// Every stream through a proxy holds an emulator thread too, so the emulator needs one per
// stream of the largest workload, plus room for the proxies' spare keep-alive connections.
const direct = await startEmulator(build, work, { accounts, threads: mostStreams + 1024 });
const targets = [direct];
try {
  targets.push(await startNginx(work, direct.base, { connections: mostStreams + 1024 }));
  targets.push(await startSluice(build, work, direct.base, { accounts, maxThreads: mostStreams + 512 }));
  targets.push(await startPortkey(build, work, direct.base, repo));
  await sleep(3000);
  const idle = Object.fromEntries(targets.map((t) => [t.name, memory(t.pids())]));

  const runs = [];
  for (const [workload, bodyFile] of [['JSON', 'json.json'], ['SSE, 20 events', 'sse.json']]) {
    for (const connections of [1, 32]) {
      for (const target of targets) {
        const report = await loadgen(build, target, join(work, bodyFile), { connections, seconds, warmup: 2 });
        runs.push({ workload, connections, target: target.name, report });
        console.error(`${workload} c=${connections} ${target.name}: ${report.requests_per_s.toFixed(0)} req/s, p50 ${report.latency_us.p50.toFixed(0)} µs, errors ${report.errors}`);
      }
    }
  }

  await direct.setBehaviour({ event_delay: '1s', deltas: holdSeconds - 7 });
  const slow = [];
  for (const count of streamCounts) {
    for (const target of targets) {
      let peakMiB = memory(target.pids()).rssMiB;
      const sampler = setInterval(() => { peakMiB = Math.max(peakMiB, memory(target.pids()).rssMiB); }, 1000);
      const result = await holdStreams(target, turn(true), { count, perSecond: 1000, firstEventMs: 5000, maxGapMs: 2000 });
      clearInterval(sampler);
      slow.push({ target: target.name, ...result, peakMiB });
      console.error(`${count} slow streams ${target.name}: ${result.stallFree} stall-free, ${result.failed} failed, peak RSS ${peakMiB.toFixed(0)} MiB`);
      await sleep(2000);
    }
  }
  const peak = Object.fromEntries(targets.map((t) => [t.name, memory(t.pids())]));

  const section = renderComparison({
    runs, slow, idle, peak, seconds, holdSeconds, accounts,
    machine: machineFacts(), load: `${formatLoad(loadAtStart)} at the start, ${formatLoad(loadavg())} at the end`,
  });
  writeSection(join(repo, 'docs', 'benchmarks.md'), 'gateway-comparison', section);
  console.log(section);
} finally {
  for (const target of targets.reverse()) await target.stop();
  rmSync(work, { recursive: true, force: true });
}
