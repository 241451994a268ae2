import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, type MachineRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';

// Machine shots in batches (shots.machine.ts) give what one value at a time gives.
let h: Harness;
let siteId: number;
let sequence = 0;
const at = (minutes: number) => new Date(Date.parse('2026-01-12T08:00:00Z') + minutes * 60_000);

beforeAll(async () => {
  h = await createHarness();
  siteId = (await buildSite(h)).id;
});
afterAll(() => h.close());

const shots = () => h.server.modules.tools.shots;
type Value = [counter: number, minutes: number];

async function mountedPress(): Promise<{ press: MachineRecord; toolId: number }> {
  const press = await buildMachine(h, (await buildLine(h, siteId)).id);
  const tool = await h.request({
    method: 'POST',
    url: '/tools',
    token: h.adminToken,
    payload: { site_id: siteId, asset_number: `BATCH-${++sequence}`, name: 'Cap mould' },
  });
  expect(tool.statusCode).toBe(201);
  const mount = await h.request({
    method: 'POST',
    url: `/tools/${tool.json().id}/mount`,
    token: h.adminToken,
    payload: { machine_id: press.id, at: at(0).toISOString() },
  });
  expect(mount.statusCode).toBe(201);
  return { press, toolId: tool.json().id };
}

const batch = (press: MachineRecord, values: Value[]) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    shots().recordMachineCycleBatch(
      tx,
      values.map(([counter, minutes]) => ({ machine_id: press.id, counter_value: counter, at: at(minutes) })),
    ),
  );
const single = (press: MachineRecord, [counter, minutes]: Value) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    shots().recordMachineCycles(tx, { machine_id: press.id, counter_value: counter, at: at(minutes) }),
  );

async function stateOf(toolId: number) {
  return h.db.transaction(SYSTEM_SCOPE, async (tx) => {
    const readings = await sql<{ taken_at: Date; counter_value: number; delta: number; is_reset: boolean }>`
      select taken_at, counter_value, delta, is_reset from tool_shot_readings
       where tool_id = ${toolId} order by taken_at`.execute(tx);
    const tool = await sql<{ total_shots: number; last_reading_at: Date | null }>`
      select total_shots, last_reading_at from tools where id = ${toolId}`.execute(tx);
    return { readings: readings.rows, tool: tool.rows[0] };
  });
}

describe('machine shots in batches', () => {
  it('gives the same readings, deltas and totals as one value at a time, in and out of order', async () => {
    const [a, b] = [await mountedPress(), await mountedPress()];
    const batches: Value[][] = [
      [
        [50_000, -5], // before the mounting: not this tool's
        [50_100, 1], // the mounting's baseline
        [50_400, 10],
      ],
      [
        [50_400, 10], // re-delivered
        [50_350, 5], // out of order
        [120, 12], // a reset
        [300, 15],
      ],
      [
        [280, 14], // out of order, alone
        [310, 16],
        [330, 17],
      ],
    ];
    const results = [];
    for (const values of batches) results.push(...(await batch(a.press, values)));
    const singles = [];
    for (const value of batches.flat()) singles.push(await single(b.press, value));

    const [batched, oneByOne] = [await stateOf(a.toolId), await stateOf(b.toolId)];
    expect(batched).toEqual(oneByOne);
    expect(batched.tool?.total_shots).toBe(250 + 50 + 120 + 160 + 20 + 10 + 20);
    expect(batched.readings.map((r) => [r.delta, r.is_reset])).toEqual([
      [0, false],
      [250, false],
      [50, false],
      [120, true],
      [160, false],
      [20, false],
      [10, false],
      [20, false],
    ]);
    expect(batched.tool?.last_reading_at).toEqual(at(17));
    const toolIds = (rows: { tool_ids: number[] }[]) => rows.map((row) => row.tool_ids.length);
    expect(toolIds(results)).toEqual([0, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
    expect(toolIds(results)).toEqual(toolIds(singles));
  });

  it('keeps machines apart in one batch and stores nothing twice', async () => {
    const [a, b] = [await mountedPress(), await mountedPress()];
    const values = (press: MachineRecord, start: number, step: number) =>
      Array.from({ length: 30 }, (_, i) => ({
        machine_id: press.id,
        counter_value: start + i * step,
        at: at(1 + i),
      }));
    const inputs = [...values(a.press, 1_000, 2), ...values(b.press, 7, 5)].sort(
      (x, y) => x.at.getTime() - y.at.getTime(),
    );
    const record = () => h.db.transaction(SYSTEM_SCOPE, (tx) => shots().recordMachineCycleBatch(tx, inputs));
    await record();
    await record(); // re-delivered: nothing changes
    expect((await stateOf(a.toolId)).tool?.total_shots).toBe(29 * 2);
    expect((await stateOf(b.toolId)).tool?.total_shots).toBe(29 * 5);
    expect((await stateOf(b.toolId)).readings).toHaveLength(30);
  });

  it('starts a new mounting’s stream from its own baseline when the tool has readings from before', async () => {
    const { press, toolId } = await mountedPress();
    await batch(press, [
      [1_000, 1],
      [1_040, 2],
    ]);
    const manual = await h.request({
      method: 'POST',
      url: `/tools/${toolId}/shots`,
      token: h.adminToken,
      payload: { kind: 'delta', shots: 5, taken_at: at(3).toISOString() },
    });
    expect(manual.statusCode).toBe(201);
    const moved = await h.request({
      method: 'POST',
      url: `/tools/${toolId}/unmount`,
      token: h.adminToken,
      payload: { at: at(4).toISOString() },
    });
    expect(moved.statusCode).toBe(200);
    const other = await buildMachine(h, (await buildLine(h, siteId)).id);
    const mount = await h.request({
      method: 'POST',
      url: `/tools/${toolId}/mount`,
      token: h.adminToken,
      payload: { machine_id: other.id, at: at(5).toISOString() },
    });
    expect(mount.statusCode).toBe(201);
    await batch(other, [
      [77_000, 6], // the new mounting's baseline
      [77_030, 7],
    ]);
    await batch(other, [[77_050, 8]]);
    const state = await stateOf(toolId);
    expect(state.tool?.total_shots).toBe(40 + 5 + 30 + 20);
    expect(state.tool?.last_reading_at).toEqual(at(8));
  });
});
