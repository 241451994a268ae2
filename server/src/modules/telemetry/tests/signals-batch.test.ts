import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, type MachineRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import { checkAutomaticStops, type CountSignal, type StateSignal } from '../index.ts';

// The signal recorder's batch forms give what the one-value forms give one by one in time order.
let h: Harness;
let siteId: number;
const base = Date.parse('2026-11-23T08:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(base + minutes * 60_000 + seconds * 1000);

beforeAll(async () => {
  h = await createHarness();
  siteId = (await buildSite(h, { time_zone: 'UTC' })).id;
});
afterAll(() => h.close());

const signals = () => h.server.modules.telemetry.signals;
const newMachine = async () => buildMachine(h, (await buildLine(h, siteId)).id);
const count = (
  machine: MachineRecord,
  kind: CountSignal['kind'],
  value: number,
  when: Date,
): CountSignal => ({
  machine_id: machine.id,
  site_id: machine.site_id,
  kind,
  counter_value: value,
  source: 'opcua',
  at: when,
});
const state = (machine: MachineRecord, value: StateSignal['state'], when: Date): StateSignal => ({
  machine_id: machine.id,
  site_id: machine.site_id,
  state: value,
  raw_value: value,
  source: 'opcua',
  at: when,
});
const inTx = <T>(work: (tx: Parameters<Parameters<typeof h.db.transaction>[1]>[0]) => Promise<T>) =>
  h.db.transaction(SYSTEM_SCOPE, work);
const recordCounts = (inputs: CountSignal[]) => inTx((tx) => signals().recordCounts(tx, inputs));
const oneByOne = async (inputs: CountSignal[]) => {
  const results = [];
  for (const input of inputs) results.push(await inTx((tx) => signals().recordCount(tx, input)));
  return results;
};

async function countsOf(machine: MachineRecord) {
  const { rows } = await inTx((tx) =>
    sql<{ kind: string; counter_value: number; delta: number; at: Date }>`
      select kind, counter_value, delta, at from machine_counts
       where machine_id = ${machine.id} order by kind, at`.execute(tx),
  );
  return rows;
}
const withoutMachine = <T extends { machine_id: number; site_id: number }>(row: T | null) =>
  row && { ...row, machine_id: 0, site_id: 0 };

describe('recording signals in batches', () => {
  it('chains the deltas of one machine and kind, with a reset in the middle, as one by one does', async () => {
    const [a, b] = [await newMachine(), await newMachine()];
    const values: [CountSignal['kind'], number, number][] = [
      ['cycle', 1000, 0],
      ['cycle', 1010, 1],
      ['good', 7, 1],
      ['cycle', 1030, 2],
      ['cycle', 5, 3], // reset
      ['good', 9, 3],
      ['cycle', 12, 4],
    ];
    const batch = await recordCounts(values.map(([kind, value, m]) => count(a, kind, value, at(m))));
    const single = await oneByOne(values.map(([kind, value, m]) => count(b, kind, value, at(m))));
    expect(batch.map((row) => row?.delta)).toEqual([0, 10, 0, 20, 5, 2, 7]);
    expect(batch.map((row) => row?.reset)).toEqual([false, false, false, false, true, false, false]);
    expect(batch.map(withoutMachine)).toEqual(single.map(withoutMachine));
    expect(await countsOf(a)).toEqual(await countsOf(b));
  });

  it('chains against stored values, takes a batch in time order, and stores a repeat once', async () => {
    const machine = await newMachine();
    await recordCounts([count(machine, 'cycle', 100, at(0)), count(machine, 'cycle', 110, at(2))]);
    const results = await recordCounts([
      count(machine, 'cycle', 130, at(4)),
      count(machine, 'cycle', 110, at(2)), // stored already
      count(machine, 'cycle', 120, at(3)),
      count(machine, 'cycle', 120, at(3)), // twice in the batch
      count(machine, 'cycle', 105, at(1)), // between stored values
    ]);
    expect(results.map((row) => row?.delta ?? null)).toEqual([10, null, 10, null, 5]);
    expect((await countsOf(machine)).map((row) => [row.counter_value, row.delta])).toEqual([
      [100, 0],
      [105, 5],
      [110, 10],
      [120, 10],
      [130, 10],
    ]);
    expect(await recordCounts([count(machine, 'cycle', 130, at(4))])).toEqual([null]); // re-delivered
  });

  it('keeps machines apart in one batch, and the hourly sums equal the sums of the deltas', async () => {
    const [a, b] = [await newMachine(), await newMachine()];
    const inputs: CountSignal[] = [];
    for (let i = 0; i < 40; i += 1) {
      inputs.push(count(a, 'cycle', 500 + i * 3, at(i * 5)));
      inputs.push(count(b, 'cycle', i === 20 ? 2 : 1000 + i, at(i * 5, 30)));
      inputs.push(count(b, 'reject', i, at(i * 5, 30)));
    }
    await recordCounts(inputs.slice(0, 60));
    await recordCounts(inputs.slice(60));
    expect((await countsOf(a)).reduce((sum, row) => sum + row.delta, 0)).toBe(39 * 3);
    const { rows } = await inTx((tx) =>
      sql<{ machine_id: number; kind: string; hour: Date; deltas: number; hourly: number | null }>`
        select s.*, hh.delta::int as hourly
          from (select c.machine_id, c.kind, date_trunc('hour', c.at, 'UTC') as hour, sum(c.delta)::int as deltas
                  from machine_counts c where c.machine_id = any(${[a.id, b.id]}::bigint[])
                 group by 1, 2, 3) s
          left join machine_count_hours hh on hh.machine_id = s.machine_id and hh.kind = s.kind and hh.hour = s.hour
         order by 1, 2, 3`.execute(tx),
    );
    expect(rows.length).toBeGreaterThanOrEqual(6); // 200 minutes: 4 hours, 3 series
    for (const row of rows) expect(row.hourly).toBe(row.deltas);
  });

  it('keeps each machine’s state timeline as one by one does: repeats and late states change nothing', async () => {
    const [a, b] = [await newMachine(), await newMachine()];
    const timeline: [StateSignal['state'], number][] = [
      ['running', 0],
      ['running', 1],
      ['stopped', 10],
      ['fault', 5], // late
      ['running', 12],
      ['idle', 12],
    ];
    const batch = await inTx((tx) =>
      signals().recordStates(
        tx,
        timeline.map(([value, m]) => state(a, value, at(m))),
      ),
    );
    const single = [];
    for (const [value, m] of timeline)
      single.push(await inTx((tx) => signals().recordState(tx, state(b, value, at(m)))));
    expect(batch.map(withoutMachine)).toEqual(single.map(withoutMachine));
    const periods = async (machine: MachineRecord) =>
      (
        await inTx((tx) =>
          sql<{ state: string; started_at: Date; ended_at: Date | null }>`
            select state, started_at, ended_at from machine_states
             where machine_id = ${machine.id} order by started_at, id`.execute(tx),
        )
      ).rows;
    expect(await periods(a)).toEqual([
      { state: 'running', started_at: at(0), ended_at: at(10) },
      { state: 'stopped', started_at: at(10), ended_at: at(12) },
      { state: 'running', started_at: at(12), ended_at: at(12) },
      { state: 'idle', started_at: at(12), ended_at: null },
    ]);
    expect(await periods(b)).toEqual(await periods(a));
    // The next batch continues from the stored open period.
    const next = await inTx((tx) =>
      signals().recordStates(tx, [state(a, 'idle', at(13)), state(a, 'running', at(14))]),
    );
    expect(next.map((change) => change?.previous ?? null)).toEqual([
      null,
      { state: 'idle', started_at: at(12) },
    ]);
  });

  it('ends an open automatic stop at the batch’s first cycle after it began and records a gap the check missed', async () => {
    const machine = await newMachine();
    const settings = await h.request({
      method: 'PUT',
      url: `/machines/${machine.id}/downtime-settings`,
      token: h.adminToken,
      payload: { stop_threshold_seconds: 120, no_cycle_factor: 3, ideal_cycle_seconds: 10 },
    });
    expect(settings.statusCode).toBe(200);
    await inTx((tx) => signals().recordState(tx, state(machine, 'running', at(400))));
    await recordCounts([count(machine, 'cycle', 100, at(400)), count(machine, 'cycle', 101, at(400, 10))]);
    await checkAutomaticStops(h.db, at(400, 40)); // 30 s without a cycle: opens a stop at 400:10
    await recordCounts([
      count(machine, 'cycle', 102, at(402)), // ends the open stop
      count(machine, 'cycle', 103, at(403, 40)), // a 100 s gap nobody checked
      count(machine, 'cycle', 104, at(403, 50)),
    ]);
    const { rows } = await inTx((tx) =>
      sql<{ start_at: Date; end_at: Date | null; source: string }>`
        select start_at, end_at, source from downtimes where machine_id = ${machine.id} order by start_at`.execute(
        tx,
      ),
    );
    expect(rows).toEqual([
      { start_at: at(400, 10), end_at: at(402), source: 'automatic' },
      { start_at: at(402), end_at: at(403, 40), source: 'automatic' },
    ]);
  });
});
