import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../../../test/constants.ts';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  type MachineRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { startHomProcess, stopHomProcess, type HomProcess } from '../../../../test/process.ts';
import { RESULTS_QUEUE } from '../pipeline/amqp.ts';
import {
  startTcpProxy,
  startTestBroker,
  waitFor,
  type TcpProxy,
  type TestBroker,
} from './pipeline.fixtures.ts';

/**
 * The AMQP transport on real processes and a real RabbitMQ: an ingest-only process publishes, a
 * worker-only process stores; poison messages, a database outage, a stopped broker, a blocked broker
 * and a deleted queue. One database and one RabbitMQ node of this file's own (see pipeline.fixtures.ts).
 */
let h: Harness;
let owner: pg.Client;
let broker: TestBroker;
let proxy: TcpProxy;
let dataDir: string;
let key: string;
let machine: MachineRecord;
let siteId: number;
let ingest: HomProcess;
let worker: HomProcess | undefined;
const started: HomProcess[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const result = (barcode: string, value = 85, overrides: Record<string, unknown> = {}) => ({
  barcode,
  machine_id: machine.code,
  product_id: 'PROD-A',
  test_step: 'voltage_test',
  measured_value: value,
  timestamp: '2026-10-27T10:00:00Z',
  unit: 'V',
  ...overrides,
});

async function post(body: unknown) {
  const began = Date.now();
  const response = await fetch(`${ingest.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(body),
    // A request the server never answers fails the test instead of hanging it.
    signal: AbortSignal.timeout(30_000),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
    ms: Date.now() - began,
  };
}

async function rows(pattern: string) {
  const { rows: found } = await owner.query<{ barcode: string; verdict: string; n: number }>(
    `select barcode, min(verdict) as verdict, count(*)::int as n from test_results
     where barcode like $1 group by barcode order by barcode`,
    [pattern],
  );
  return found;
}

async function deadLetters() {
  const { rows: found } = await owner.query<{ id: number; reason: string; payload: string }>(
    'select id::int, reason, payload from ingest_dead_letters order by id',
  );
  return found;
}

async function start(roles: string, databaseUrl = h.ownerUrl): Promise<HomProcess> {
  const hom = await startHomProcess({
    HOM_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    HOM_SECRET: TEST_SECRET,
    HOM_ROLES: roles,
    AMQP_URL: broker.url,
    HOM_INGEST_PREFETCH: '16',
    LOG_LEVEL: 'debug',
  });
  started.push(hom);
  return hom;
}

/** Until the queue holds nothing, ready or unacknowledged. */
const drained = () =>
  waitFor(
    'the results queue to drain',
    async () => {
      const depth = await broker.depth(RESULTS_QUEUE);
      return depth && depth.ready === 0 && depth.unacked === 0 ? depth : undefined;
    },
    30_000,
    500,
  );

beforeAll(async () => {
  [h, broker] = await Promise.all([createHarness(), startTestBroker()]);
  owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  const site = await buildSite(h, { time_zone: 'Europe/Berlin' });
  siteId = site.id;
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  key = (await buildApiKey(h, site.id)).key;
  await owner.query(
    `insert into spec_limits (site_id, product_code, test_step, lower_limit, upper_limit, unit, effective_from)
     values ($1, 'PROD-A', 'voltage_test', 80, 90, 'V', '2026-01-01T00:00:00Z')`,
    [site.id],
  );
  const database = new URL(h.ownerUrl);
  proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-amqp-'));
  ingest = await start('ingest');
}, 180_000);

afterAll(async () => {
  for (const hom of started) {
    hom.child.kill('SIGCONT');
    await stopHomProcess(hom, 'SIGTERM', 10_000);
  }
  await broker?.restore().catch(() => undefined);
  await broker?.close();
  await proxy?.close();
  await owner?.end();
  await h?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}, 120_000);

describe('AMQP transport between an ingest process and a worker process', () => {
  it('the ingest process queues the results; the worker stores them with their verdicts', async () => {
    const response = await post([
      result('A-PASS', 85),
      result('A-FAIL', 95),
      result('A-NOLIMIT', 1, { product_id: 'PROD-Z' }),
    ]);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ accepted: 3 });
    // No worker yet: the three results are one persistent message in the durable queue, not rows.
    expect(await broker.depth(RESULTS_QUEUE)).toMatchObject({ ready: 1, unacked: 0, consumers: 0 });
    expect(await rows('A-%')).toEqual([]);

    // The worker reaches PostgreSQL through the proxy the outage test cuts.
    const url = new URL(h.ownerUrl);
    url.host = `127.0.0.1:${proxy.port}`;
    worker = await start('worker', url.toString());
    const stored = await waitFor(
      'the worker to store 3 results',
      async () => {
        const found = await rows('A-%');
        return found.length === 3 ? found : undefined;
      },
      20_000,
    );
    expect(stored).toEqual([
      { barcode: 'A-FAIL', verdict: 'FAIL', n: 1 },
      { barcode: 'A-NOLIMIT', verdict: 'NO_LIMIT', n: 1 },
      { barcode: 'A-PASS', verdict: 'PASS', n: 1 },
    ]);
    expect(await drained()).toMatchObject({ consumers: 1 });
  }, 60_000);

  it('keeps a message that can never be processed in the dead letters with its reason, and goes on', async () => {
    const before = (await deadLetters()).length;
    const connection = await amqp.connect(broker.url);
    try {
      const channel = await connection.createConfirmChannel();
      const row = {
        site_id: siteId,
        machine_id: machine.id,
        machine_code: machine.code,
        barcode: 'B-DIRECT',
        product_code: 'PROD-A',
        test_step: 'voltage_test',
        measured_value: 85,
        unit: 'V',
        measured_at: '2026-10-27T10:00:00.000Z',
      };
      const messages = [
        Buffer.from('{"v":1,"rows":['),
        Buffer.from(JSON.stringify({ v: 2, rows: 'none' })),
        // Not text at all; the NUL bytes cannot go into a PostgreSQL text column as they are.
        Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x7b]),
        // Well-formed, but PostgreSQL refuses the NUL character in the barcode.
        Buffer.from(JSON.stringify({ v: 1, rows: [{ ...row, barcode: 'B-NUL\u0000' }] })),
        // A good message right behind the poison ones (likely merged with them into one batch).
        Buffer.from(JSON.stringify({ v: 1, rows: [row] })),
      ];
      for (const content of messages) channel.sendToQueue(RESULTS_QUEUE, content, { persistent: true });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    expect((await post([result('B-AFTER')])).status).toBe(202);

    await waitFor(
      'the good results stored',
      async () => ((await rows('B-%')).length === 2 ? true : undefined),
      20_000,
    );
    expect((await rows('B-%')).map((r) => [r.barcode, r.n])).toEqual([
      ['B-AFTER', 1],
      ['B-DIRECT', 1],
    ]);
    const letters = await waitFor(
      'four dead letters',
      async () => {
        const found = (await deadLetters()).slice(before);
        return found.length >= 4 ? found : undefined;
      },
      20_000,
    );
    expect(letters).toHaveLength(4);
    const reasons = letters.map((l) => l.reason);
    expect(reasons.filter((r) => r.startsWith('not JSON'))).toHaveLength(2);
    expect(reasons).toContain('not JSON (NUL bytes shown as U+FFFD)');
    expect(reasons.some((r) => r.startsWith('not a results message: v:'))).toBe(true);
    expect(reasons.some((r) => /0x00|byte sequence/i.test(r))).toBe(true);
    expect(letters.some((l) => l.payload.includes('B-NUL'))).toBe(true);
    await drained();
  }, 60_000);

  it('keeps results queued while the database is unreachable and writes each once when it is back', async ({
    annotate,
  }) => {
    if (!worker) throw new Error('the first test starts the worker');
    const bodies = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 20 }, (_, j) => result(`C-${i}-${j}`)),
    );
    const seen = worker.output().length;
    const lettersBefore = (await deadLetters()).length;
    const outage = { from: Date.now(), to: 0 };
    await proxy.down();
    try {
      // The ingest process reads PostgreSQL directly: it still validates and queues.
      for (const body of bodies) expect((await post(body)).status).toBe(202);
      await sleep(4_000);
      expect(await rows('C-%')).toEqual([]);
      const depth = await broker.depth(RESULTS_QUEUE);
      expect((depth?.ready ?? 0) + (depth?.unacked ?? 0)).toBe(5);
      expect(worker.output().slice(seen)).toContain('the message stays queued');
    } finally {
      outage.to = Date.now();
      await proxy.up();
    }
    const stored = await waitFor(
      'the 100 results stored after the database came back',
      async () => {
        const found = await rows('C-%');
        return found.length === 100 ? found : undefined;
      },
      30_000,
    );
    const recoveredMs = Date.now() - outage.to;
    await drained();
    expect((await rows('C-%')).every((r) => r.n === 1)).toBe(true);
    expect(stored).toHaveLength(100);
    expect((await deadLetters()).length).toBe(lettersBefore);
    // The retry backoff doubles per failed round, not per failed message, so the wait after the
    // database is back stays under the outage's own length (five messages failing together do not
    // jump straight to the 30-second cap).
    const outageMs = outage.to - outage.from;
    expect(recoveredMs).toBeLessThan(outageMs + 5_000);
    await annotate(
      `database outage of ${outageMs} ms: stored ${stored.length} results ${recoveredMs} ms after it came back`,
    );
  }, 90_000);

  it('answers 503 with Retry-After within about 5 s while the broker is down, keeps nothing of it, and works again once it is back', async ({
    annotate,
  }) => {
    let down: Awaited<ReturnType<typeof post>> | undefined;
    const at = { brokerBack: 0, up: 0 };
    try {
      await broker.ctl(['stop_app']);
      down = await post([result('D-DOWN')]);
      await broker.ctl(['start_app']);
      at.brokerBack = Date.now();
      at.up = await waitFor(
        'a 202 after the broker is back',
        async () => ((await post([result('D-UP')])).status === 202 ? Date.now() : undefined),
        30_000,
        250,
      );
    } finally {
      await broker.restore();
    }
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error_code: 'INGEST_UNAVAILABLE' });
    expect(Number(down.retryAfter)).toBeGreaterThan(0);
    expect(down.ms).toBeLessThan(7_000);
    // The worker subscribed again by itself: the result is stored.
    await waitFor('D-UP stored', async () => ((await rows('D-UP')).length === 1 ? true : undefined), 30_000);
    await drained();
    expect(await rows('D-DOWN')).toEqual([]);
    expect(at.up - at.brokerBack).toBeLessThan(12_000);
    await annotate(
      `broker down: 503 in ${down.ms} ms; 202 again ${at.up - at.brokerBack} ms after start_app`,
    );
  }, 120_000);

  it('answers 503 promptly while the broker blocks publishers, and the same results sent again are stored once', async ({
    annotate,
  }) => {
    const body = [result('E-1'), result('E-2')];
    let blocked: Awaited<ReturnType<typeof post>> | undefined;
    try {
      // A memory high watermark of 0 raises the memory alarm: RabbitMQ stops reading from publishers.
      await broker.ctl(['set_vm_memory_high_watermark', '0']);
      await sleep(1_000);
      blocked = await post(body);
    } finally {
      await broker.ctl(['set_vm_memory_high_watermark', '0.4']);
    }
    expect(blocked.status).toBe(503);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect(blocked.ms).toBeLessThan(12_000);
    await waitFor(
      'a 202 once the alarm is cleared',
      async () => ((await post(body)).status === 202 ? true : undefined),
      30_000,
      500,
    );
    await waitFor('E-* stored', async () => ((await rows('E-%')).length === 2 ? true : undefined), 20_000);
    await drained();
    expect((await rows('E-%')).map((r) => r.n)).toEqual([1, 1]);
    await annotate(`broker blocked: 503 in ${blocked.ms} ms`);
  }, 90_000);

  it('never answers 202 for results the broker dropped: a deleted queue is declared again and consumed again', async ({
    annotate,
  }) => {
    await broker.ctl(['delete_queue', RESULTS_QUEUE]);
    const statuses: number[] = [];
    const accepted: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const barcode = `F-${i}`;
      const response = await post([result(barcode)]);
      statuses.push(response.status);
      if (response.status === 202) accepted.push(barcode);
      await sleep(100);
    }
    expect(accepted.length).toBeGreaterThan(0);
    await waitFor(
      'every accepted result stored',
      async () => ((await rows('F-%')).length >= accepted.length ? true : undefined),
      30_000,
    );
    await drained();
    const stored = await rows('F-%');
    expect(stored.every((r) => r.n === 1)).toBe(true);
    // Every 202 is stored; a result the broker could not route was answered 503, never 202.
    expect(accepted.filter((barcode) => !stored.some((r) => r.barcode === barcode))).toEqual([]);
    expect(await broker.depth(RESULTS_QUEUE)).toMatchObject({ consumers: 1 });
    await annotate(`queue deleted: statuses ${statuses.join(',')}`);
  }, 90_000);

  it('stops both processes cleanly on SIGTERM', async () => {
    if (!worker) throw new Error('the first test starts the worker');
    const codes = await Promise.all([ingest, worker].map((hom) => stopHomProcess(hom, 'SIGTERM', 15_000)));
    expect(codes, [ingest, worker].map((hom) => hom.output().slice(-2000)).join('\n')).toEqual([0, 0]);
  }, 30_000);
});
