import { sql } from 'kysely';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, type MachineRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import type { RunningMqttIngest } from '../mqtt/mqtt.ingest.ts';
import {
  createPrivateBroker,
  publisher,
  startIngest,
  uniqueId,
  waitFor,
  type PrivateBroker,
} from './mqtt.fixtures.ts';

/**
 * A broker restart in the middle of a QoS 1 stream: a private Mosquitto (persistence on) is stopped
 * and started twice while a publisher keeps sending; every message the broker acknowledged to the
 * publisher must be in PostgreSQL exactly once. Bare numbers, stamped on receipt, so nothing but HOM's
 * acknowledgement discipline (not the readings' idempotency key) keeps a redelivery from being stored twice.
 */
let h: Harness;
let broker: PrivateBroker;
let site: { id: number; code: string };
let machine: MachineRecord;
let ingest: RunningMqttIngest | undefined;
const root = uniqueId('hom-restart');
const TOTAL = 4_000;
const WINDOW = 20;

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  broker = await createPrivateBroker();
  await broker.start();
});

afterAll(async () => {
  await ingest?.stop();
  await broker?.remove();
  await h?.close();
});

/** Publishes 0..TOTAL-1 with up to WINDOW unacknowledged; a lost connection forgets its unacknowledged ones. */
function startPublishing(url: string, topic: string) {
  const acked = new Set<number>();
  let next = 0;
  let stopped = false;
  const run = (async () => {
    const deadline = Date.now() + 120_000;
    while (next < TOTAL && !stopped && Date.now() < deadline) {
      let client: MqttClient;
      try {
        client = await publisher(url, uniqueId('restart-pub'));
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      const inFlight = new Set<Promise<void>>();
      let open = true;
      void closed.then(() => (open = false));
      while (open && next < TOTAL && !stopped) {
        if (inFlight.size >= WINDOW) {
          await Promise.race([...inFlight, closed]);
          continue;
        }
        const seq = next;
        next += 1;
        const sending: Promise<void> = client.publishAsync(topic, String(seq), { qos: 1 }).then(
          () => {
            acked.add(seq);
            inFlight.delete(sending);
          },
          () => {
            inFlight.delete(sending);
          },
        );
        inFlight.add(sending);
      }
      if (open) await Promise.race([Promise.allSettled([...inFlight]), closed]);
      client.end(true);
    }
  })();
  return { acked, done: run, stop: () => (stopped = true), sent: () => next };
}

describe('MQTT ingest across broker restarts', () => {
  it('stores every message the broker acknowledged exactly once', async () => {
    ingest = startIngest(h, {
      url: broker.url,
      clientId: uniqueId('hom-restart'),
      topics: { readings: [`${root}/{site}/{machine}/{sensor}`], results: null, state: null, counter: null },
    });
    await waitFor('the ingest to connect', async () => (ingest?.status().connected ? true : undefined));
    const topic = `${root}/${site.code}/${machine.code}/seq`;
    const stream = startPublishing(broker.url, topic);

    for (const after of [TOTAL / 4, (TOTAL * 5) / 8]) {
      await waitFor(
        `${after} acknowledged messages`,
        async () => (stream.acked.size >= after ? true : undefined),
        60_000,
      );
      await broker.stop();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await broker.start();
    }
    await stream.done;
    expect(stream.sent()).toBe(TOTAL);
    expect(stream.acked.size).toBeGreaterThan(TOTAL / 2);

    const stored = async () =>
      (
        await h.db.transaction(SYSTEM_SCOPE, (tx) =>
          sql<{ value: number; n: number }>`select value, count(*)::int as n from machine_readings
            where machine_id = ${machine.id} and reading_type = 'seq' group by value`.execute(tx),
        )
      ).rows;
    await waitFor(
      'every acknowledged message in PostgreSQL',
      async () => {
        const values = new Set((await stored()).map((row) => row.value));
        return [...stream.acked].every((seq) => values.has(seq)) ? true : undefined;
      },
      60_000,
    );
    // Let any late redelivery arrive, then nothing may be there twice.
    await waitFor('the ingest to hold nothing', async () => {
      const status = ingest?.status();
      return status && status.waiting + status.writing + status.unacked === 0 ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rows = await stored();
    expect(rows.filter((row) => row.n > 1)).toEqual([]);
    const values = new Set(rows.map((row) => row.value));
    expect([...stream.acked].filter((seq) => !values.has(seq))).toEqual([]);
    expect(ingest?.status().connected).toBe(true);
  });

  it('marks the machines it feeds stale while the broker is away, and fresh when it is back', async () => {
    await ingest?.stop();
    const fedMachine = await buildMachine(h, (await buildLine(h, site.id)).id);
    const outageRoot = uniqueId('hom-outage');
    ingest = startIngest(
      h,
      {
        url: broker.url,
        clientId: uniqueId('hom-outage'),
        topics: {
          readings: [`${outageRoot}/{site}/{machine}/{sensor}`],
          results: null,
          state: null,
          counter: null,
        },
      },
      { outageGraceMs: 500 },
    );
    await waitFor('the ingest to connect', async () => (ingest?.status().connected ? true : undefined));
    const client = await publisher(broker.url);
    await client.publishAsync(`${outageRoot}/${site.code}/${fedMachine.code}/temp`, '21.5', { qos: 1 });
    await client.endAsync();
    await waitFor('the reading stored', async () =>
      (await readingCount(fedMachine.id)) === 1 ? true : undefined,
    );

    // A quick restart is no outage; a broker away longer than the grace makes the machine stale.
    await broker.stop();
    const period = await waitFor('the stale period', () => staleOf(fedMachine.id, 'mqtt'), 10_000);
    expect(period.reason).toMatch(/^MQTT broker mqtt:\/\/127\.0\.0\.1:\d+ unreachable since /);
    expect(period.ended_at).toBeNull();
    const board = await h.request({
      method: 'GET',
      url: `/machines/board?site_id=${site.id}`,
      token: h.adminToken,
    });
    const card = (board.json() as { machines: { id: number; stale: { source: string }[] }[] }).machines.find(
      (m) => m.id === fedMachine.id,
    );
    expect(card?.stale.map((s) => s.source)).toEqual(['mqtt']);
    // A machine MQTT never fed is not marked.
    expect(await staleOf(machine.id, 'mqtt')).toBeUndefined();

    await broker.start();
    await waitFor('the stale period to end', async () => {
      const ended = await lastStale(fedMachine.id, 'mqtt');
      return ended?.ended_at ? ended : undefined;
    });
    expect(await staleOf(fedMachine.id, 'mqtt')).toBeUndefined();
  });
});

interface StaleRow {
  reason: string;
  started_at: Date;
  ended_at: Date | null;
}
async function lastStale(machineId: number, source: string): Promise<StaleRow | undefined> {
  const result = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
    sql<StaleRow>`select reason, started_at, ended_at from machine_stale_periods
      where machine_id = ${machineId} and source = ${source} order by started_at desc limit 1`.execute(tx),
  );
  return result.rows[0];
}
async function staleOf(machineId: number, source: string): Promise<StaleRow | undefined> {
  const row = await lastStale(machineId, source);
  return row && row.ended_at === null ? row : undefined;
}
async function readingCount(machineId: number): Promise<number> {
  const result = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
    sql<{
      n: number;
    }>`select count(*)::int as n from machine_readings where machine_id = ${machineId}`.execute(tx),
  );
  return result.rows[0]?.n ?? 0;
}
