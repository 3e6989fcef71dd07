// One measured run: the closed-loop load generator against a target, with the target's CPU time
// over the run; and the machine facts and quiet-machine check every recorded figure comes with.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, sleep } from './processes.mjs';

/// Runs sluice-loadgen; returns its JSON report plus `cpuMsPer1k`: the target's CPU milliseconds
/// per 1,000 requests (warm-up included in neither count: both are taken over the whole run and
/// scaled by the share of requests measured). Asynchronous, so the harness's own sockets (the
/// crowds of idle_clients.mjs) keep moving while it runs.
export async function loadgen(build, target, bodyFile, { connections, seconds, warmup }) {
  const cpuBefore = cpuSeconds(target.pids());
  const args = ['--url', target.url, '--body-file', bodyFile, '--connections', String(connections),
    '--duration', String(seconds), '--warmup', String(warmup),
    '--header', 'Content-Type: application/json', ...target.headers.flatMap((h) => ['--header', h])];
  const result = await promisify(execFile)(join(build, 'bin', 'sluice-loadgen'), args,
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const cpuUsed = cpuSeconds(target.pids()) - cpuBefore;
  const report = JSON.parse(result.stdout);
  const requestsOverall = report.requests_per_s * (seconds + warmup);
  report.cpuMsPer1k = requestsOverall > 0 ? (cpuUsed * 1000) / requestsOverall * 1000 : null;
  return report;
}

/// Waits (up to `maxWaitS`) until the 1-minute load average is at most `limit`: the machine is
/// shared, and numbers from a busy one say little. Returns the load average it started with.
export async function waitForQuiet(limit, maxWaitS = 600) {
  const deadline = Date.now() + maxWaitS * 1000;
  while (loadavg()[0] > limit && Date.now() < deadline) {
    console.error(`load average ${loadavg()[0].toFixed(2)} > ${limit}; waiting`);
    await sleep(15000);
  }
  return loadavg();
}

export function machineFacts() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown';
  // nginx is there when `make bench` installed it; a scenario without it names no version.
  const nginx = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr?.trim().replace('nginx version: ', '');
  const debian = readFileSync('/etc/debian_version', 'utf8').trim();
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Debian ${debian}; `
    + `Node ${process.version}${nginx ? `; ${nginx}` : ''}`;
}

export const formatLoad = (avg) => avg.map((v) => v.toFixed(2)).join(' ');
