// The markdown of the "gateway comparison" section: the measured tables, the issue-8 targets
// with a verdict each, the machine and the commands.

const ms = (us) => (us / 1000).toFixed(3);
const pct = (part, whole) => (whole > 0 ? `${(part / whole * 100).toFixed(0)}%` : '—');
const times = (part, whole) => (whole > 0 && part !== null ? `${(part / whole).toFixed(2)}×` : '—');
const mib = (value) => value.toFixed(1);
const verdict = (met) => (met ? 'met' : '**missed**');

function closedLoopTable(runs) {
  const find = (workload, connections, name) => runs.find((r) => r.workload === workload && r.connections === connections && r.target === name)?.report;
  const rows = runs.map(({ workload, connections, target, report }) => {
    const direct = find(workload, connections, 'direct');
    const nginx = find(workload, connections, 'nginx');
    const isDirect = target === 'direct';
    if (report.requests === 0) {
      return `| ${workload} | ${connections} | ${target} | 0 | — | — | — | — | — | — | — | — | ${report.errors} |`;
    }
    const added = isDirect ? '—' : `${ms(report.latency_us.p50 - direct.latency_us.p50)} / ${ms(report.latency_us.p99 - direct.latency_us.p99)}`;
    const addedTtfb = isDirect ? '—' : ms(report.first_byte_us.p50 - direct.first_byte_us.p50);
    const cpu = report.cpuMsPer1k === null ? '—' : report.cpuMsPer1k.toFixed(0);
    return `| ${workload} | ${connections} | ${target} | ${report.requests_per_s.toFixed(0)} | ${pct(report.requests_per_s, direct.requests_per_s)} | ${pct(report.requests_per_s, nginx.requests_per_s)} `
      + `| ${ms(report.latency_us.p50)} / ${ms(report.latency_us.p99)} | ${added} | ${addedTtfb} | ${cpu} | ${times(report.cpuMsPer1k, direct.cpuMsPer1k)} | ${times(report.cpuMsPer1k, nginx.cpuMsPer1k)} | ${report.errors} |`;
  });
  return ['| workload | c | target | req/s | of direct | of nginx | p50 / p99 (ms) | added p50 / p99 (ms) | added TTFB p50 (ms) | CPU ms per 1,000 req | CPU × direct | CPU × nginx | errors |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

function slowTable(slow) {
  const nginxPeak = (streams) => slow.find((s) => s.streams === streams && s.target === 'nginx')?.peakMiB ?? 0;
  const directPeak = (streams) => slow.find((s) => s.streams === streams && s.target === 'direct')?.peakMiB ?? 0;
  const rows = slow.map((s) => `| ${s.streams} | ${s.target} | ${s.stallFree} | ${s.failed} | ${(s.worstFirstEventMs / 1000).toFixed(2)} | ${(s.worstGapMs / 1000).toFixed(2)} | ${mib(s.peakMiB)} | ${times(s.peakMiB, directPeak(s.streams))} | ${times(s.peakMiB, nginxPeak(s.streams))} |`);
  return ['| streams | target | stall-free | failed (not 200) | slowest first event (s) | worst gap (s) | peak RSS (MiB) | RSS × direct | RSS × nginx |',
    '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

function memoryTable(idle, peak) {
  const rows = Object.keys(idle).map((name) => `| ${name} | ${mib(idle[name].rssMiB)} | ${times(idle[name].rssMiB, idle.direct.rssMiB)} | ${times(idle[name].rssMiB, idle.nginx.rssMiB)} | ${mib(peak[name].peakMiB)} |`);
  return ['| target | idle RSS (MiB) | × direct | × nginx | high-water mark over the whole run, VmHWM (MiB) |',
    '|---|---|---|---|---|', ...rows].join('\n');
}

function targetsTable({ runs, slow, idle }) {
  const report = (workload, connections, name) => runs.find((r) => r.workload === workload && r.connections === connections && r.target === name)?.report;
  const added = (workload, p) => report(workload, 1, 'Sluice').latency_us[p] - report(workload, 1, 'direct').latency_us[p];
  const share = (workload, other) => report(workload, 32, 'Sluice').requests_per_s / report(workload, 32, other).requests_per_s;
  const portkeyServed = (workload) => report(workload, 32, 'Portkey').requests > 0;
  const most = slow.filter((s) => s.target === 'Sluice').sort((a, b) => b.streams - a.streams)[0];
  const rows = [];
  for (const workload of ['JSON', 'SSE, 20 events']) {
    rows.push(`| added p50 at c=1, ${workload} | ≤ 0.1 ms | ${ms(added(workload, 'p50'))} ms | ${verdict(added(workload, 'p50') <= 100)} |`);
    rows.push(`| added p99 at c=1, ${workload} | ≤ 0.5 ms | ${ms(added(workload, 'p99'))} ms | ${verdict(added(workload, 'p99') <= 500)} |`);
    rows.push(`| req/s at c=32 vs nginx, ${workload} | ≥ 50% | ${(share(workload, 'nginx') * 100).toFixed(0)}% | ${verdict(share(workload, 'nginx') >= 0.5)} |`);
    rows.push(portkeyServed(workload)
      ? `| req/s at c=32 vs Portkey, ${workload} | ≥ 10× | ${share(workload, 'Portkey').toFixed(1)}× | ${verdict(share(workload, 'Portkey') >= 10)} |`
      : `| req/s at c=32 vs Portkey, ${workload} | ≥ 10× | Portkey served none (see below) | n/a |`);
  }
  rows.push(`| stall-free SSE streams, RSS | ≥ 5,000, ≤ 512 MiB | ${most.stallFree} of ${most.streams}, ${mib(most.peakMiB)} MiB | ${verdict(most.stallFree >= 5000 && most.peakMiB <= 512)} |`);
  rows.push(`| idle RSS | ≤ 40 MiB | ${mib(idle.Sluice.rssMiB)} MiB | ${verdict(idle.Sluice.rssMiB <= 40)} |`);
  return ['| target (issue 8) | goal | Sluice | verdict |', '|---|---|---|---|', ...rows].join('\n');
}

export function renderComparison({ runs, slow, idle, peak, seconds, holdSeconds, accounts, machine, load }) {
  return `## Gateway comparison (issue 8): Sluice vs. direct, nginx and Portkey

Four targets, started by the script on 127.0.0.1 and measured in the same run (the machine is
shared and noisy: compare rows of one run, not runs): **direct** to the C++ upstream emulator;
**nginx** (Debian, \`worker_processes auto\`, keep-alive upstream, \`proxy_buffering off\`, access
log on); **Sluice** with everything on (Pool API key auth, round-robin routing over a pool of
${accounts.toLocaleString('en')} accounts, accounting and quota evidence, usage probes, request logs
in SQLite); **Portkey** gateway 1.15.2 (npm, Node ${process.version}; its \`openai\` provider with
\`x-portkey-custom-host\` proxies \`POST /v1/responses\` to the emulator's Codex
\`/backend-api/codex/responses\`). The emulator, the targets and the load generator share the
same cores, so absolute numbers are pessimistic.

Closed-loop turns (\`sluice-loadgen\`, keep-alive, ${seconds} s after 2 s of warm-up): **JSON** is a
Codex turn with \`"stream": false\` (one JSON response object); **SSE** the 20-event stream
(\`response.created\` … 12 text deltas … \`response.completed\`). "Added" is the difference to
direct in the same run. CPU is the target's own user + system time from \`/proc/PID/stat\`
(for direct: the emulator's), per 1,000 requests.

${closedLoopTable(runs)}

Slow streams: each stream is one SSE turn whose events come one per second for ${holdSeconds} s, opened at
1,000 a second and held concurrently; stall-free means HTTP 200, the first event within 5 s of
the request, every later event within 2 s of the one before, and \`response.completed\` reached.
(Sluice holds \`response.created\` and \`response.in_progress\` until the first visible event,
so that it can still fail over: its first byte comes with the third event, 2 s in.) Peak RSS is the
largest VmRSS sampled each second during the run (nginx: master and workers).

${slowTable(slow)}

Memory (\`/proc/PID/status\`): idle after start-up (Sluice with its ${accounts.toLocaleString('en')} accounts
loaded), and the high-water mark at the end of everything above.

${memoryTable(idle, peak)}

${targetsTable({ runs, slow, idle })}

Portkey's streamed turns answer HTTP 500: the gateway logs \`TypeError: immutable\` from
\`Headers.append\` while adding its \`x-portkey-*\` headers; a streamed \`/v1/responses\` answer
reaches that step as the upstream's own \`fetch\` Response, whose headers Node makes immutable.
Its SSE and slow-stream rows therefore show errors, not figures; Portkey has no other path to a
Codex-style upstream (the emulator speaks only the Codex backend, not chat completions).

Machine: ${machine}. Load average (1, 5, 15 min): ${load}. ${new Date().toISOString().slice(0, 10)}.
Command: \`make bench\` (runs \`./packaging/install-deps.sh --bench\`,
\`bench/portkey/install-portkey.sh build/release/portkey\`, then
\`node bench/gateway_comparison.mjs build/release\`).`;
}
