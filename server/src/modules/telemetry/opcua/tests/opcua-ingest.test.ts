import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../../../../test/constants.ts';
import { buildLine, buildMachine, buildSite, type MachineRecord } from '../../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../../test/harness.ts';
import { startSimulatedMachine, type SimulatedMachine } from '../../../../../test/opcua-sim.ts';
import { SYSTEM_SCOPE } from '../../../../platform/db/database.ts';
import { createLogger } from '../../../../platform/logger.ts';
import { startOpcuaIngest, type OpcuaIngest } from '../index.ts';

let h: Harness;
let sim: SimulatedMachine;
let ingest: OpcuaIngest;
let machine: MachineRecord;
let toolId: number;
let pkiDir: string;

/** Polls `probe` until it returns a value `accept` likes, or fails with the last value seen. */
async function waitFor<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const query = <R>(text: ReturnType<typeof sql<R>>) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) => text.execute(tx));
const counts = () =>
  query(sql<{ at: Date; counter_value: string; delta: string }>`
    select at, counter_value, delta from machine_counts
    where machine_id = ${machine.id} and kind = 'cycle' order by at`).then((result) =>
    result.rows.map((row) => ({ at: row.at, value: Number(row.counter_value), delta: Number(row.delta) })),
  );
const states = () =>
  query(sql<{ state: string; raw_value: string }>`
    select state, raw_value from machine_states where machine_id = ${machine.id} order by started_at`).then(
    (result) => result.rows,
  );
const stalePeriods = () =>
  query(sql<{ reason: string; started_at: Date; ended_at: Date | null }>`
    select reason, started_at, ended_at from machine_stale_periods
    where machine_id = ${machine.id} and source = 'opcua' order by started_at`).then((result) => result.rows);
const connection = async () =>
  (await h.request({ method: 'GET', url: `/machines/${machine.id}/opcua`, token: h.adminToken })).json() as {
    status: string;
    last_error: string | null;
    last_connected_at: string | null;
    last_data_at: string | null;
  };

beforeAll(async () => {
  pkiDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-opcua-ingest-pki-'));
  [h, sim] = await Promise.all([createHarness(), startSimulatedMachine({ cycleMs: 200 })]);
  const site = await buildSite(h);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  const tool = await h.request({
    method: 'POST',
    url: '/tools',
    token: h.adminToken,
    payload: { site_id: site.id, asset_number: 'MOULD-OPC-1', name: 'Cap mould' },
  });
  toolId = tool.json().id;
  const mounted = await h.request({
    method: 'POST',
    url: `/tools/${toolId}/mount`,
    token: h.adminToken,
    payload: { machine_id: machine.id },
  });
  expect(mounted.statusCode, mounted.body).toBe(201);
  const saved = await h.request({
    method: 'PUT',
    url: `/machines/${machine.id}/opcua`,
    token: h.adminToken,
    payload: {
      endpoint_url: sim.url,
      cycle_node_id: sim.nodeIds.cycle,
      state_node_id: sim.nodeIds.state,
      good_node_id: sim.nodeIds.good,
      reject_node_id: sim.nodeIds.reject,
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
    reconnectInitialMs: 200,
    reconnectMaxMs: 1000,
    requestTimeoutMs: 5000,
  });
}, 90_000);

afterAll(async () => {
  await ingest?.stop();
  await Promise.all([h?.close(), sim?.stop()]);
  await fs.rm(pkiDir, { recursive: true, force: true });
});

describe('OPC-UA ingest from a simulated moulding machine', () => {
  it('turns the cycle counter into production counts and shots of the mounted tool, the state into the timeline', async () => {
    const seen = await waitFor(
      'ten cycles counted',
      counts,
      (rows) => rows.reduce((sum, row) => sum + row.delta, 0) >= 10,
    );
    expect(seen.every((row, index) => index === 0 || row.value >= (seen[index - 1]?.value ?? 0))).toBe(true);
    await waitFor('a running state', states, (rows) =>
      rows.some((row) => row.state === 'running' && row.raw_value === '1'),
    );
    const kinds = await query(sql<{ kind: string }>`
      select distinct kind from machine_counts where machine_id = ${machine.id} order by kind`);
    await waitFor(
      'good and reject counts',
      () =>
        query(
          sql<{ kind: string }>`select distinct kind from machine_counts where machine_id = ${machine.id}`,
        ),
      (result) => result.rows.length === 3,
    );
    expect(kinds.rows.length).toBeGreaterThan(0);

    sim.setState(3);
    await waitFor(
      'a fault state',
      states,
      (rows) => rows.at(-1)?.state === 'fault' && rows.at(-1)?.raw_value === '3',
    );
    sim.setState(1);
    await waitFor('running again', states, (rows) => rows.at(-1)?.state === 'running');

    const status = await waitFor(
      'connected',
      connection,
      (row) => row.status === 'connected' && row.last_data_at !== null,
    );
    expect(status.last_error).toBeNull();
    expect(status.last_connected_at).not.toBeNull();

    // The mounted tool counts the same cycles as the machine (both take the first value as the baseline).
    await waitFor(
      'tool shots equal to the counted cycles',
      async () => {
        const [tool, rows] = await Promise.all([
          h
            .request({ method: 'GET', url: `/tools/${toolId}`, token: h.adminToken })
            .then((r) => r.json().total_shots as number),
          counts(),
        ]);
        return { tool, cycles: rows.reduce((sum, row) => sum + row.delta, 0) };
      },
      (value) => value.tool > 0 && value.tool === value.cycles,
    );
  }, 90_000);

  it('reconnects by itself after a server restart, records the gap as stale and handles the counter reset', async () => {
    const before = await counts();
    const highest = Math.max(...before.map((row) => row.value));
    const restartedAt = new Date();
    await sim.restart(); // the counter starts again from 0
    await waitFor('counts after the restart, from a reset counter', counts, (rows) =>
      rows.some((row) => row.at > restartedAt && row.value < highest && row.value >= 3),
    );
    const after = await counts();
    expect(after.every((row) => row.delta >= 0 && row.delta <= 20)).toBe(true); // no negative or huge deltas
    const reset = after.find((row) => row.at > restartedAt && row.value < highest);
    expect(reset?.delta).toBe(reset?.value); // a reset counts the new value

    const periods = await waitFor('a closed stale period for the gap', stalePeriods, (rows) =>
      rows.some((row) => row.ended_at !== null && row.ended_at >= restartedAt),
    );
    const gap = periods.find((row) => row.ended_at !== null && row.ended_at >= restartedAt);
    expect(gap?.reason).toMatch(/OPC-UA/);
    expect(periods.filter((row) => row.ended_at === null)).toEqual([]);
    expect(ingest.status()[0]).toMatchObject({ status: 'connected' });
    expect(ingest.status()[0]?.connections_lost).toBeGreaterThanOrEqual(1);
    await waitFor('connected', connection, (row) => row.status === 'connected');

    const [tool, cycles] = await Promise.all([
      h
        .request({ method: 'GET', url: `/tools/${toolId}`, token: h.adminToken })
        .then((r) => r.json().total_shots as number),
      counts().then((rows) => rows.reduce((sum, row) => sum + row.delta, 0)),
    ]);
    expect(Math.abs(tool - cycles)).toBeLessThanOrEqual(5); // the last cycles may still be on their way
  }, 90_000);

  it('follows configuration changes: a wrong node is reported, a removed connection unsubscribes', async () => {
    const changed = await h.request({
      method: 'PUT',
      url: `/machines/${machine.id}/opcua`,
      token: h.adminToken,
      payload: {
        endpoint_url: sim.url,
        cycle_node_id: 'ns=1;s=IMM-01.NoSuchCounter',
        state_node_id: sim.nodeIds.state,
      },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const reported = await waitFor('the wrong node reported', connection, (row) => row.status === 'error');
    expect(reported.last_error).toContain('NoSuchCounter');

    const removed = await h.request({
      method: 'DELETE',
      url: `/machines/${machine.id}/opcua`,
      token: h.adminToken,
    });
    expect(removed.statusCode).toBe(204);
    await waitFor(
      'no endpoint subscribed',
      async () => ingest.status().length,
      (length) => length === 0,
      15_000,
    );
  }, 90_000);
});
