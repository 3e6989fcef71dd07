// Crowds of connections that cost a server without asking it for work: slowloris clients that
// send a request head one byte per second, and kept-alive clients that asked once and went quiet.
// Each crowd keeps its size: a connection the server closes is replaced, and counted.
import { connect } from 'node:net';
import { sleep } from './processes.mjs';

const slowHead = (host) => `POST /backend-api/codex/responses HTTP/1.1\r\nHost: ${host}\r\n`
  + `Content-Type: application/json\r\nAuthorization: Bearer ${'x'.repeat(4000)}\r\n\r\n`;

/// Keeps `count` connections open to `url`; `start(socket)` begins each one's conversation.
/// Returns { open(), closedByServer(), stop() }.
function crowd(url, count, perSecond, start) {
  const { hostname, port } = new URL(url);
  const sockets = new Set();
  let closedByServer = 0;
  let stopping = false;
  const open = () => {
    const socket = connect({ host: hostname, port: Number(port) });
    sockets.add(socket);
    socket.on('connect', () => start(socket, `${hostname}:${port}`));
    socket.resume();  // answers are read and dropped, so the server's close is seen
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      clearInterval(socket.trickle);
      if (!stopping) {
        ++closedByServer;
        setTimeout(open, 100);
      }
    });
  };
  const ramp = (async () => {
    for (let i = 0; i < count && !stopping; ++i) {
      open();
      if (i % perSecond === perSecond - 1) await sleep(1000);
    }
  })();
  return {
    ready: ramp,
    open: () => sockets.size,
    closedByServer: () => closedByServer,
    stop: () => {
      stopping = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}

/// Slowloris: every second one more byte of a request head that is never finished.
export function slowloris(url, count, { perSecond = 1000 } = {}) {
  return crowd(url, count, perSecond, (socket, host) => {
    const head = slowHead(host);
    let sent = 0;
    socket.trickle = setInterval(() => {
      if (sent < head.length) socket.write(head[sent++]);
    }, 1000);
  });
}

/// Kept-alive and idle: one health check answered, then nothing until the server closes it.
export function idleKeepAlive(url, count, { perSecond = 2000 } = {}) {
  return crowd(url, count, perSecond, (socket, host) => {
    socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  });
}
