// Holds many long SSE streams open at once (one raw socket each, so thousands cost the client
// little) and counts the stall-free ones: HTTP 200, the first event within `firstEventMs` of the
// request, every later one within `maxGapMs` of the one before it, and the stream reaching
// `response.completed`. The first event gets its own bound because a gateway may rightly hold
// bookkeeping events (Sluice keeps `response.created` until output is visible, so it can still
// fail over).
import { connect } from 'node:net';
import { sleep } from './processes.mjs';

function holdStream(url, headers, body, { firstEventMs, maxGapMs }) {
  return new Promise((resolvePromise) => {
    const { hostname, port, pathname } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    const result = { status: 0, events: 0, firstEventMs: 0, maxGapMs: 0, completed: false };
    let last = Date.now();
    let head = '';
    let headDone = false;
    let previousChar = '';
    let tail = '';
    socket.setNoDelay(true);
    socket.on('connect', () => {
      last = Date.now();
      socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n`
        + `${headers.map((h) => `${h}\r\n`).join('')}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    socket.on('data', (chunk) => {
      let text = chunk.toString('latin1');
      if (!headDone) {
        head += text;
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        headDone = true;
        result.status = Number(head.slice(9, 12));
        text = head.slice(end + 4);
      }
      for (const char of text) {
        if (char === '\n' && previousChar === '\n') {
          const now = Date.now();
          if (result.events === 0) result.firstEventMs = now - last;
          else result.maxGapMs = Math.max(result.maxGapMs, now - last);
          last = now;
          ++result.events;
        }
        if (char !== '\r') previousChar = char;
      }
      tail = (tail + text).slice(-4096);
      if (tail.includes('response.completed')) result.completed = true;
    });
    const finish = () => {
      result.stallFree = result.status === 200 && result.completed
        && result.firstEventMs <= firstEventMs && result.maxGapMs <= maxGapMs;
      resolvePromise(result);
    };
    socket.on('close', finish);
    socket.on('error', () => {});
  });
}

/// Opens `count` streams, `perSecond` a second, and resolves when every one has ended.
export async function holdStreams(target, body, { count, perSecond, firstEventMs, maxGapMs }) {
  const streams = [];
  const batch = Math.max(1, Math.round(perSecond / 10));
  for (let opened = 0; opened < count; opened += batch) {
    for (let i = opened; i < Math.min(count, opened + batch); ++i) {
      streams.push(holdStream(target.url, target.headers, body, { firstEventMs, maxGapMs }));
    }
    await sleep(100);
  }
  const results = await Promise.all(streams);
  return {
    streams: count,
    stallFree: results.filter((r) => r.stallFree).length,
    failed: results.filter((r) => r.status !== 200).length,
    worstFirstEventMs: Math.max(...results.map((r) => r.firstEventMs)),
    worstGapMs: Math.max(...results.map((r) => r.maxGapMs)),
  };
}
