import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../../../../test/constants.ts';
import { buildLine, buildMachine, buildSite, type MachineRecord } from '../../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../../test/harness.ts';
import {
  startSimulatedMachine,
  startTcpRelay,
  type SimulatedMachine,
  type TcpRelay,
} from '../../../../../test/opcua-sim.ts';
import { SYSTEM_SCOPE } from '../../../../platform/db/database.ts';
import { createLogger } from '../../../../platform/logger.ts';
import { startOpcuaIngest, type OpcuaIngest } from '../index.ts';

/**
 * Network faults between HOM and the server, through a TCP relay: a half-open link (bytes silently
 * lost, no socket error) that only the stall watchdog notices, and a cut network.
 */
let h: Harness;
let sim: SimulatedMachine;
let relay: TcpRelay;
let ingest: OpcuaIngest;
let machine: MachineRecord;
let pkiDir: string;

async function waitFor<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, ms = 45_000) {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const lastCountAt = () =>
  h.db
    .transaction(SYSTEM_SCOPE, (tx) =>
      sql<{ at: Date | null }>`select max(at) as at from machine_counts
        where machine_id = ${machine.id} and kind = 'cycle'`.execute(tx),
    )
    .then((result) => result.rows[0]?.at ?? null);
const stalePeriods = () =>
  h.db
    .transaction(SYSTEM_SCOPE, (tx) =>
      sql<{ reason: string; started_at: Date; ended_at: Date | null }>`
        select reason, started_at, ended_at from machine_stale_periods
        where machine_id = ${machine.id} and source = 'opcua' order by started_at`.execute(tx),
    )
    .then((result) => result.rows);
const status = () => {
  const [first] = ingest.status();
  if (!first) throw new Error('no endpoint subscribed');
  return first;
};

beforeAll(async () => {
  pkiDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-opcua-faults-pki-'));
  [h, sim] = await Promise.all([createHarness(), startSimulatedMachine({ cycleMs: 200 })]);
  relay = await startTcpRelay(sim.port);
  const site = await buildSite(h);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  const saved = await h.request({
    method: 'PUT',
    url: `/machines/${machine.id}/opcua`,
    token: h.adminToken,
    payload: {
      endpoint_url: `opc.tcp://127.0.0.1:${relay.port}/UA/HomSim`,
      cycle_node_id: sim.nodeIds.cycle,
      state_node_id: sim.nodeIds.state,
      publishing_interval_ms: 250,
    },
  });
  expect(saved.statusCode, saved.body).toBe(201);
  ingest = startOpcuaIngest({
    db: h.db,
    log: createLogger('silent'),
    signals: h.server.modules.telemetry.signals,
    secret: TEST_SECRET,
    pkiDir,
    pollIntervalMs: 500,
    keepAliveMs: 1000,
    stallAfterMs: 3000,
    reconnectInitialMs: 200,
    reconnectMaxMs: 1000,
    // Longer than the stall threshold, so HOM's watchdog, not a request time-out, notices a silent subscription.
    requestTimeoutMs: 10_000,
  });
  await waitFor('first counts', lastCountAt, (at) => at !== null);
}, 90_000);

afterAll(async () => {
  await ingest?.stop();
  await relay?.close();
  await Promise.all([h?.close(), sim?.stop()]);
  await fs.rm(pkiDir, { recursive: true, force: true });
});

describe('OPC-UA ingest under network faults', () => {
  it('rebuilds a subscription the server dropped without a word (session up, no data, no keep-alive)', async () => {
    const before = status();
    const droppedAt = new Date();
    expect(sim.dropSubscriptions()).toBe(1);
    await waitFor(
      'the watchdog to rebuild',
      async () => status(),
      (now) => now.subscriptions_rebuilt > before.subscriptions_rebuilt,
    );
    const periods = await waitFor('a stale period for the stall', stalePeriods, (rows) =>
      rows.some((row) => row.started_at >= droppedAt),
    );
    expect(periods.find((row) => row.started_at >= droppedAt)?.reason).toMatch(
      /no data and no keep-alive .* stalled/,
    );
    await waitFor(
      'counts after the rebuild',
      lastCountAt,
      (at) => at !== null && at.getTime() > Date.now() - 2000,
    );
    await waitFor('the stale period closed', stalePeriods, (rows) =>
      rows.every((row) => row.ended_at !== null),
    );
    expect(status()).toMatchObject({ status: 'connected', connections_lost: before.connections_lost });
  }, 90_000);

  it('recovers from a half-open link (bytes silently lost) and records the gap', async () => {
    const frozenAt = new Date();
    relay.blackhole(); // the open connection passes nothing any more; new connections work
    const periods = await waitFor('a stale period for the silent link', stalePeriods, (rows) =>
      rows.some((row) => row.started_at >= frozenAt),
    );
    expect(periods.find((row) => row.started_at >= frozenAt)?.reason).toMatch(/stalled|lost/);
    relay.restore();
    await waitFor(
      'counts after the silent link',
      lastCountAt,
      (at) => at !== null && at.getTime() > Date.now() - 2000,
    );
    await waitFor('the stale period closed', stalePeriods, (rows) =>
      rows.every((row) => row.ended_at !== null),
    );
    await waitFor(
      'connected',
      async () => status().status,
      (value) => value === 'connected',
    );
  }, 90_000);

  it('marks the machine stale while the network is cut and recovers when it is back', async () => {
    const cutAt = new Date();
    relay.cut();
    await waitFor('a stale period for the cut', stalePeriods, (rows) =>
      rows.some((row) => row.started_at >= cutAt && row.ended_at === null),
    );
    const connection = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/opcua`,
      token: h.adminToken,
    });
    expect(['reconnecting', 'stalled', 'connecting', 'error']).toContain(connection.json().status);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const restoredAt = new Date();
    relay.restore();
    await waitFor('counts after the cut', lastCountAt, (at) => at !== null && at > restoredAt);
    const periods = await waitFor('the stale period closed', stalePeriods, (rows) =>
      rows.every((row) => row.ended_at !== null),
    );
    const gap = periods.find((row) => row.started_at >= cutAt);
    expect(gap?.ended_at?.getTime()).toBeGreaterThanOrEqual(restoredAt.getTime());
    await waitFor(
      'connected again',
      async () =>
        (
          await h.request({ method: 'GET', url: `/machines/${machine.id}/opcua`, token: h.adminToken })
        ).json(),
      (row: { status: string }) => row.status === 'connected',
    );
  }, 90_000);
});
