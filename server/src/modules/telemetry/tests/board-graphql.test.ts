import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { gql, gqlCode, gqlData, restShape } from '../../../../test/graphql.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import type { Board, Timeline } from '../board.dto.ts';
import type { MachineState } from '../index.ts';

/**
 * `machineBoard` and `machineStates` (board.graphql.ts) against GET /machines/board and
 * GET /machines/{id}/states: the same cards and periods for the same input, the same refusals, and a
 * viewer of another site sees nothing of site A.
 */
let h: Harness;
let siteA: number;
let siteB: number;
let pressA: MachineRecord;
let quietA: MachineRecord;
let pressB: MachineRecord;
let viewerA: UserRecord;
let viewerB: UserRecord;

const BOARD = `query Board($siteId: ID, $lineId: ID) {
  machineBoard(siteId: $siteId, lineId: $lineId) {
    generatedAt
    machines {
      id code name siteId line { id code name } state stateSince
      stale { source reason since }
      tools { toolId assetNumber name position totalShots lifeLimitShots lifeUsedPercent }
      lastCycleAt shift { start end name } counts { cycle good reject }
      oee { oee availability performance quality }
      sparklines { readingType unit lastValue lastAt points { minute average } }
    }
  }
}`;
const STATES = `query States($machineId: ID!, $from: DateTime, $to: DateTime) {
  machineStates(machineId: $machineId, from: $from, to: $to) {
    machineId from to truncated
    states { state rawValue source start end open }
    stale { source reason start end open }
  }
}`;

const signals = () => h.server.modules.telemetry.signals;
const state = (machine: MachineRecord, value: MachineState, at: Date) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    signals().recordState(tx, {
      machine_id: machine.id,
      site_id: machine.site_id,
      state: value,
      raw_value: value === 'running' ? '1' : '0',
      source: 'opcua',
      at,
    }),
  );
const count = (machine: MachineRecord, value: number, at: Date) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    signals().recordCount(tx, {
      machine_id: machine.id,
      site_id: machine.site_id,
      kind: 'cycle',
      counter_value: value,
      source: 'opcua',
      at,
    }),
  );

async function rest<T>(url: string, token: string): Promise<T> {
  const response = await h.request({ method: 'GET', url, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** A GraphQL board in REST's shape (sparkline points back to [minute, average] pairs). */
function boardAsRest(data: { machineBoard: unknown }): Board {
  const shaped = restShape(data.machineBoard, ['state']) as {
    machines: { sparklines: { points: unknown[] }[] }[];
  };
  for (const card of shaped.machines)
    for (const line of card.sparklines)
      line.points = line.points.map((point) => {
        const { minute, average } = point as { minute: string; average: number };
        return [minute, average];
      });
  return shaped as unknown as Board;
}
const withoutClock = ({ generated_at: _, ...rest }: Board) => rest;

beforeAll(async () => {
  h = await createHarness();
  const [a, b] = await Promise.all([buildSite(h, { time_zone: 'UTC' }), buildSite(h, { time_zone: 'UTC' })]);
  siteA = a.id;
  siteB = b.id;
  const lineA = (await buildLine(h, siteA)).id;
  pressA = await buildMachine(h, lineA);
  quietA = await buildMachine(h, lineA);
  pressB = await buildMachine(h, (await buildLine(h, siteB)).id);
  viewerA = await buildUser(h, { role: 'viewer', site_ids: [siteA] });
  viewerB = await buildUser(h, { role: 'viewer', site_ids: [siteB] });

  const now = Date.now();
  const dayStart = new Date(now).setUTCHours(0, 0, 0, 0);
  const back = (seconds: number) => new Date(Math.max(now - seconds * 1000, dayStart + 10 - seconds));
  await state(pressA, 'running', back(9));
  await count(pressA, 500, back(8));
  await count(pressA, 507, back(4));
  await state(pressB, 'fault', back(5));
  await h.db.transaction(SYSTEM_SCOPE, (tx) =>
    signals().markStale(tx, {
      machine_id: quietA.id,
      site_id: quietA.site_id,
      source: 'mqtt',
      reason: 'no reading for 5 min',
      at: back(3),
    }),
  );
  const tool = await h.request({
    method: 'POST',
    url: '/tools',
    token: h.adminToken,
    payload: { site_id: siteA, asset_number: `MLD-G${now}`, name: 'Lid mould', life_limit_shots: 5000 },
  });
  expect(tool.statusCode, tool.body).toBe(201);
  const mount = await h.request({
    method: 'POST',
    url: `/tools/${tool.json().id}/mount`,
    token: h.adminToken,
    payload: { machine_id: pressA.id, at: new Date(now - 60_000).toISOString() },
  });
  expect(mount.statusCode, mount.body).toBe(201);
  const minute = (ago: number) => new Date(now - ago * 60_000).toISOString();
  const readings = await h.request({
    method: 'POST',
    url: `/machines/${pressA.id}/readings`,
    token: h.adminToken,
    payload: [
      { reading_type: 'temperature', value: 221, unit: '°C', timestamp: minute(3) },
      { reading_type: 'temperature', value: 224, unit: '°C', timestamp: minute(1) },
    ],
  });
  expect(readings.statusCode, readings.body).toBeLessThan(300);
});
afterAll(() => h.close());

describe('machineBoard', () => {
  it('answers the same cards as GET /machines/board for the same site and line', async () => {
    const restBoard = await rest<Board>(`/machines/board?site_id=${siteA}`, viewerA.token);
    const gqlBoard = boardAsRest(await gqlData(h, viewerA.token, BOARD, { siteId: String(siteA) }));
    expect(withoutClock(gqlBoard)).toEqual(withoutClock(restBoard));
    // The comparison has something to compare: state, counts, the tool, a stale source, a sparkline.
    const press = gqlBoard.machines.find((m) => m.id === pressA.id);
    expect(press).toMatchObject({ state: 'running', counts: { cycle: 7 }, tools: [{ name: 'Lid mould' }] });
    expect(press?.sparklines[0]?.points.map(([, value]) => value)).toEqual([221, 224]);
    expect(gqlBoard.machines.find((m) => m.id === quietA.id)?.stale).toHaveLength(1);

    const line = pressA.line_id;
    expect(
      withoutClock(boardAsRest(await gqlData(h, h.adminToken, BOARD, { lineId: String(line) }))),
    ).toEqual(withoutClock(await rest<Board>(`/machines/board?line_id=${line}`, h.adminToken)));
  });

  it('shows a viewer of another site nothing of site A, and refuses site A by name', async () => {
    const all = boardAsRest(await gqlData(h, viewerB.token, BOARD));
    expect(all.machines.map((m) => m.id)).toEqual([pressB.id]);
    expect(all.machines[0]?.state).toBe('fault');
    const byLine = boardAsRest(await gqlData(h, viewerB.token, BOARD, { lineId: String(pressA.line_id) }));
    expect(byLine.machines).toEqual([]);
    const refused = await gqlCode(h, viewerB.token, BOARD, { siteId: String(siteA) });
    expect(refused.extensions.code).toBe('FORBIDDEN');
    expect(refused.path).toEqual(['machineBoard']);
    expect((await gqlCode(h, undefined, BOARD)).extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a malformed id with the field named, like the REST query string', async () => {
    const bad = await gqlCode(h, viewerA.token, BOARD, { siteId: 'A-1' });
    expect(bad.extensions.code).toBe('VALIDATION_FAILED');
    expect(bad.extensions.errors?.map((e) => e.field)).toEqual(['site_id']);
  });

  it('runs the same number of statements for 40 machines as for 2 (no query per card)', async () => {
    const site = await buildSite(h, { time_zone: 'UTC' });
    const statements = async (lineId: number) => {
      await gqlData(h, h.adminToken, BOARD, { lineId: String(lineId) }); // warm identity's caches
      const before = h.db.queryCount();
      const data = await gqlData<{ machineBoard: { machines: unknown[] } }>(h, h.adminToken, BOARD, {
        lineId: String(lineId),
      });
      return { used: h.db.queryCount() - before, cards: data.machineBoard.machines.length };
    };
    const small = (await buildLine(h, site.id)).id;
    for (let i = 0; i < 2; i += 1) await buildMachine(h, small);
    const large = (await buildLine(h, site.id)).id;
    for (let i = 0; i < 40; i += 1) await buildMachine(h, large);
    const [few, many] = [await statements(small), await statements(large)];
    expect([few.cards, many.cards]).toEqual([2, 40]);
    expect(many.used).toBe(few.used);
  });
});

describe('machineStates', () => {
  const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00.000Z`);

  it('answers the same timeline as GET /machines/{id}/states', async () => {
    const machine = await buildMachine(h, pressA.line_id);
    await state(machine, 'running', at('08:00'));
    await state(machine, 'stopped', at('08:10'));
    await state(machine, 'running', at('08:20'));
    await h.db.transaction(SYSTEM_SCOPE, async (tx) => {
      const stale = { machine_id: machine.id, site_id: machine.site_id, source: 'opcua' } as const;
      await signals().markStale(tx, { ...stale, reason: 'server unreachable', at: at('08:12') });
      await signals().markFresh(tx, { ...stale, at: at('08:14') });
    });
    const from = at('08:05').toISOString();
    const to = at('08:30').toISOString();
    const restTimeline = await rest<Timeline>(
      `/machines/${machine.id}/states?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      viewerA.token,
    );
    const data = await gqlData<{ machineStates: unknown }>(h, viewerA.token, STATES, {
      machineId: String(machine.id),
      from,
      to,
    });
    expect(restShape(data.machineStates, ['state'])).toEqual(restTimeline);
    expect(restTimeline.states.map((s) => [s.state, s.start, s.end])).toEqual([
      ['running', from, at('08:10').toISOString()],
      ['stopped', at('08:10').toISOString(), at('08:20').toISOString()],
      ['running', at('08:20').toISOString(), to],
    ]);
    expect(restTimeline.stale).toHaveLength(1);
  });

  it("hides site A's machine from a viewer of site B, as REST does", async () => {
    const hidden = await gqlCode(h, viewerB.token, STATES, { machineId: String(pressA.id) });
    const restHidden = await h.request({
      method: 'GET',
      url: `/machines/${pressA.id}/states`,
      token: viewerB.token,
    });
    expect(restHidden.statusCode).toBe(404);
    expect(hidden.extensions.code).toBe(restHidden.json().error_code);
    expect(hidden.message).not.toContain(pressA.code);
  });

  it('refuses a reversed or too long range and a malformed id clearly', async () => {
    const reversed = await gqlCode(h, viewerA.token, STATES, {
      machineId: String(pressA.id),
      from: at('09:00').toISOString(),
      to: at('08:00').toISOString(),
    });
    expect(reversed.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'to' }] });
    const long = await gqlCode(h, viewerA.token, STATES, {
      machineId: String(pressA.id),
      from: '2026-01-01T00:00:00Z',
      to: '2026-03-01T00:00:00Z',
    });
    expect(long.extensions.code).toBe('VALIDATION_FAILED');
    expect(long.message).toMatch(/31 days/);
    const badId = await gqlCode(h, viewerA.token, STATES, { machineId: 'press-1' });
    expect(badId.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'machine_id' }] });
    const badInstant = await gql(h, viewerA.token, STATES, {
      machineId: String(pressA.id),
      from: 'yesterday',
    });
    expect(badInstant.status).toBe(400);
    expect(badInstant.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
