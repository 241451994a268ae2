import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Actor } from '../auth/actor.ts';
import { forbidden } from '../errors.ts';
import type { Authenticate } from './authed-socket.protocol.ts';
import { authedSockets, type AuthedSocket, type AuthedSocketOptions } from './authed-socket.ts';
import type { HomApp } from './types.ts';

/**
 * The door itself, on a bare app with a typed fake authenticator: what GET /ws/live's and GET
 * /ws/machines' own tests do not reach through identity (renewed credentials are the ones rechecked,
 * a revoked header key, a failing check that is no refusal, the heartbeat, `ready` held back until the
 * route is ready, close reasons cut to 123 bytes).
 */
const actor = (name: string, siteIds: number[], permissions = ['plant:read']): Actor => ({
  kind: 'user',
  id: 1,
  name,
  role: 'viewer',
  permissions: new Set(permissions),
  siteIds,
  allSites: false,
  sessionId: 1,
});

/** Credentials → who they are now: an Actor, not valid (null), or a failing check (an Error). */
const known = new Map<string, Actor | null | Error>();
const authenticate: Authenticate = async ({ authorization, apiKey }) => {
  const found = known.get(apiKey ?? authorization ?? '');
  if (found instanceof Error) throw found;
  return found ?? null;
};

interface Door {
  url: string;
  /** Sockets as the route sees them, in the order they were admitted. */
  admitted: AuthedSocket<readonly number[]>[];
  left: () => number;
  open: () => number;
}

const apps: HomApp[] = [];
afterEach(async () => {
  known.clear();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function serve(
  options: Partial<AuthedSocketOptions>,
  route: { started?: () => Promise<void> } = {},
): Promise<Door> {
  const sockets = authedSockets({ authenticate, component: 'test', options });
  const admitted: AuthedSocket<readonly number[]>[] = [];
  let left = 0;
  const app = Fastify() as unknown as HomApp;
  apps.push(app);
  await app.register(fastifyWebsocket);
  app.decorateRequest('ctx');
  app.addHook('onRequest', async (request) => {
    const apiKey = request.headers['x-api-key'];
    const actor = typeof apiKey === 'string' ? await authenticate({ apiKey }) : null;
    request.ctx = { actor, requestId: 'test', clientIp: '', userAgent: undefined };
  });
  await app.register(async (scoped) => {
    await sockets.register(scoped);
    sockets.route(scoped, {
      url: '/ws/test',
      schema: { tags: ['test'], summary: 'the door under test' },
      connect: () => ({
        access: (who) => {
          if (!who.permissions.has('plant:read')) throw forbidden(`${'ж'.repeat(100)} plant:read`);
          return who.siteIds;
        },
        admitted: (socket) => {
          admitted.push(socket);
          return route.started?.();
        },
        left: () => (left += 1),
      }),
    });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws/test`;
  return { url, admitted, left: () => left, open: sockets.admitted };
}

function connect(url: string, first?: string, options: WebSocket.ClientOptions = {}) {
  const ws = new WebSocket(url, options);
  const frames: unknown[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
  ws.on('error', () => undefined);
  if (first !== undefined)
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', authorization: first })));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return { ws, frames, closed, ready: () => frames.some((f) => (f as { type?: string }).type === 'ready') };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const within = <T>(promise: Promise<T>, ms = 5_000) =>
  Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`no answer within ${ms} ms`)))]);

describe('authedSockets', () => {
  it('rechecks the renewed credentials, not the first ones, and hands the route their new access', async () => {
    known.set('Bearer first', actor('first', [1]));
    known.set('Bearer renewed', actor('renewed', [2]));
    const door = await serve({ recheckMs: 30 });
    const client = connect(door.url, 'Bearer first');
    await waitFor(client.ready, 'ready');
    expect(door.admitted[0]!.access).toEqual([1]);

    client.ws.send(JSON.stringify({ type: 'auth', authorization: 'Bearer renewed' }));
    await waitFor(() => door.admitted[0]!.access[0] === 2, 'the renewed access');
    known.set('Bearer first', null); // the first session ends: no longer what the socket holds
    await sleep(200);
    expect(door.admitted[0]!.open).toBe(true);

    known.set('Bearer renewed', null);
    expect(await within(client.closed)).toEqual({ code: 4401, reason: 'Credentials are no longer valid' });
    expect(door.left()).toBe(1);
    expect(door.open()).toBe(0);
  });

  it('closes a header key once revoked, but keeps the client through a check that fails', async () => {
    known.set('hom_key', actor('station', [1]));
    const door = await serve({ recheckMs: 30 });
    const client = connect(door.url, undefined, { headers: { 'x-api-key': 'hom_key' } });
    await waitFor(client.ready, 'ready');

    known.set('hom_key', new Error('database unreachable'));
    await sleep(200);
    expect(door.admitted[0]!.open).toBe(true);

    known.set('hom_key', null);
    expect((await within(client.closed)).code).toBe(4401);
    expect(door.left()).toBe(1);
  });

  it('cuts a client that does not answer pings', async () => {
    known.set('Bearer one', actor('one', [1]));
    const door = await serve({ heartbeatMs: 50 });
    const answering = connect(door.url, 'Bearer one');
    const silent = connect(door.url, 'Bearer one', { autoPong: false });
    await waitFor(() => answering.ready() && silent.ready(), 'both ready');

    expect((await within(silent.closed)).code).toBe(1006);
    await sleep(200);
    expect(door.left()).toBe(1);
    expect(door.open()).toBe(1);
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
    answering.ws.close();
  });

  it('says ready only once the route is ready to deliver', async () => {
    known.set('Bearer one', actor('one', [1]));
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const door = await serve({}, { started: () => started });
    const client = connect(door.url, 'Bearer one');
    await waitFor(() => door.admitted.length === 1, 'the admission');
    await sleep(100);
    expect(client.ready()).toBe(false);

    start();
    await waitFor(client.ready, 'ready');
    expect(client.frames).toEqual([{ type: 'ready' }]);
    client.ws.close();
  });

  it('cuts a refusal’s reason to the 123 bytes a close frame holds', async () => {
    known.set('Bearer machine', actor('machine', [1], []));
    const door = await serve({});
    const { code, reason } = await within(connect(door.url, 'Bearer machine').closed);
    expect(code).toBe(4403);
    expect(reason).toBe('ж'.repeat(61));
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect(door.admitted).toHaveLength(0);
  });
});
