// order() of every built-in routing strategy at 10, 1,000 and 100,000 candidates (ring size 3),
// from the Google Benchmark binary of a release build. Writes the "strategy order" section of
// docs/benchmarks.md.
//   node bench/strategies/order_benchmark.mjs <release build dir>     (run by `make bench`)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';

const build = resolve(process.argv[2] ?? 'build/release');
const repo = resolve(new URL('../..', import.meta.url).pathname);
const binary = join(build, 'bin', 'sluice_strategy_order_bench');
const args = ['--benchmark_format=json', '--benchmark_repetitions=3', '--benchmark_report_aggregates_only=true'];
const run = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
const report = JSON.parse(run.stdout);

// Medians of the repetitions, in nanoseconds per call (wall clock and CPU), by benchmark
// (strategy, or the bare scan) and pool size.
const sizes = [10, 1000, 100000];
const medians = new Map();
for (const entry of report.benchmarks) {
  if (entry.aggregate_name !== 'median') continue;
  const [, kind, name, size] = /^(order|floor)\/([a-z_]+)\/(\d+)/.exec(entry.run_name);
  const key = kind === 'floor' ? 'floor' : name;
  if (!medians.has(key)) medians.set(key, {});
  medians.get(key)[Number(size)] = { real: entry.real_time, cpu: entry.cpu_time };
}
const us = (ns) => (ns / 1000).toFixed(ns < 10000 ? 3 : 1);
const cell = ({ real, cpu }) => `${us(real)} (${us(cpu)})`;
const verdict = ({ cpu }) => (cpu <= 2000 ? 'yes' : '**no**');
const row = (name, bySize, last) => `| ${name} | ${sizes.map((n) => cell(bySize[n])).join(' | ')} | ${last} |`;
const floor = medians.get('floor');
medians.delete('floor');
const rows = [...medians].map(([strategy, bySize]) => row(`\`${strategy}\``, bySize, verdict(bySize[1000])));
rows.push(row('*floor: one bare pass over the snapshot*', floor, '—'));
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown';
const buildType = readFileSync(join(build, 'CMakeCache.txt'), 'utf8').match(/^CMAKE_BUILD_TYPE:\w+=(.*)$/m)?.[1];
const section = `<!-- strategy-order:begin -->
## Routing strategies (issue 4): \`order()\` per request

One \`RoutingStrategy::order()\` call of each built-in strategy (ring size 3, first attempt),
median of 3 repetitions, in microseconds: wall clock, and CPU time in parentheses (the verdict
uses CPU time: the machine is shared). The pool has every field a strategy reads populated and
varied, 5% of accounts cooling down; \`weighted\` has its credit table sized for the pool.
Target: at most 2 µs at 1,000 candidates. The floor row reads three fields of every candidate
and keeps the least: no strategy that looks at every account can beat it, and one that makes
two or three passes (totals, then ranking) pays it two or three times.

| strategy | 10 | 1,000 | 100,000 | ≤ 2 µs at 1,000 |
|---|---|---|---|---|
${rows.join('\n')}

Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${load} at the end; ${buildType} build; ${new Date().toISOString().slice(0, 10)}.
Command: \`node bench/strategies/order_benchmark.mjs ${relative(repo, build) || '.'}\` (runs \`sluice_strategy_order_bench ${args.join(' ')}\`; also part of \`make bench\`).
<!-- strategy-order:end -->`;

const docPath = join(repo, 'docs', 'benchmarks.md');
let doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n\nEvery figure here is written by a script in `bench/`, with the command that produced it.\n';
doc = doc.includes('<!-- strategy-order:begin -->')
  ? doc.replace(/<!-- strategy-order:begin -->[\s\S]*<!-- strategy-order:end -->/, section)
  : `${doc.trimEnd()}\n\n${section}\n`;
writeFileSync(docPath, doc);
console.log(section);
