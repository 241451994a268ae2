import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMachine,
  buildUser,
  type MachineRecord,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import type { CountCell } from '../oee.calculations.ts';
import { countCells, countCellsByHour } from '../oee.cells.repository.ts';
import type { Span } from '../oee.intervals.ts';
import { aggregateCounts, cutHours, type CountRow } from '../oee.output.ts';
import { createShiftOeeCache, currentShiftOee, shiftOeeForBoard } from '../index.ts';
import { local, OEE_EXAMPLE, OEE_EXPECTED, oeeOf } from './oee.fixtures.ts';
import { countRows } from './oee.pure.ts';
import { seedOeeExample } from './oee.seed.ts';

// The OEE worked example of docs/kpis.md put in through the services (oee.seed.ts), then read back
// through GET /kpi/oee, the drill-down, GraphQL and the board's current shift, as a viewer of the site.

const H = 3600;
const { period } = OEE_EXAMPLE;

let h: Harness;
let site: SiteRecord;
let lineId: number;
let m1: MachineRecord;
let m2: MachineRecord;
let m3: MachineRecord;
let viewer: UserRecord;
let outsider: UserRecord;
let apiKey: string;
const toolIds: Record<string, number> = {};

async function ok(response: Promise<{ statusCode: number; body: string }>, status = 200) {
  const result = await response;
  expect(result.statusCode, result.body).toBe(status);
  return JSON.parse(result.body) as Record<string, unknown>;
}

beforeAll(async () => {
  h = await createHarness();
  const seeded = await seedOeeExample(h);
  ({ site, lineId, m1, m2, m3, apiKey } = seeded);
  Object.assign(toolIds, seeded.toolIds);
  [viewer, outsider] = [
    await buildUser(h, { role: 'viewer', site_ids: [site.id] }),
    await buildUser(h, { role: 'manager', site_ids: [seeded.otherSite.id] }),
  ];
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const query = (scope: string, extra = '') =>
  `${scope}&from=${encodeURIComponent(period.from.toISOString())}&to=${encodeURIComponent(period.to.toISOString())}${extra}`;
const get = (url: string, token = viewer.token) => h.request({ method: 'GET', url, token });

function expectFigures(
  actual: unknown,
  expected: Record<string, unknown> & { availability: number; performance: number; quality: number },
) {
  expect(actual).toMatchObject(expected);
  expect((actual as { oee: number }).oee).toBeCloseTo(oeeOf(expected), 12);
}

describe('GET /kpi/oee', () => {
  it('gives a site viewer the worked example’s figures for the line, its machines, shifts and day', async () => {
    const report = await ok(get(`/kpi/oee?${query(`line_id=${lineId}`)}`));
    expect(report).toMatchObject({
      scope: { kind: 'line', id: lineId },
      period: {
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        effective_to: period.to.toISOString(),
      },
      time_zone: 'Europe/Berlin',
      around_the_clock: false,
      shift: null,
      reasons: { oee: null, availability: null, performance: null, quality: null },
    });
    expectFigures(report, OEE_EXPECTED.line);
    const machines = report.machines as { code: string }[];
    // The retired M9 counts neither time nor output; M3 is on another line.
    expect(machines.map((m) => m.code)).toEqual(['M1', 'M2']);
    expectFigures(machines[0], OEE_EXPECTED.M1);
    expectFigures(machines[1], OEE_EXPECTED.M2);
    expect(report.excluded).toEqual([
      { source: 'opcua', reason: 'connection lost', seconds: H, machines: 1 },
    ]);
    expect(report.notes).toEqual([
      'excluded: 01:00 stale (opcua: connection lost)',
      '50 cycles outside the planned time asked for are not counted',
      'quality adds good/reject counters of some machines and test verdicts of others',
    ]);
    const shifts = report.shifts as { name: string }[];
    expect(shifts.map((s) => s.name)).toEqual(['Early', 'Late']);
    expect(shifts[0]).toMatchObject(OEE_EXPECTED.shifts.Early);
    expect(shifts[1]).toMatchObject(OEE_EXPECTED.shifts.Late);
    expect(report.days).toEqual([
      expect.objectContaining({ day: '2025-03-03', run_seconds: OEE_EXPECTED.line.run_seconds }),
    ]);
  });

  it('narrows to one shift, and to one machine', async () => {
    const early = await ok(get(`/kpi/oee?${query(`line_id=${lineId}`, '&shift=Early')}`));
    expect(early).toMatchObject({ shift: 'Early', ...OEE_EXPECTED.shifts.Early, planned_seconds: 16 * H });
    expect(early.availability).toBe(47_160 / 54_000);
    expect(early.shifts).toEqual([expect.objectContaining({ name: 'Early' })]);
    const machine = await ok(get(`/kpi/oee?${query(`machine_id=${m1.id}`)}`));
    expectFigures(machine, OEE_EXPECTED.M1);
  });

  it('adds the site’s idle machine to availability and names it where it has no performance or quality', async () => {
    const report = await ok(get(`/kpi/oee?${query(`site_id=${site.id}`)}`));
    expect(report).toMatchObject({
      production_seconds: 108_000 + 16 * H,
      run_seconds: 99_360 + 16 * H,
      availability: (99_360 + 16 * H) / (108_000 + 16 * H),
      performance: OEE_EXPECTED.line.performance,
      quality: OEE_EXPECTED.line.quality,
    });
    expect(report.notes).toEqual(
      expect.arrayContaining([
        `performance covers 2 of 3 machines; left out: M3 (no cycle counter)`,
        `quality covers 2 of 3 machines; left out: M3 (no good/reject counts or test verdicts)`,
      ]),
    );
  });

  it('answers 404 to another site’s manager and 403 to a machine API key', async () => {
    for (const scope of [`line_id=${lineId}`, `machine_id=${m1.id}`, `site_id=${site.id}`]) {
      const hidden = await get(`/kpi/oee?${query(scope)}`, outsider.token);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json()).toMatchObject({ error_code: 'KPI_SCOPE_NOT_FOUND' });
    }
    const drill = await get(`/kpi/oee/drilldown?${query(`machine_id=${m1.id}`)}`, outsider.token);
    expect(drill.statusCode).toBe(404);
    const key = await h.request({
      method: 'GET',
      url: `/kpi/oee?${query(`line_id=${lineId}`)}`,
      headers: { 'x-api-key': apiKey },
    });
    expect(key.statusCode).toBe(403);
  });

  it('refuses a missing or double scope, a reversed or too long period and an unknown shift, saying why', async () => {
    const iso = (d: string) => encodeURIComponent(new Date(d).toISOString());
    const cases: [string, string][] = [
      [
        `/kpi/oee?from=${iso('2025-03-03')}&to=${iso('2025-03-04')}`,
        'Give exactly one of machine_id, line_id, site_id',
      ],
      [
        `/kpi/oee?${query(`line_id=${lineId}&machine_id=${m1.id}`)}`,
        'Give exactly one of machine_id, line_id, site_id',
      ],
      [
        `/kpi/oee?line_id=${lineId}&from=${iso('2025-03-04')}&to=${iso('2025-03-03')}`,
        'to must be after from',
      ],
      [`/kpi/oee?line_id=${lineId}&from=${iso('2024-01-01')}&to=${iso('2025-03-03')}`, 'at most 366 days'],
      [`/kpi/oee?line_id=${lineId}&from=yesterday&to=${iso('2025-03-03')}`, 'an ISO 8601 date and time'],
      [
        `/kpi/oee/drilldown?machine_id=${m1.id}&from=${iso('2025-01-01')}&to=${iso('2025-03-03')}`,
        'at most 31 days',
      ],
      [
        `/kpi/oee?${query(`line_id=${lineId}`, '&shift=Night')}`,
        'No shift named "Night" in the site\'s calendar; its shifts: Early, Late',
      ],
    ];
    for (const [url, message] of cases) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(422);
      const body = response.json<{ message: string; errors?: { message: string }[] }>();
      expect([body.message, ...(body.errors ?? []).map((e) => e.message)].join(' | '), url).toContain(
        message,
      );
    }
  });
});

describe('GET /kpi/oee/drilldown', () => {
  it('lists the events behind M1’s figures', async () => {
    const drill = await ok(get(`/kpi/oee/drilldown?${query(`machine_id=${m1.id}`)}`));
    expect(drill).toMatchObject({
      machine: { id: m1.id, code: 'M1' },
      time_zone: 'Europe/Berlin',
      shift: null,
    });
    expectFigures(drill.figures, OEE_EXPECTED.M1);
    expect(drill.planned_windows).toEqual([
      { start: local('2025-03-03T06:00').toISOString(), end: local('2025-03-03T22:00').toISOString() },
    ]);
    const stops = drill.downtimes as {
      reason: { code: string } | null;
      planned: boolean;
      counted_seconds: number;
      end: string | null;
    }[];
    expect(stops.map((s) => [s.reason?.code ?? null, s.planned, s.counted_seconds, s.end === null])).toEqual([
      ['MECH_JAM', false, 1800, false],
      ['ELEC_FAULT', false, 1440, false],
      ['PLANNED_MAINTENANCE', true, 3600, false],
      [null, false, 1800, true],
    ]);
    expect(drill.stale_periods).toEqual([
      {
        source: 'opcua',
        reason: 'connection lost',
        start: local('2025-03-03T12:00').toISOString(),
        end: local('2025-03-03T13:00').toISOString(),
        excluded_seconds: H,
      },
    ]);
    const hours = drill.counts_per_hour as { hour: string }[];
    const hour = (wall: string) => hours.find((row) => row.hour === local(wall).toISOString());
    expect(hours).toHaveLength(8);
    expect(hour('2025-03-03T10:00')).toEqual({
      hour: local('2025-03-03T10:00').toISOString(),
      cycles: 400,
      good: 380,
      reject: 20,
      ideal_seconds: 12_000,
      excluded_cycles: 0,
      uncounted_cycles: 0,
    });
    // 13:00 (the reconnect, left out) and 13:59 in one hour.
    expect(hour('2025-03-03T13:00')).toMatchObject({
      cycles: 100,
      excluded_cycles: 120,
      ideal_seconds: 3000,
    });
    // The reset at 14:30 counts its value, at the machine's ideal time (no tool mounted).
    expect(hour('2025-03-03T14:00')).toMatchObject({ cycles: 60, good: 57, reject: 3, ideal_seconds: 1200 });
    expect(hour('2025-03-03T22:00')).toMatchObject({ cycles: 0, uncounted_cycles: 50 });
    expect(drill.ideal_times).toEqual([
      {
        start: period.from.toISOString(),
        end: local('2025-03-03T14:00').toISOString(),
        ideal_cycle_seconds: 30,
        source: 'tool',
        tool: { id: toolIds['T-A'], code: 'T-A' },
        cycles: 800,
        ideal_seconds: 24_000,
      },
      {
        start: local('2025-03-03T14:00').toISOString(),
        end: local('2025-03-03T15:00').toISOString(),
        ideal_cycle_seconds: 20,
        source: 'machine',
        tool: null,
        cycles: 60,
        ideal_seconds: 1200,
      },
      {
        start: local('2025-03-03T15:00').toISOString(),
        end: period.to.toISOString(),
        ideal_cycle_seconds: 24,
        source: 'tool',
        tool: { id: toolIds['T-B'], code: 'T-B' },
        cycles: 651,
        ideal_seconds: 15_624,
      },
    ]);
    expect(drill.verdicts).toEqual({ source: 'counters', pass: 0, fail: 0, no_limit: 0, excluded: 0 });
  });

  it('counts M2’s verdicts, NO_LIMIT apart and the FAIL after the shift left out', async () => {
    const drill = await ok(get(`/kpi/oee/drilldown?${query(`machine_id=${m2.id}`)}`));
    expect(drill.verdicts).toEqual({ source: 'verdicts', pass: 95, fail: 5, no_limit: 3, excluded: 0 });
    expectFigures(drill.figures, OEE_EXPECTED.M2);
  });
});

describe('OEE of the current shift (live machine board)', () => {
  const asViewer = <T>(work: Parameters<typeof h.db.transaction<T>>[1]) =>
    h.db.transaction({ userId: viewer.id, siteIds: [site.id], allSites: false }, work);

  it('covers the running shift up to now, and the last ended shift between shifts', async () => {
    const ids = [m1.id, m2.id];
    // Monday 15:00: Late since 14:00. M1 made 60 cycles at the machine's 20 s, 57 good of 60;
    // M2 no cycles yet, 10 PASS.
    const late = await asViewer((tx) =>
      currentShiftOee(tx, { machine_ids: ids, now: local('2025-03-03T15:00') }),
    );
    expect(late.map((r) => r.machine_id)).toEqual(ids);
    expect(late[0]).toMatchObject({
      availability: 1,
      performance: 1200 / 3600,
      quality: 57 / 60,
      shift: { name: 'Late', start: local('2025-03-03T14:00'), end: local('2025-03-03T22:00') },
    });
    expect(late[1]).toMatchObject({ availability: 1, performance: 0, quality: 1, oee: 0 });
    // Monday 23:00: the Late shift has ended; the board keeps showing it.
    const after = await asViewer((tx) => shiftOeeForBoard(tx, ids, local('2025-03-03T23:00')));
    expect(after.get(m1.id)).toEqual({
      availability: 23_400 / 25_200,
      performance: 16_824 / 23_400,
      quality: 675 / 711,
      oee: (23_400 / 25_200) * (16_824 / 23_400) * (675 / 711),
    });
  });

  it('answers a service caller through oeeCurrentShift and leaves out machines of other sites', async () => {
    const ctx = {
      actor: await h.server.modules.identity.authenticate({ authorization: `Bearer ${outsider.token}` }),
      requestId: 'oee-test',
      clientIp: '127.0.0.1',
      userAgent: undefined,
    };
    expect(await h.server.modules.oee.oeeCurrentShift(ctx, { machine_ids: [m1.id, m2.id] })).toEqual([]);
    const mine = await h.server.modules.oee.oeeCurrentShift(
      {
        ...ctx,
        actor: await h.server.modules.identity.authenticate({ authorization: `Bearer ${viewer.token}` }),
      },
      { machine_ids: [m1.id, m3.id] },
    );
    expect(mine.map((r) => r.machine_id)).toEqual([m1.id, m3.id]);
  });
});

describe('GraphQL oee', () => {
  it('answers the same figures within the cost limit', async () => {
    const response = await h.request({
      method: 'POST',
      url: '/graphql',
      token: viewer.token,
      payload: {
        query: `query($scope: KpiScopeInput!, $period: PeriodInput!) {
          oee(scope: $scope, period: $period) {
            scope { kind id } period { effectiveTo } timeZone aroundTheClock shift notes
            figures { oee availability performance quality reasons { oee performance quality }
              plannedSeconds excludedSeconds productionSeconds runSeconds cycles idealSeconds good total qualitySource }
            excluded { source reason seconds machines }
            machines { code figures { oee availability performance quality } }
            shifts { name figures { oee availability performance quality } }
            days { day figures { oee } }
          }
        }`,
        variables: {
          scope: { lineId: String(lineId) },
          period: { from: period.from.toISOString(), to: period.to.toISOString() },
        },
      },
    });
    const body = response.json<{ data?: { oee: Record<string, unknown> }; errors?: unknown }>();
    expect(body.errors).toBeUndefined();
    const report = body.data!.oee as {
      figures: Record<string, unknown>;
      machines: { code: string; figures: { availability: number } }[];
      shifts: { name: string }[];
    };
    expect(report).toMatchObject({
      scope: { kind: 'line', id: String(lineId) },
      timeZone: 'Europe/Berlin',
      shift: null,
    });
    expect(report.figures).toMatchObject({
      availability: OEE_EXPECTED.line.availability,
      performance: OEE_EXPECTED.line.performance,
      quality: OEE_EXPECTED.line.quality,
      excludedSeconds: H,
      qualitySource: 'mixed',
    });
    expect(report.machines.map((m) => [m.code, m.figures.availability])).toEqual([
      ['M1', OEE_EXPECTED.M1.availability],
      ['M2', OEE_EXPECTED.M2.availability],
    ]);
    expect(report.shifts.map((s) => s.name)).toEqual(['Early', 'Late']);
  });
});

describe('counter increases left out for stale time: SQL and the pure rule agree', () => {
  it('gives the same sums as aggregateCounts on generated counters and stale periods', async () => {
    const owner = new pg.Client({ connectionString: h.ownerUrl });
    await owner.connect();
    let state = 7;
    const random = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % n;
    };
    const base = Date.parse('2025-06-02T00:00:00Z');
    const minute = (m: number) => new Date(base + m * 60_000);
    // Period ends, a bucket start and ideal segment starts inside hours: those hours are read value by
    // value, the others from the hourly sums.
    const period = { from: minute(125), until: minute(597) };
    const bucketStarts = [minute(240), minute(370), minute(480)];
    const idealMinutes = [300, 455];
    let leftOut = 0;
    try {
      for (let seed = 0; seed < 6; seed += 1) {
        const machine = await buildMachine(h, lineId);
        const stale: Span[] = [];
        const sources = ['opcua', 'mqtt', 'http', 'readings'];
        for (const [i, source] of sources.entries()) {
          const start = random(700);
          const end = i === 3 && seed % 2 === 0 ? null : start + 1 + random(90);
          stale.push({
            start: minute(start).getTime(),
            end: (end === null ? period.until : minute(end)).getTime(),
          });
          await owner.query(
            `insert into machine_stale_periods (site_id, machine_id, source, reason, started_at, ended_at)
             values ($1, $2, $3, 'generated', $4, $5)`,
            [machine.site_id, machine.id, source, minute(start), end === null ? null : minute(end)],
          );
        }
        const rows: CountRow[] = [];
        for (const kind of ['cycle', 'good'] as const) {
          const minutes = [...new Set([...Array(40).keys()].map(() => random(700)))].sort((a, b) => a - b);
          let value = 0;
          const values = minutes.map((m) => {
            value = random(10) === 0 ? random(20) : value + random(30); // now and then a reset
            return [minute(m), value] as const;
          });
          rows.push(...countRows(machine.id, kind, values));
        }
        for (const row of rows)
          await owner.query(
            `insert into machine_counts (site_id, machine_id, kind, counter_value, delta, at, source)
             values ($1, $2, $3, 0, $4, $5, 'opcua')`,
            [machine.site_id, machine.id, row.kind, row.delta, row.at],
          );
        const now = period.until;
        const query = {
          machineIds: [machine.id],
          ...period,
          now,
          bucketStarts,
          idealStarts: idealMinutes.map((m) => ({ machine_id: machine.id, at: minute(m) })),
        };
        const span = { start: period.from.getTime(), end: period.until.getTime() };
        const cut = cutHours(
          span,
          [...bucketStarts, ...idealMinutes.map(minute)].map((d) => d.getTime()),
        );
        const [sqlCells, hourlyCells] = await h.db.transaction(SYSTEM_SCOPE, async (tx) => [
          await countCells(tx, query),
          await countCellsByHour(tx, {
            ...query,
            cutHours: cut.map((hour) => ({ machine_id: machine.id, hour: new Date(hour) })),
          }),
        ]);
        const pureCells = aggregateCounts(
          rows.filter((r) => r.at >= period.from && r.at < period.until),
          {
            bucketStarts: bucketStarts.map((d) => d.getTime()),
            idealStarts: new Map([[machine.id, idealMinutes.map((m) => minute(m).getTime())]]),
            stale: new Map([[machine.id, stale]]),
          },
        );
        const sums = (cells: CountCell[]) => {
          const out = new Map<string, number>();
          for (const c of cells) {
            const key = `${c.kind}:${c.bucket}:${c.ideal}:${c.excluded}`;
            out.set(key, (out.get(key) ?? 0) + c.delta);
          }
          return Object.fromEntries(
            [...out].filter(([, sum]) => sum !== 0).sort(([a], [b]) => a.localeCompare(b)),
          );
        };
        expect(sums(sqlCells), `seed ${seed}`).toEqual(sums(pureCells));
        expect(sums(hourlyCells), `seed ${seed} by hour`).toEqual(sums(pureCells));
        leftOut += sqlCells.filter((c) => c.excluded).reduce((sum, c) => sum + c.delta, 0);
      }
      expect(leftOut).toBeGreaterThan(0); // the cases do reach the rule
    } finally {
      await owner.end();
    }
  }, 120_000);
});

describe('the board’s shift OEE cache', () => {
  it('serves a site’s figures again within its lifetime, only to callers who see the machines', async () => {
    const cache = createShiftOeeCache({ ttlMs: 60_000 });
    const at = local('2025-03-03T15:00');
    const viewerScope = { userId: viewer.id, siteIds: [site.id], allSites: false };
    const first = await h.db.transaction(viewerScope, (tx) =>
      currentShiftOee(tx, { machine_ids: [m1.id], now: at }, cache),
    );
    expect(cache.get(m1.id, local('2025-03-03T14:00'), new Date(at.getTime() + 1000))).toEqual(first[0]);
    // Another shift, or later than its lifetime: not served.
    expect(cache.get(m1.id, local('2025-03-03T06:00'), at)).toBeUndefined();
    expect(cache.get(m1.id, local('2025-03-03T14:00'), new Date(at.getTime() + 60_000))).toBeUndefined();
    const hidden = await h.db.transaction({ userId: outsider.id, siteIds: [], allSites: false }, (tx) =>
      currentShiftOee(tx, { machine_ids: [m1.id], now: at }, cache),
    );
    expect(hidden).toEqual([]);
  });
});
