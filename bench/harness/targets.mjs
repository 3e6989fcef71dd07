// The four things `make bench` measures, each started on loopback in a scratch directory: the
// emulator (the upstream, and "direct"), Sluice with everything on, nginx as a plain reverse
// proxy and the Portkey gateway. Each target says how to send a Codex turn through it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { launch, waitFor, processTree, stop } from './processes.mjs';

export const responsesPath = '/backend-api/codex/responses';
const accountId = (i) => `acct-${String(i).padStart(4, '0')}`;
const token = (i) => `tok-${String(i).padStart(4, '0')}`;

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

const target = (name, child, url, path, headers) => ({
  name, url: `${url}${path}`, headers, pids: () => processTree(child.pid), stop: () => stop(child),
});

/// The emulator with `accounts` accounts; "direct" talks to it as the first account.
export async function startEmulator(build, work, { accounts, threads }) {
  const script = join(work, 'emulator.yaml');
  const lines = Array.from({ length: accounts }, (_, i) =>
    `  - { id: ${accountId(i)}, access_token: ${token(i)}, behaviour: { mode: normal, deltas: 12 } }`);
  writeFileSync(script, `server: { threads: ${threads}, recording_capacity: 0 }\naccounts:\n${lines.join('\n')}\n`);
  const child = launch(join(build, 'bin', 'sluice-emulator'), ['--port', '0', '--script', script]);
  const [, address] = await waitFor(child.output, /listening (\S+)/, 'the emulator');
  const url = `http://${address}`;
  const direct = target('direct', child, url, responsesPath, [`Authorization: Bearer ${token(0)}`, `chatgpt-account-id: ${accountId(0)}`]);
  direct.base = url;
  /// Merges `behaviour` (script keys, e.g. { event_delay: '1s' }) into every account's behaviour.
  direct.setBehaviour = async (behaviour) => {
    for (let i = 0; i < accounts; ++i) {
      const response = await fetch(`${url}/__emulator/accounts/${accountId(i)}/behaviour`, {
        method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(behaviour),
      });
      if (!response.ok) throw new Error(`emulator behaviour: ${response.status} ${await response.text()}`);
    }
  };
  return direct;
}

/// Sluice with auth, round-robin routing over every emulator account (imported through the admin
/// API), accounting, quota probes and request logs in SQLite.
export async function startSluice(build, work, upstream, { accounts, maxThreads }) {
  const dir = join(work, 'sluice');
  mkdirSync(dir);
  const env = { ...process.env, SLUICE_SECRET_KEY: randomBytes(32).toString('base64') };
  const config = join(dir, 'sluice.yaml');
  const log = join(dir, 'gateway.log');
  writeFileSync(config, `version: 1
server: { listen: "127.0.0.1:0", max_threads: ${maxThreads}, max_queued: 8192 }
plugins: { paths: [${JSON.stringify(join(build, 'plugins'))}], load: [storage-sqlite, strategy-builtin, route-codex, route-admin] }
storage: { type: sqlite, config: { path: ${JSON.stringify(join(dir, 'sluice.db'))} } }
secrets: { key#env: SLUICE_SECRET_KEY }
upstream: { chatgpt_base_url: "${upstream}", auth_base_url: "${upstream}" }
logging: { level: info, file: ${JSON.stringify(log)} }
strategies: { rotate: { type: round_robin } }
pools: { team: { strategy: rotate, ring_size: 3 } }
routes: [ { family: codex_backend }, { family: admin } ]
`);
  const cli = (...args) => {
    const result = spawnSync(join(build, 'bin', 'sluice'), [...args, '--config', config], { env, encoding: 'utf8', timeout: 60000 });
    if (result.status !== 0) throw new Error(`sluice ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim().split('\n').pop();
  };
  const key = cli('key', 'create', '--pool', 'team', '--name', 'bench');
  const adminToken = cli('admin-token', 'create', '--name', 'bench');
  const read = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  // Starts `sluice serve`, optionally under a wrapper command (valgrind); resolves with its URL.
  const serve = async (wrapper = []) => {
    const listened = (read().match(/event=listening/g) ?? []).length;
    const [command, ...args] = [...wrapper, join(build, 'bin', 'sluice'), 'serve', '--config', config];
    const started = launch(command, args, { env, logFile: join(dir, 'stderr.log') });
    const lines = () => read().split('\n').filter((line) => line.includes('event=listening')).slice(listened).join('\n');
    const [, address] = await waitFor(lines, /event=listening address=(\S+)/, 'Sluice', wrapper.length ? 300000 : 20000);
    return { child: started, url: `http://${address}` };
  };
  const { child, url } = await serve();
  for (let i = 0; i < accounts; ++i) {
    const authJson = JSON.stringify({ tokens: { access_token: token(i), refresh_token: `rt-${i}`, account_id: accountId(i) } });
    const response = await fetch(`${url}/admin/api/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pool: 'team', auth_json: authJson, label: accountId(i) }),
    });
    if (response.status !== 201) throw new Error(`account import: ${response.status} ${await response.text()}`);
  }
  const sluice = target('Sluice', child, url, responsesPath, [`Authorization: Bearer ${key}`]);
  /// Stops this Sluice and starts it again on the same database under `wrapper`; returns the new target.
  sluice.relaunch = async (wrapper) => {
    await stop(child);
    const again = await serve(wrapper);
    return target('Sluice', again.child, again.url, responsesPath, [`Authorization: Bearer ${key}`]);
  };
  return sluice;
}

/// nginx from Debian as a plain reverse proxy: keep-alive to the upstream, no buffering (so SSE
/// flows through as it arrives), access log on as shipped.
export async function startNginx(work, upstream, { connections }) {
  const dir = join(work, 'nginx');
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile ${connections * 3};
events { worker_connections ${connections * 3}; }
http {
  access_log ${dir}/access.log combined buffer=64k flush=1s;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  upstream emulator { server ${upstream.replace('http://', '')}; keepalive 256; }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      proxy_pass http://emulator;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 300s;
    }
  }
}
`);
  const child = launch('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;']);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => (existsSync(join(dir, 'nginx.pid')) ? 'up' : ''), /up/, 'nginx');
  return target('nginx', child, url, responsesPath, [`Authorization: Bearer ${token(0)}`, `chatgpt-account-id: ${accountId(0)}`]);
}

/// The Portkey gateway (npm, pinned in bench/portkey) on loopback. Its OpenAI provider with a
/// custom host proxies POST /v1/responses to <custom host>/responses: the emulator's Codex path.
export async function startPortkey(build, work, upstream, repo) {
  const port = await freePort();
  const server = join(build, 'portkey', 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
  const child = launch(process.execPath, ['--import', join(repo, 'bench', 'portkey', 'bind_loopback.mjs'), server, `--port=${port}`, '--headless'],
    { logFile: join(work, 'portkey.log') });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => (existsSync(join(work, 'portkey.log')) ? readFileSync(join(work, 'portkey.log'), 'utf8') : ''), /Ready for connections/, 'Portkey');
  return target('Portkey', child, url, '/v1/responses', [
    'x-portkey-provider: openai', `x-portkey-custom-host: ${upstream}/backend-api/codex`,
    'x-portkey-forward-headers: chatgpt-account-id',
    `Authorization: Bearer ${token(0)}`, `chatgpt-account-id: ${accountId(0)}`,
  ]);
}
