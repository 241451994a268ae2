/**
 * The viewers of bench/live-fanout.ts, a child process holding many WebSocket clients, driven over IPC:
 *
 * - {connect: {url, count, headers}} opens `count` clients (50 at a time) and waits for each one's
 *   {"type":"ready"} frame; answers {connected: n}.
 * - {expect: k} starts counting afresh; answers {expecting: k}, then {done, frames, bytes, lost} once
 *   every client still open has received `k` frames (`done`: epoch ms of the last one), or after
 *   `timeoutMs` with what arrived.
 * - {close: true} closes every client; answers {closed: true}.
 *
 * Frames are counted, not parsed (UTF-8 validation off), so the clients cost as little as they can.
 */
import WebSocket from 'ws';

interface Viewer {
  socket: WebSocket;
  frames: number;
}

const viewers: Viewer[] = [];
let expected = Number.POSITIVE_INFINITY;
let complete = 0;
let frames = 0;
let bytes = 0;
let lost = 0;
let closeCodes: Record<string, number> = {};
let timer: NodeJS.Timeout | undefined;

function report(done: number): void {
  clearTimeout(timer);
  timer = undefined;
  process.send?.({ done, frames, bytes, lost, complete, closeCodes });
  expected = Number.POSITIVE_INFINITY;
}

function checkComplete(): void {
  if (expected !== Number.POSITIVE_INFINITY && complete + lost >= viewers.length) report(Date.now());
}

function open(url: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false, skipUTF8Validation: true });
    const viewer: Viewer = { socket, frames: 0 };
    let ready = false;
    socket.on('message', (data: Buffer) => {
      if (!ready) {
        ready = true;
        viewers.push(viewer);
        resolve();
        return;
      }
      viewer.frames += 1;
      frames += 1;
      bytes += data.length;
      if (viewer.frames === expected) {
        complete += 1;
        checkComplete();
      }
    });
    socket.on('close', (code: number) => {
      if (!ready) {
        reject(new Error(`closed before ready: ${code}`));
        return;
      }
      closeCodes[code] = (closeCodes[code] ?? 0) + 1;
      if (viewer.frames < expected) {
        lost += 1;
        checkComplete();
      }
    });
    socket.on('error', (error) => {
      if (!ready) reject(error);
    });
  });
}

process.on(
  'message',
  (message: {
    connect?: { url: string; count: number; headers: Record<string, string> };
    expect?: number;
    timeoutMs?: number;
    close?: boolean;
    stop?: boolean;
  }) => {
    if (message.connect) {
      const { url, count, headers } = message.connect;
      void (async () => {
        try {
          for (let i = 0; i < count; i += 50) {
            await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => open(url, headers)));
          }
          process.send?.({ connected: viewers.length });
        } catch (error) {
          process.send?.({ connected: viewers.length, error: (error as Error).message });
        }
      })();
    } else if (typeof message.expect === 'number') {
      for (const viewer of viewers) viewer.frames = 0;
      frames = 0;
      bytes = 0;
      lost = viewers.filter((v) => v.socket.readyState !== WebSocket.OPEN).length;
      complete = 0;
      closeCodes = {};
      expected = message.expect;
      timer = setTimeout(() => report(Date.now()), message.timeoutMs ?? 120_000);
      process.send?.({ expecting: expected });
    } else if (message.close || message.stop) {
      for (const viewer of viewers) viewer.socket.terminate();
      viewers.length = 0;
      if (message.stop) process.exit(0);
      process.send?.({ closed: true });
    }
  },
);
process.send?.({ ready: true });
