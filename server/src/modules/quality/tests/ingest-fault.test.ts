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
import { startTestBroker, waitFor, type TestBroker } from './pipeline.fixtures.ts';

/**
 * The fault test: 100,000 results sent while RabbitMQ is restarted and a consumer is killed;
 * every acknowledged (202) result is stored exactly once. One ingest process, two worker processes,
 * one database, one RabbitMQ node of this file's own. See docs/ingest.md.
 */
const TOTAL = 100_000;
const PER_REQUEST = 1_000;
const REQUESTS = TOTAL / PER_REQUEST;
const CONCURRENCY = 4;
/**
 * Request i is sent no earlier than i × PACE_MS after the load starts (at most CONCURRENCY at once):
 * flat out, the load would be over before the faults land mid-stream; paced, it lasts 50 s plus the
 * outage.
 */
const PACE_MS = 500;
/**
 * A request that found no broker (503, connection error) is sent again with the same results, until
 * this long after the load began; then it counts as not acknowledged (and the test fails on it).
 */
const LOAD_DEADLINE_MS = 150_000;
const RUN = Date.now().toString(36);

let h: Harness;
let owner: pg.Client;
let broker: TestBroker;
let dataDir: string;
let key: string;
let machine: MachineRecord;
const processes: HomProcess[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const barcodeOf = (i: number) => `FT-${RUN}-${i}`;
let origin = Date.now();
/** Set when the test ends early: the loader stops sending. */
let stopLoading = false;

async function start(roles: string): Promise<HomProcess> {
  const hom = await startHomProcess({
    HOM_DATA_DIR: dataDir,
    DATABASE_URL: h.ownerUrl,
    HOM_SECRET: TEST_SECRET,
    HOM_ROLES: roles,
    AMQP_URL: broker.url,
    // Workers log each stored message (with its redelivered flag) at debug.
    LOG_LEVEL: roles === 'worker' ? 'debug' : 'info',
    // Messages of 1,000 results: 8 in flight per worker (so paused workers leave the rest queued).
    HOM_INGEST_PREFETCH: '8',
  });
  processes.push(hom);
  return hom;
}

interface Outcome {
  acknowledged: boolean;
  attempts: number;
  failures: string[];
  /** Per attempt: when it was sent and answered (ms since the load began), and the answer. */
  log: { at: number; ms: number; answer: string }[];
}

/** Sends request `index` (results index*PER_REQUEST ..) until a 202 or its deadline. */
async function send(ingestUrl: string, index: number): Promise<Outcome> {
  const body = JSON.stringify(
    Array.from({ length: PER_REQUEST }, (_, j) => {
      const i = index * PER_REQUEST + j;
      return {
        barcode: barcodeOf(i),
        machine_id: machine.code,
        product_id: 'PROD-F',
        test_step: 'leak_test',
        measured_value: i % 10 === 0 ? 12 : 5,
        timestamp: '2026-11-15T08:00:00Z',
        unit: 'mbar',
      };
    }),
  );
  const outcome: Outcome = { acknowledged: false, attempts: 0, failures: [], log: [] };
  while (!stopLoading && Date.now() < origin + LOAD_DEADLINE_MS) {
    outcome.attempts += 1;
    const sent = Date.now();
    const answered = (answer: string) =>
      outcome.log.push({ at: sent - origin, ms: Date.now() - sent, answer });
    try {
      const response = await fetch(`${ingestUrl}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      answered(String(response.status));
      if (response.status === 202) {
        outcome.acknowledged = true;
        return outcome;
      }
      outcome.failures.push(String(response.status));
    } catch (error) {
      answered(error instanceof Error ? error.name : 'error');
      outcome.failures.push(error instanceof Error ? error.name : 'error');
    }
    await sleep(500);
  }
  return outcome;
}

/** Per barcode of `expected`: missing ones; and every barcode of this run stored more than once. */
async function audit(expected: readonly string[]) {
  const { rows } = await owner.query<{ barcode: string; n: number }>(
    `select barcode, count(*)::int as n from test_results where barcode like $1 group by barcode`,
    [`FT-${RUN}-%`],
  );
  const counts = new Map(rows.map((r) => [r.barcode, r.n]));
  return {
    stored: rows.reduce((sum, r) => sum + r.n, 0),
    missing: expected.filter((barcode) => !counts.has(barcode)),
    duplicated: rows.filter((r) => r.n > 1).map((r) => r.barcode),
  };
}

beforeAll(async () => {
  [h, broker] = await Promise.all([createHarness(), startTestBroker()]);
  owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  const site = await buildSite(h, { time_zone: 'Europe/Berlin' });
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  key = (await buildApiKey(h, site.id)).key;
  await owner.query(
    `insert into spec_limits (site_id, product_code, test_step, upper_limit, unit, effective_from)
     values ($1, 'PROD-F', 'leak_test', 10, 'mbar', '2026-01-01T00:00:00Z')`,
    [site.id],
  );
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-fault-'));
}, 180_000);

afterAll(async () => {
  for (const hom of processes) {
    hom.child.kill('SIGCONT');
    await stopHomProcess(hom, 'SIGTERM', 10_000);
  }
  await broker?.restore().catch(() => undefined);
  await broker?.close();
  await owner?.end();
  await h?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}, 120_000);

describe('ingest under faults', () => {
  it('100,000 results sent while RabbitMQ is restarted and a consumer is killed: every acknowledged result is stored exactly once', async ({
    annotate,
  }) => {
    const began = Date.now();
    origin = began;
    const [ingest, workerA, workerB] = await Promise.all([start('ingest'), start('worker'), start('worker')]);
    if (!ingest || !workerA || !workerB) throw new Error('unreachable');
    const watcher = await amqp.connect(broker.url);
    const events: string[] = [];
    const note = (event: string) => events.push(`${((Date.now() - began) / 1000).toFixed(1)}s ${event}`);
    let acknowledged = 0;

    try {
      // The loader: paced, CONCURRENCY requests in flight at most, each retried with the same results until a 202.
      const outcomes: Outcome[] = new Array<Outcome>(REQUESTS);
      let next = 0;
      const loadStarted = Date.now();
      note('loader started');
      const loader = Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < REQUESTS && !stopLoading) {
            const index = next++;
            await sleep(loadStarted + index * PACE_MS - Date.now());
            const outcome = await send(ingest.url, index);
            outcomes[index] = outcome;
            if (outcome.acknowledged) acknowledged += 1;
          }
        }),
      );
      const progress = (share: number) =>
        waitFor(
          `${share * 100}% of the requests acknowledged`,
          async () => (acknowledged >= REQUESTS * share ? true : undefined),
          120_000,
          20,
        );
      const queued = async () => {
        const channel = await watcher.createChannel();
        try {
          return (await channel.checkQueue(RESULTS_QUEUE)).messageCount;
        } finally {
          await channel.close();
        }
      };

      // 1. A consumer hangs holding unacknowledged messages, then is killed: the broker redelivers them.
      await progress(0.15);
      workerB.child.kill('SIGSTOP');
      note(`worker B paused at ${acknowledged} acknowledged requests`);
      await sleep(2_000);
      const beforeKill = await broker.depth(RESULTS_QUEUE);
      const seenA = workerA.output().length;
      workerB.child.kill('SIGKILL');
      await workerB.exited;
      note(`worker B killed; queue ready=${beforeKill?.ready} unacked=${beforeKill?.unacked}`);
      const ackedAtKill = acknowledged;
      // A supervisor would start a replacement; so does this test.
      const startingC = start('worker');

      // 2. The broker restarts while messages wait in it: every worker is paused so that some do.
      await progress(0.4);
      const workerC = await startingC;
      note('worker C (the replacement) started');
      const workers = [workerA, workerC];
      for (const worker of workers) worker.child.kill('SIGSTOP');
      await waitFor(
        'messages waiting in the queue',
        async () => ((await queued()) >= 3 ? true : undefined),
        30_000,
        100,
      );
      const redeliveredAfterKill =
        (
          workerA
            .output()
            .slice(seenA)
            .match(/"redelivered":true/g) ?? []
        ).length + (workerC.output().match(/"redelivered":true/g) ?? []).length;
      const beforeRestart = await broker.depth(RESULTS_QUEUE);
      const ackedAtStop = acknowledged;
      const failuresBefore = outcomes.reduce((sum, o) => sum + (o?.failures.length ?? 0), 0);
      let afterRestart: Awaited<ReturnType<TestBroker['depth']>> = undefined;
      try {
        await broker.ctl(['stop_app']);
        note(
          `broker stopped at ${ackedAtStop} acknowledged requests; it held ready=${beforeRestart?.ready} unacked=${beforeRestart?.unacked}`,
        );
        await sleep(3_000);
        await broker.ctl(['start_app']);
        await broker.ctl(['await_startup']);
        afterRestart = await broker.depth(RESULTS_QUEUE);
        note(`broker started; it recovered ready=${afterRestart?.ready} unacked=${afterRestart?.unacked}`);
      } finally {
        await broker.restore();
        for (const worker of workers) worker.child.kill('SIGCONT');
      }

      await loader;
      const loadMs = Date.now() - loadStarted;
      note(`loader done: ${acknowledged}/${REQUESTS} requests acknowledged`);
      const acked = outcomes.flatMap((outcome, index) =>
        outcome.acknowledged
          ? Array.from({ length: PER_REQUEST }, (_, j) => barcodeOf(index * PER_REQUEST + j))
          : [],
      );
      const restartFailures = outcomes.reduce((sum, o) => sum + o.failures.length, 0) - failuresBefore;

      // Until every acknowledged result is in and the queue is empty (ready and unacknowledged).
      await waitFor(
        'every acknowledged result stored and the queue drained',
        async () => {
          if ((await audit([])).stored < acked.length) return undefined;
          const depth = await broker.depth(RESULTS_QUEUE);
          return depth && depth.ready === 0 && depth.unacked === 0 ? true : undefined;
        },
        120_000,
        1_000,
      );
      const result = await audit(acked);
      note(`drained: ${result.stored} rows`);

      // The audit can fail: it reports a barcode that is not there, and a second row of a barcode.
      const probe = await audit([...acked.slice(0, 10), `FT-${RUN}-never-sent`]);
      expect(probe.missing).toEqual([`FT-${RUN}-never-sent`]);
      await owner.query(
        `insert into test_results (site_id, machine_id, barcode, product_code, test_step, measured_value, measured_at, verdict)
         select site_id, machine_id, barcode, product_code, test_step, measured_value, measured_at + interval '1 second', verdict
         from test_results where barcode = $1`,
        [acked[0]],
      );
      expect((await audit([])).duplicated).toEqual([acked[0]]);
      await owner.query(
        `delete from test_results where barcode = $1 and measured_at <> '2026-11-15T08:00:00Z'`,
        [acked[0]],
      );

      const verdicts = await owner.query<{ verdict: string; n: number }>(
        `select verdict, count(*)::int as n from test_results where barcode like $1 group by verdict order by verdict`,
        [`FT-${RUN}-%`],
      );
      const attempts = outcomes.map((o) => o.attempts);
      const summary = {
        results: TOTAL,
        requests: REQUESTS,
        perRequest: PER_REQUEST,
        acknowledgedRequests: acknowledged,
        acknowledgedResults: acked.length,
        retriedRequests: attempts.filter((n) => n > 1).length,
        failedAttempts: outcomes.reduce((sum, o) => sum + o.failures.length, 0),
        failedAttemptsDuringRestart: restartFailures,
        failureKinds: [...new Set(outcomes.flatMap((o) => o.failures))],
        acknowledgedRequestsAtKill: ackedAtKill,
        acknowledgedRequestsAtBrokerStop: ackedAtStop,
        redeliveredToSurvivorsAfterKill: redeliveredAfterKill,
        storedRows: result.stored,
        missing: result.missing.length,
        duplicated: result.duplicated.length,
        verdicts: Object.fromEntries(verdicts.rows.map((r) => [r.verdict, r.n])),
        loadSeconds: Math.round(loadMs / 100) / 10,
        totalSeconds: Math.round((Date.now() - began) / 100) / 10,
      };
      await annotate(`${events.join('\n')}\n${JSON.stringify(summary, null, 2)}`);
      const retried = outcomes
        .flatMap((o, index) => o.log.map((l) => ({ index, ...l })))
        .filter((l) => l.answer !== '202')
        .map(
          (l) => `request ${l.index} sent at +${(l.at / 1000).toFixed(1)} s: ${l.answer} after ${l.ms} ms`,
        );
      await annotate(retried.join('\n') || 'no failed attempt', 'failed attempts');

      // The faults happened mid-stream.
      expect(ackedAtKill).toBeLessThan(REQUESTS);
      expect(ackedAtStop).toBeLessThan(REQUESTS);
      expect(redeliveredAfterKill).toBeGreaterThan(0);
      expect((afterRestart?.ready ?? 0) + (afterRestart?.unacked ?? 0)).toBeGreaterThanOrEqual(
        (beforeRestart?.ready ?? 0) + (beforeRestart?.unacked ?? 0),
      );
      expect((beforeRestart?.ready ?? 0) + (beforeRestart?.unacked ?? 0)).toBeGreaterThan(0);
      expect(restartFailures).toBeGreaterThan(0);
      // Every request got its 202 in the end (retries are safe), and every acknowledged result is
      // stored exactly once: nothing missing, nothing twice.
      expect(acknowledged).toBe(REQUESTS);
      expect(result.missing).toEqual([]);
      expect(result.duplicated).toEqual([]);
      expect(result.stored).toBe(acked.length);
      expect(Date.now() - began).toBeLessThan(240_000);
    } finally {
      stopLoading = true;
      await watcher.close().catch(() => undefined);
    }
  }, 300_000);
});
