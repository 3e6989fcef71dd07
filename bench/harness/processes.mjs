// Starting, watching and stopping the processes a benchmark measures, and reading their memory
// and CPU from /proc (summed over a process and its children, e.g. nginx's workers).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const ticksPerSecond = 100;  // USER_HZ; 100 on every Linux the project targets

// Whatever the harness started dies with it, even when it is interrupted or fails half-way.
const running = new Set();
process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/// Starts `command` with a raised open-file limit (thousands of streams need thousands of sockets).
export function launch(command, args, { env = process.env, logFile } = {}) {
  const quoted = [command, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  const redirect = logFile ? ` >>'${logFile}' 2>&1` : '';
  const child = spawn('bash', ['-c', `ulimit -n $(ulimit -Hn) && exec ${quoted}${redirect}`],
    { env, stdio: ['ignore', logFile ? 'ignore' : 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (data) => { output += data; });
  child.output = () => output;
  return child;
}

/// Resolves with the match once `read()` matches `pattern`; rejects after `timeoutMs`.
export function waitFor(read, pattern, what, timeoutMs = 20000) {
  return new Promise((resolvePromise, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      const match = pattern.exec(read());
      if (match) return resolvePromise(match);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

export const sleep = (ms) => new Promise((resolvePromise) => { setTimeout(resolvePromise, ms); });

function childrenOf(pid) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/// The process and all its descendants.
export function processTree(pid) {
  const tree = [pid];
  for (let i = 0; i < tree.length; ++i) tree.push(...childrenOf(tree[i]));
  return tree;
}

function statusKiB(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/// Resident memory in MiB, summed over the tree: the current VmRSS and the high-water mark VmHWM.
export function memory(pids) {
  const sum = (field) => pids.reduce((total, pid) => total + statusKiB(pid, field), 0) / 1024;
  return { rssMiB: sum('VmRSS'), peakMiB: sum('VmHWM') };
}

/// CPU seconds (user + system) used so far, summed over the tree.
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);  // utime, stime
  }
  return ticks / ticksPerSecond;
}

/// Sends SIGTERM and waits (up to 10 s) for the process to exit.
export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolvePromise) => { child.once('exit', resolvePromise); });
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
