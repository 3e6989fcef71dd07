// Soak: Sluice with everything on under steady load for BENCH_SOAK_MINUTES (10), alternating a
// minute of 20-event SSE turns and a minute of JSON turns at concurrency 32, with its VmRSS read
// after every minute. A leak shows as RSS that keeps climbing after the first minute (allocator
// arenas and caches fill during it). Writes the "soak" section of docs/benchmarks.md.
//   node bench/soak.mjs <release build dir>     (run by `make bench-soak`)
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, startSluice } from './harness/targets.mjs';
import { loadgen, waitForQuiet, machineFacts, formatLoad } from './harness/measure.mjs';
import { memory } from './harness/processes.mjs';
import { writeSection } from './harness/doc_sections.mjs';

const build = resolve(process.argv[2] ?? 'build/release');
const repo = resolve(new URL('..', import.meta.url).pathname);
const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const accounts = 1000;
// RSS may wobble by an allocator chunk or two; growth beyond this over the soak is a leak.
const toleranceMiB = 2;
const work = mkdtempSync(join(tmpdir(), 'sluice-soak-'));

const turn = (stream) => JSON.stringify({ model: 'gpt-5.5', stream, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }] });
writeFileSync(join(work, 'json.json'), turn(false));
writeFileSync(join(work, 'sse.json'), turn(true));

const loadAtStart = await waitForQuiet(Number(process.env.BENCH_MAX_LOAD ?? 1.5));
const emulator = await startEmulator(build, work, { accounts, threads: 256 });
const sluice = await startSluice(build, work, emulator.base, { accounts, maxThreads: 512 });
try {
  const idle = memory(sluice.pids()).rssMiB;
  const samples = [];
  let requests = 0;
  let errors = 0;
  for (let minute = 1; minute <= minutes; ++minute) {
    const body = join(work, minute % 2 ? 'sse.json' : 'json.json');
    const report = await loadgen(build, sluice, body, { connections: 32, seconds: 60, warmup: 0 });
    requests += report.requests;
    errors += report.errors;
    samples.push(memory(sluice.pids()).rssMiB);
    console.error(`minute ${minute}: ${report.requests_per_s.toFixed(0)} req/s, VmRSS ${samples.at(-1).toFixed(1)} MiB`);
  }
  const growth = samples.at(-1) - samples[0];
  const section = `## Soak (issue 8): Sluice's memory over ${minutes} minutes

Sluice with everything on (pool of ${accounts.toLocaleString('en')} accounts, as in the comparison above) under closed-loop
load at concurrency 32, alternating a minute of 20-event SSE turns and a minute of JSON turns;
VmRSS (MiB, \`/proc/PID/status\`) after each minute. Idle before the load: ${idle.toFixed(1)} MiB.

| minute | ${samples.map((_, i) => i + 1).join(' | ')} |
|---|${samples.map(() => '---').join('|')}|
| VmRSS | ${samples.map((v) => v.toFixed(1)).join(' | ')} |

${requests.toLocaleString('en')} requests, ${errors} errors. Growth from the end of minute 1 to the end: **${growth.toFixed(1)} MiB**
(target: none; more than ${toleranceMiB} MiB counts as growth): **${growth <= toleranceMiB ? 'met' : 'missed'}**.

Machine: ${machineFacts()}. Load average (1, 5, 15 min): ${formatLoad(loadAtStart)} at the start, ${formatLoad(loadavg())} at the end. ${new Date().toISOString().slice(0, 10)}.
Command: \`make bench-soak\` (runs \`node bench/soak.mjs build/release\`; \`BENCH_SOAK_MINUTES\` sets the length).`;
  writeSection(join(repo, 'docs', 'benchmarks.md'), 'soak', section);
  console.log(section);
} finally {
  await sluice.stop();
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}
