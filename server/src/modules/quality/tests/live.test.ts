import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { Actor } from '../../../platform/auth/actor.ts';
import { buildApp, type HomServer } from '../../../app.ts';
import type { ProcessRole } from '../../../config.ts';
import { createLogger } from '../../../platform/logger.ts';
import { TEST_SECRET } from '../../../../test/constants.ts';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { createQualityPipeline, type QualityPipeline } from '../pipeline/index.ts';
import { startTestBroker, type TestBroker } from './pipeline.fixtures.ts';
import { createLiveBus } from '../live-bus.ts';
import { LIVE_DEFAULTS, liveRoutes } from '../live.routes.ts';
import { liveResults } from '../quality.graphql.ts';
import type { StoredResult } from '../results.writer.ts';

/**
 * GET /ws/live and the testResults subscription against a listening app: ingest → stored and judged →
 * pushed; authentication by header or first message; only the viewer's sites; filters; a client that
 * stops reading is closed (1013) while the others keep receiving; closing the app says 1001.
 */
let h: Harness;
let base: string;
let machineA: MachineRecord;
let machineB: MachineRecord;
let keyA: string;
let keyB: string;
let siteA: number;
let siteB: number;
let viewerA: UserRecord;

let serial = 0;
const barcode = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++serial}`;

const result = (machine: MachineRecord, overrides: Record<string, unknown> = {}) => ({
  barcode: barcode('SN'),
  machine_id: machine.code,
  product_id: 'PROD-A',
  test_step: 'voltage_test',
  measured_value: 85,
  timestamp: '2026-11-02T10:00:00Z',
  ...overrides,
});

async function ingest(payload: unknown, key: string): Promise<void> {
  const response = await h.request({
    method: 'POST',
    url: '/ingest',
    headers: { 'x-api-key': key },
    payload: payload as object,
  });
  expect(response.statusCode, response.body).toBe(202);
}

type Frame = Record<string, unknown>;

interface LiveClient {
  ws: WebSocket;
  frames: Frame[];
  /** Result frames only (the `ready` message has a `type`, results never do). */
  results: () => Frame[];
  barcodes: () => unknown[];
  ready: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  /** Set when the upgrade itself was refused over HTTP. */
  refused: Promise<number | null>;
}

function connect(query = '', headers: Record<string, string> = {}, url = base): LiveClient {
  const ws = new WebSocket(`${url}/ws/live${query}`, { headers });
  const frames: Frame[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as Frame;
    if (frame.type === 'ready') ready();
    frames.push(frame);
  });
  ws.on('error', () => undefined);
  const refused = new Promise<number | null>((resolve) => {
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => resolve(null));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const results = () => frames.filter((frame) => !('type' in frame));
  return {
    ws,
    frames,
    results,
    barcodes: () => results().map((frame) => frame.barcode),
    ready: readyPromise,
    closed,
    refused,
  };
}

/** Connects and authenticates with the first message, as a browser does. */
function connectByMessage(authorization: string, query = ''): LiveClient {
  const client = connect(query);
  client.ws.on('open', () => client.ws.send(JSON.stringify({ type: 'auth', authorization })));
  return client;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const within = <T>(promise: Promise<T>, ms = 10_000) =>
  Promise.race([
    promise,
    sleep(ms).then(() => {
      throw new Error(`no answer within ${ms} ms`);
    }),
  ]);

beforeAll(async () => {
  h = await createHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const a = await buildSite(h, { time_zone: 'UTC' });
  const b = await buildSite(h, { time_zone: 'UTC' });
  siteA = a.id;
  siteB = b.id;
  machineA = await buildMachine(h, (await buildLine(h, a.id)).id);
  machineB = await buildMachine(h, (await buildLine(h, b.id)).id);
  keyA = (await buildApiKey(h, a.id)).key;
  keyB = (await buildApiKey(h, b.id)).key;
  viewerA = await buildUser(h, { role: 'viewer', site_ids: [a.id] });
  const owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  await owner.query(
    `insert into spec_limits (site_id, product_code, test_step, lower_limit, upper_limit, unit, effective_from)
     select s, 'PROD-A', 'voltage_test', 80, 90, 'V', '2026-01-01T00:00:00Z' from unnest($1::bigint[]) s`,
    [[a.id, b.id]],
  );
  await owner.end();
});
afterAll(() => h.close());

describe('GET /ws/live', () => {
  it('pushes an ingested result, stored with its verdict, to a header-authenticated client', async () => {
    const client = connect('', { authorization: `Bearer ${viewerA.token}` });
    await within(client.ready);
    const sent = result(machineA, { measured_value: 95.5, unit: 'V' });
    await ingest(sent, keyA);
    await waitFor(() => client.barcodes().includes(sent.barcode), 'the result on /ws/live');

    const stored = await h.request({
      method: 'GET',
      url: `/results?barcode=${sent.barcode}`,
      token: h.adminToken,
    });
    const [row] = stored.json().items as Frame[];
    expect(row).toMatchObject({ verdict: 'FAIL', lower_limit: 80, upper_limit: 90 });
    const [frame] = client.results();
    // The frame is the stored row exactly as GET /results shows it: same fields, same values.
    expect(frame).toEqual(row);
    expect(frame).toMatchObject({
      site_id: siteA,
      machine_id: machineA.id,
      machine_code: machineA.code,
      barcode: sent.barcode,
      product_id: 'PROD-A',
      test_step: 'voltage_test',
      measured_value: 95.5,
      unit: 'V',
      timestamp: '2026-11-02T10:00:00.000Z',
      verdict: 'FAIL',
    });
    client.ws.close();
  });

  it('authenticates a browser by its first message, and refuses bad or missing credentials', async () => {
    const browser = connectByMessage(`Bearer ${viewerA.token}`);
    await within(browser.ready);
    const sent = result(machineA);
    await ingest(sent, keyA);
    await waitFor(() => browser.barcodes().includes(sent.barcode), 'the result after first-message auth');
    expect(browser.results()[0]).toMatchObject({ barcode: sent.barcode, verdict: 'PASS' });
    browser.ws.close();

    const badToken = connectByMessage(`Bearer ${viewerA.token}x`);
    expect((await within(badToken.closed)).code).toBe(4401);
    const notAuth = connect();
    notAuth.ws.on('open', () => notAuth.ws.send('hello'));
    expect(await within(notAuth.closed)).toMatchObject({
      code: 4401,
      reason: expect.stringContaining('"auth"'),
    });
    // A key without plant:read (the machine role's) is known but may not watch.
    const machineKey = connect('', { 'x-api-key': keyA });
    expect(await within(machineKey.closed)).toMatchObject({
      code: 4403,
      reason: expect.stringContaining('plant:read'),
    });
    // A bad header is refused before the upgrade, like any HTTP request.
    expect(await within(connect('', { authorization: 'Bearer nonsense' }).refused)).toBe(401);

    const silent = connect();
    const started = Date.now();
    const { code, reason } = await within(silent.closed, LIVE_DEFAULTS.authTimeoutMs + 5_000);
    expect(code).toBe(4401);
    expect(reason).toMatch(/^authentication timed out/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(LIVE_DEFAULTS.authTimeoutMs - 100);
    for (const client of [badToken, notAuth, machineKey]) expect(client.results()).toEqual([]);
  });

  it('takes renewed credentials on the open socket, and closes it when they are not valid', async () => {
    const browser = connectByMessage(`Bearer ${viewerA.token}`);
    await within(browser.ready);
    const renewed = await h.login(viewerA.username, viewerA.password);
    browser.ws.send(JSON.stringify({ type: 'auth', authorization: `Bearer ${renewed.access_token}` }));
    browser.ws.send(JSON.stringify({ type: 'something else' })); // ignored once in
    const sent = result(machineA);
    await ingest(sent, keyA);
    await waitFor(() => browser.barcodes().includes(sent.barcode), 'the result after renewing');
    browser.ws.send(JSON.stringify({ type: 'auth', authorization: 'Bearer expired' }));
    expect((await within(browser.closed)).code).toBe(4401);
  });

  it('checks credentials sent while earlier ones are still being checked: the latest counts', async () => {
    const browser = connectByMessage(`Bearer ${viewerA.token}`);
    await within(browser.ready);
    const renewed = await h.login(viewerA.username, viewerA.password);
    // Back to back: the second arrives while the first is still being checked.
    browser.ws.send(JSON.stringify({ type: 'auth', authorization: `Bearer ${renewed.access_token}` }));
    browser.ws.send(JSON.stringify({ type: 'auth', authorization: 'Bearer expired' }));
    expect((await within(browser.closed)).code).toBe(4401);
  });

  it('shows a viewer only the sites they belong to', async () => {
    const viewer = connect('', { authorization: `Bearer ${viewerA.token}` });
    const admin = connect('', { authorization: `Bearer ${h.adminToken}` });
    await within(Promise.all([viewer.ready, admin.ready]));
    const ofB = result(machineB);
    const ofA = result(machineA);
    await ingest(ofB, keyB);
    await ingest(ofA, keyA);
    await waitFor(
      () => admin.barcodes().includes(ofA.barcode) && viewer.barcodes().includes(ofA.barcode),
      'both results',
    );
    expect(admin.barcodes()).toEqual([ofB.barcode, ofA.barcode]);
    // B's result was published before A's, so it would have arrived first.
    expect(viewer.barcodes()).toEqual([ofA.barcode]);

    const otherSite = connect(`?site_id=${siteB}`, { authorization: `Bearer ${viewerA.token}` });
    expect((await within(otherSite.closed)).code).toBe(4403);
    viewer.ws.close();
    admin.ws.close();
  });

  it('filters by machine (code in any case, or id), product, step, verdict and site', async () => {
    const token = { authorization: `Bearer ${h.adminToken}` };
    const failsOfA = connect(
      `?machine_id=${machineA.code.toLowerCase()}&product_id=PROD-A&test_step=voltage_test&verdict=FAIL`,
      token,
    );
    const byId = connect(`?machine_id=${machineA.id}`, token);
    const siteOfB = connect(`?site_id=${siteB}`, token);
    const noLimit = connect(`?verdict=NO_LIMIT`, token);
    await within(Promise.all([failsOfA, byId, siteOfB, noLimit].map((client) => client.ready)));

    const pass = result(machineA, { measured_value: 85 });
    const fail = result(machineA, { measured_value: 70 });
    const otherStep = result(machineA, { measured_value: 70, test_step: 'current_test' });
    const otherProduct = result(machineA, { measured_value: 70, product_id: 'PROD-B' });
    const failOfB = result(machineB, { measured_value: 70 });
    await ingest([pass, fail, otherStep, otherProduct], keyA);
    await ingest(failOfB, keyB);
    await waitFor(() => siteOfB.barcodes().includes(failOfB.barcode), 'B’s result');

    expect(failsOfA.barcodes()).toEqual([fail.barcode]);
    expect(byId.barcodes()).toEqual([pass.barcode, fail.barcode, otherStep.barcode, otherProduct.barcode]);
    expect(siteOfB.barcodes()).toEqual([failOfB.barcode]);
    expect(noLimit.barcodes()).toEqual([otherStep.barcode, otherProduct.barcode]);

    for (const query of ['?verdict=MAYBE', '?machine=M1', `?site_id=abc`]) {
      const invalid = connect(query, token);
      expect((await within(invalid.closed)).code, query).toBe(4400);
    }
    for (const client of [failsOfA, byId, siteOfB, noLimit]) client.ws.close();
  });

  it('closes a client that stops reading (1013) once its buffer passes the bound; the others keep receiving', async () => {
    const token = { authorization: `Bearer ${h.adminToken}` };
    const reader = connect(`?machine_id=${machineA.code}`, token);
    const stalled = connect(`?machine_id=${machineA.code}`, token);
    await within(Promise.all([reader.ready, stalled.ready]));
    const connected = h.server.modules.liveClients();
    // Stop reading: the kernel buffers fill, then the server's own send buffer grows.
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    // Long barcodes make each frame large; batches go on until the server gives up on the stalled client.
    const long = 'X'.repeat(90);
    let batches = 0;
    while (h.server.modules.liveClients() === connected) {
      expect(batches, 'the stalled client was never closed').toBeLessThan(40);
      batches += 1;
      await ingest(
        Array.from({ length: 2_000 }, (_, i) =>
          result(machineA, { barcode: `${long}-${batches}-${i}`, timestamp: `2026-11-03T10:00:00Z` }),
        ),
        keyA,
      );
    }
    const metrics = await h.request({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(new RegExp(`^hom_live_clients\\{[^}]*\\} ${connected - 1}$`, 'm'));

    const last = result(machineA);
    await ingest(last, keyA);
    await waitFor(
      () => reader.barcodes().includes(last.barcode),
      'the reader to get the last result',
      30_000,
    );
    expect(reader.results()).toHaveLength(batches * 2_000 + 1);

    // Reading again, the stalled client finds what was buffered, then the close frame.
    (stalled.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const { code, reason } = await within(stalled.closed);
    expect(code).toBe(1013);
    expect(reason).toMatch(/^too slow: /);
    expect(stalled.results().length).toBeLessThan(batches * 2_000);
    expect(stalled.barcodes()).not.toContain(last.barcode);
    reader.ws.close();
  });
});

describe('rechecking credentials', () => {
  it('closes a client whose credentials stop being valid (4401) or lose the permission (4403)', async () => {
    const actor = (permissions: string[]): Actor => ({
      kind: 'user',
      id: 1,
      name: 'someone',
      role: 'viewer',
      permissions: new Set(permissions),
      siteIds: [1],
      allSites: false,
      sessionId: 1,
    });
    const valid = new Map<string, Actor | null>([
      ['Bearer one', actor(['plant:read'])],
      ['Bearer two', actor(['plant:read'])],
    ]);
    const bus = createLiveBus();
    const live = liveRoutes({
      live: bus,
      authenticate: async ({ authorization }) => valid.get(authorization ?? '') ?? null,
      options: { recheckMs: 50 },
    });
    const app = Fastify();
    await app.register(fastifyWebsocket);
    app.decorateRequest('ctx');
    app.addHook('onRequest', async (request) => {
      request.ctx = { actor: null, requestId: 'test', clientIp: '', userAgent: undefined };
    });
    await app.register(live.register);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const one = connect('', {}, url);
      const two = connect('', {}, url);
      one.ws.on('open', () => one.ws.send(JSON.stringify({ type: 'auth', authorization: 'Bearer one' })));
      two.ws.on('open', () => two.ws.send(JSON.stringify({ type: 'auth', authorization: 'Bearer two' })));
      await within(Promise.all([one.ready, two.ready]));
      expect(live.clients()).toBe(2);
      valid.set('Bearer one', null); // signed out
      valid.set('Bearer two', actor([])); // role changed
      expect((await within(one.closed)).code).toBe(4401);
      expect((await within(two.closed)).code).toBe(4403);
      expect(live.clients()).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('testResults subscription', () => {
  it('pushes filtered results over graphql-ws, on the viewer’s sites only', async () => {
    const client = createClient({
      url: `${base}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${viewerA.token}` },
      retryAttempts: 0,
    });
    type Received = {
      barcode: string;
      verdict: string;
      machineCode: string;
      siteId: string;
      lowerLimit: number;
    };
    const received: Received[] = [];
    const errors: unknown[] = [];
    const subscribe = (filter: string) =>
      client.subscribe<{ testResults: Received }>(
        {
          query: `subscription { testResults(filter: ${filter}) { barcode verdict machineCode siteId lowerLimit timestamp } }`,
        },
        {
          next: (message) => {
            if (message.data) received.push(message.data.testResults);
            if (message.errors) errors.push(message.errors);
          },
          error: (error) => errors.push(error),
          complete: () => undefined,
        },
      );
    // No site in the filter: B's failures match it too, but the viewer of A must not get them.
    const stop = subscribe(`{ verdict: FAIL, productId: "PROD-A" }`);
    try {
      // The subscription is registered asynchronously: send until one arrives.
      const marks: string[] = [];
      for (let i = 0; i < 40 && received.length === 0; i += 1) {
        const fail = result(machineA, { measured_value: 99 });
        marks.push(fail.barcode);
        await ingest([result(machineA, { measured_value: 85 }), fail], keyA);
        await ingest(result(machineB, { measured_value: 99 }), keyB);
        await sleep(100);
      }
      expect(errors).toEqual([]);
      expect(received.length).toBeGreaterThan(0);
      for (const item of received) {
        expect(marks).toContain(item.barcode);
        expect(item).toMatchObject({
          verdict: 'FAIL',
          machineCode: machineA.code,
          siteId: String(siteA),
          lowerLimit: 80,
        });
      }
    } finally {
      stop();
      await client.dispose();
    }
    // The siteId filter of a site the viewer is not on is refused.
    const refused = createClient({
      url: `${base}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${viewerA.token}` },
      retryAttempts: 0,
    });
    const refusal = await new Promise<unknown>((resolve) =>
      refused.subscribe(
        { query: `subscription { testResults(filter: { siteId: "${siteB}" }) { barcode } }` },
        { next: () => undefined, error: resolve, complete: () => resolve('completed') },
      ),
    );
    expect(JSON.stringify(refusal)).toMatch(/not a member of that site/);
    await refused.dispose();
  });

  it('ends a subscription whose client does not keep up, holding at most the bound', async () => {
    const bus = createLiveBus();
    const iterator = liveResults(bus, (r) => r.verdict === 'FAIL', 3);
    const stored = (id: number, verdict: StoredResult['verdict']): StoredResult => ({
      id,
      site_id: 1,
      machine_id: 1,
      machine_code: 'M1',
      barcode: `SN-${id}`,
      product_id: 'P',
      test_step: 's',
      measured_value: 1,
      unit: null,
      timestamp: new Date(),
      received_at: new Date(),
      verdict,
      lower_limit: null,
      upper_limit: null,
    });
    bus.publish([stored(1, 'FAIL'), stored(2, 'PASS')]);
    expect((await iterator.next()).value?.id).toBe(1);
    bus.publish([3, 4, 5].map((id) => stored(id, 'FAIL')));
    expect(bus.size()).toBe(1);
    bus.publish([stored(6, 'FAIL')]);
    // The fourth waiting result ended it: nothing more is kept, the bus has no listener left.
    expect(bus.size()).toBe(0);
    await expect(iterator.next()).rejects.toMatchObject({ extensions: { code: 'TOO_SLOW' } });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});

describe('closing the app', () => {
  it('closes live clients with 1001', async () => {
    const own = await createHarness();
    try {
      await own.app.listen({ port: 0, host: '127.0.0.1' });
      const url = `ws://127.0.0.1:${(own.app.server.address() as AddressInfo).port}/ws/live`;
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${own.adminToken}` } });
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
      );
      await new Promise((resolve) => ws.once('message', resolve));
      expect(own.server.modules.liveClients()).toBe(1);
      await own.app.close();
      expect(await within(closed)).toEqual({ code: 1001, reason: 'server shutting down' });
    } finally {
      await own.close();
    }
  });
});

describe('several API processes', () => {
  // Two apps with pipelines of their own, linked only through a RabbitMQ node of this file's own.
  let broker: TestBroker | undefined;
  const apps: HomServer[] = [];
  const pipelines: QualityPipeline[] = [];

  beforeAll(async () => {
    broker = await startTestBroker();
  }, 120_000);
  afterAll(async () => {
    for (const app of apps) await app.app.close();
    for (const pipeline of pipelines) await pipeline.close();
    await broker?.close();
  }, 60_000);

  async function startProcess(roles: ProcessRole[]): Promise<string> {
    const log = createLogger('silent');
    const pipeline = createQualityPipeline({ db: h.db, log, amqpUrl: broker!.url, roles });
    pipelines.push(pipeline);
    const server = await buildApp({
      config: {
        production: false,
        bodyLimitBytes: 1_048_576,
        trustProxy: false,
        accessTokenTtlSeconds: 900,
        refreshTokenTtlDays: 30,
        webDist: path.resolve('web/dist'),
        filesDir: path.join(os.tmpdir(), `hom-test-files-${h.databaseName}`),
      },
      secret: TEST_SECRET,
      db: h.db,
      log,
      pipeline,
      roles,
    });
    apps.push(server);
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    return `127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  }

  it('a result ingested through one process reaches /ws/live clients of another (RabbitMQ fan-out)', async () => {
    const first = await startProcess(['api', 'ingest', 'worker']);
    const second = await startProcess(['api']);
    const token = { authorization: `Bearer ${viewerA.token}` };
    const onFirst = connect('', token, `ws://${first}`);
    const onSecond = connect('', token, `ws://${second}`);
    // The harness's own app has an in-process pipeline: it hears nothing of what goes through RabbitMQ.
    const unlinked = connect('', token);
    await within(Promise.all([onFirst.ready, onSecond.ready, unlinked.ready]));

    // The second process binds its live queue once connected: send until a result comes through.
    const sent: string[] = [];
    for (let i = 0; i < 50 && onSecond.results().length === 0; i += 1) {
      const one = result(machineA, { measured_value: 95 });
      sent.push(one.barcode);
      const response = await fetch(`http://${first}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': keyA },
        body: JSON.stringify(one),
      });
      expect(response.status).toBe(202);
      await sleep(200);
    }
    await waitFor(() => onFirst.barcodes().includes(sent.at(-1)), 'the first process’s client too');
    expect(onSecond.results().length).toBeGreaterThan(0);
    expect(new Set(onSecond.barcodes()).size, 'each result once').toBe(onSecond.results().length);
    for (const frame of onSecond.results()) {
      expect(sent).toContain(frame.barcode);
      expect(frame).toMatchObject({
        site_id: siteA,
        machine_code: machineA.code,
        verdict: 'FAIL',
        upper_limit: 90,
      });
    }
    expect(unlinked.results()).toEqual([]);
    for (const client of [onFirst, onSecond, unlinked]) client.ws.close();
  }, 60_000);
});
