// A line-oriented JSON-RPC session with the real `codex app-server` (npm @openai/codex; no
// "jsonrpc" field, codex-protocol §9.2), egress guarded to loopback.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { paths } from './harness.mjs';

export class AppServer {
  // home: the CODEX_HOME (config.toml, auth.json); env: more environment variables.
  constructor(home, env = {}) {
    this.child = spawn(join(paths.nodeModules(), '.bin', 'codex'), ['app-server'], {
      env: {
        ...process.env,
        CODEX_HOME: home,
        CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'http://127.0.0.1:9/oauth/token',
        HTTPS_PROXY: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
        NO_PROXY: '127.0.0.1,localhost',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.pending = new Map();
    this.notifications = [];
    this.waiters = [];
    this.stderr = '';
    this.child.stderr.on('data', (chunk) => { this.stderr += chunk; });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.receive(JSON.parse(line)));
    this.nextId = 1;
  }

  receive(message) {
    if (message.id !== undefined && this.pending.has(message.id)) {
      this.pending.get(message.id)(message);
      this.pending.delete(message.id);
      return;
    }
    if (message.method !== undefined && message.id === undefined) {
      this.notifications.push(message);
      this.waiters = this.waiters.filter((waiter) => !waiter(message));
    }
  }

  call(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out:\n${this.stderr}`)), 30_000);
      this.pending.set(id, (message) => { clearTimeout(timer); resolve(message); });
      this.child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  notify(method) {
    this.child.stdin.write(`${JSON.stringify({ method })}\n`);
  }

  // The first notification (already received or to come) `method` for which `match` holds.
  notification(method, match = () => true, ms = 60_000) {
    const seen = this.notifications.find((message) => message.method === method && match(message.params));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} in time:\n${this.stderr}`)), ms);
      this.waiters.push((message) => {
        if (message.method !== method || !match(message.params)) return false;
        clearTimeout(timer);
        resolve(message);
        return true;
      });
    });
  }

  async initialize() {
    const init = await this.call('initialize', { clientInfo: { name: 'sluice-e2e', title: 'Sluice e2e', version: '0.0.1' } });
    if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init)}\n${this.stderr}`);
    this.notify('initialized');
  }

  stop() {
    this.child.kill('SIGTERM');
  }
}
