import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import { checkAutomaticStops, microStops, type MachineState } from '../index.ts';

let h: Harness;
let site: SiteRecord;
let operator: UserRecord;
let viewer: UserRecord;
let reasons: Record<string, number>;

// A Monday in the past: every instant of these tests is fixed (the check takes "now" as an argument).
const base = Date.parse('2026-03-02T00:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(base + minutes * 60_000 + seconds * 1000);

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h, { time_zone: 'UTC' });
  operator = await buildUser(h, { role: 'operator', site_ids: [site.id] });
  viewer = await buildUser(h, { role: 'viewer', site_ids: [site.id] });
  const list = (
    await h.request({ method: 'GET', url: '/catalog/downtime-reasons', token: operator.token })
  ).json();
  reasons = Object.fromEntries(list.map((r: { code: string; id: number }) => [r.code, r.id]));
});
afterAll(() => h.close());

async function newMachine(siteId = site.id): Promise<MachineRecord> {
  return buildMachine(h, (await buildLine(h, siteId)).id);
}

const signals = () => h.server.modules.telemetry.signals;
const state = (machine: MachineRecord, value: MachineState, when: Date) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    signals().recordState(tx, {
      machine_id: machine.id,
      site_id: machine.site_id,
      state: value,
      raw_value: value,
      source: 'opcua',
      at: when,
    }),
  );
const cycle = (machine: MachineRecord, value: number, when: Date) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    signals().recordCount(tx, {
      machine_id: machine.id,
      site_id: machine.site_id,
      kind: 'cycle',
      counter_value: value,
      source: 'opcua',
      at: when,
    }),
  );
const check = (now: Date) => checkAutomaticStops(h.db, now);

interface DowntimeRow {
  id: number;
  start_datetime: string;
  end_datetime: string | null;
  duration_seconds: number;
  source: string;
  reason_id: number | null;
  reason_code: string | null;
}
async function downtimesOf(machine: MachineRecord): Promise<DowntimeRow[]> {
  const response = await h.request({
    method: 'GET',
    url: `/downtimes?machine_id=${machine.id}&limit=200`,
    token: operator.token,
  });
  expect(response.statusCode).toBe(200);
  return (response.json().items as DowntimeRow[]).reverse(); // oldest first
}

async function ownerQuery(text: string, values: unknown[]): Promise<void> {
  const client = new pg.Client({ connectionString: h.ownerUrl });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

describe('automatic downtime from machine states', () => {
  it('opens one stop at the stop’s start after the threshold and ends it when the machine runs', async () => {
    const machine = await newMachine();
    await state(machine, 'running', at(0));
    await state(machine, 'stopped', at(10));
    expect((await check(at(11, 59))).opened).toBe(0); // 119 s: not yet
    await state(machine, 'fault', at(11, 30)); // still the same stop
    expect((await check(at(12))).opened).toBe(1); // 120 s
    expect((await check(at(12, 10))).opened).toBe(0); // idempotent
    let rows = await downtimesOf(machine);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      start_datetime: at(10).toISOString(),
      end_datetime: null,
      source: 'automatic',
      reason_id: null,
    });
    const machineNow = (
      await h.request({ method: 'GET', url: `/machines/${machine.id}`, token: operator.token })
    ).json();
    expect(machineNow.status).toBe('broken');

    await state(machine, 'running', at(15, 7));
    rows = await downtimesOf(machine);
    expect(rows[0]?.end_datetime).toBe(at(15, 7).toISOString());
    expect(rows[0]?.duration_seconds).toBe(5 * 60 + 7);
    const queue = await h.request({
      method: 'GET',
      url: `/downtimes/unexplained?machine_id=${machine.id}`,
      token: viewer.token,
    });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items).toEqual([
      expect.objectContaining({ id: rows[0]?.id, cause: 'fault', open: false, duration_seconds: 307 }),
    ]);
  });

  it('counts a short stop as a micro-stop and opens nothing; a longer one the check missed is recorded closed', async () => {
    const machine = await newMachine();
    await state(machine, 'running', at(0));
    await state(machine, 'stopped', at(20));
    await state(machine, 'running', at(21)); // 60 s
    await state(machine, 'idle', at(30));
    await state(machine, 'running', at(30, 45)); // 45 s
    await state(machine, 'stopped', at(40));
    expect((await check(at(41))).opened).toBe(0);
    await state(machine, 'running', at(42, 30)); // 150 s, no check ran in between
    const rows = await downtimesOf(machine);
    expect(rows).toEqual([
      expect.objectContaining({
        start_datetime: at(40).toISOString(),
        end_datetime: at(42, 30).toISOString(),
        source: 'automatic',
      }),
    ]);

    const counted = await h.db.transaction(SYSTEM_SCOPE, (tx) => microStops(tx, machine.id, at(0), at(60)));
    expect(counted).toEqual({ count: 2, total_seconds: 105, threshold_seconds: 120 });
    const response = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/micro-stops?from=${at(25).toISOString()}&to=${at(60).toISOString()}`,
      token: viewer.token,
    });
    expect(response.json()).toEqual({ count: 1, total_seconds: 45, threshold_seconds: 120 });
    const summary = await h.request({
      method: 'GET',
      url: `/micro-stops?site_id=${site.id}&from=${at(0).toISOString()}&to=${at(60).toISOString()}`,
      token: viewer.token,
    });
    expect(summary.json().machines).toContainEqual(
      expect.objectContaining({ machine_id: machine.id, count: 2, total_seconds: 105 }),
    );
    const badPeriod = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/micro-stops?from=${at(60).toISOString()}&to=${at(0).toISOString()}`,
      token: viewer.token,
    });
    expect(badPeriod.statusCode).toBe(422);
  });

  it('never ends a stop a person recorded, and opens none beside it', async () => {
    const machine = await newMachine();
    const manual = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: operator.token,
      payload: { machine_id: machine.id, start_datetime: at(100).toISOString(), reason_id: reasons.MECH_JAM },
    });
    expect(manual.statusCode).toBe(201);
    await state(machine, 'stopped', at(101));
    expect((await check(at(110))).opened).toBe(0);
    await state(machine, 'running', at(111));
    await cycle(machine, 1, at(111, 5));
    await cycle(machine, 2, at(111, 10));
    const rows = await downtimesOf(machine);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'manual', end_datetime: null });
  });

  it('opens a single stop when two checks run at once', async () => {
    const machine = await newMachine();
    await state(machine, 'stopped', at(200));
    const results = await Promise.all([check(at(205)), check(at(205)), check(at(205))]);
    expect(results.reduce((sum, r) => sum + r.opened, 0)).toBe(1);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    expect(await downtimesOf(machine)).toHaveLength(1);
  });

  it('decides nothing while a signal source is stale, and counts a stop from when the source is back', async () => {
    const machine = await newMachine();
    await state(machine, 'stopped', at(300));
    await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      signals().markStale(tx, {
        machine_id: machine.id,
        site_id: machine.site_id,
        source: 'opcua',
        reason: 'connection lost',
        at: at(300, 30),
      }),
    );
    expect((await check(at(310))).opened).toBe(0);
    expect(await downtimesOf(machine)).toHaveLength(0);
    // The source is back and the machine still reports stopped: the stop counts from then.
    await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      signals().markFresh(tx, {
        machine_id: machine.id,
        site_id: machine.site_id,
        source: 'opcua',
        at: at(311),
      }),
    );
    await check(at(312, 59));
    expect(await downtimesOf(machine)).toHaveLength(0);
    await check(at(313));
    expect((await downtimesOf(machine)).map((r) => r.start_datetime)).toEqual([at(311).toISOString()]);
  });

  it('opens no stop outside the shift calendar, and starts one at the shift’s start', async () => {
    const shiftSite = await buildSite(h, { time_zone: 'UTC' });
    const calendar = await h.request({
      method: 'PUT',
      url: `/sites/${shiftSite.id}/shift-calendar`,
      token: h.adminToken,
      payload: { shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '16:00' })) },
    });
    expect(calendar.statusCode).toBe(200);
    const machine = await newMachine(shiftSite.id);
    await state(machine, 'stopped', at(6 * 60)); // Monday 06:00, before the shift
    expect((await check(at(7 * 60))).opened).toBe(0);
    expect((await check(at(8 * 60, 90))).opened).toBe(0); // 90 s of planned time
    expect((await check(at(8 * 60, 120))).opened).toBe(1);
    const [stop] = await h.db.transaction(SYSTEM_SCOPE, async (tx) =>
      tx.selectFrom('downtimes').select(['start_at']).where('machine_id', '=', machine.id).execute(),
    );
    expect(stop?.start_at).toEqual(at(8 * 60));
  });
});

describe('automatic downtime from missing cycles', () => {
  it('uses the mounted tool’s ideal cycle time, opens at the last cycle and ends at the next', async () => {
    const machine = await newMachine();
    const settings = await h.request({
      method: 'PUT',
      url: `/machines/${machine.id}/downtime-settings`,
      token: h.adminToken,
      payload: { stop_threshold_seconds: 120, no_cycle_factor: 3, ideal_cycle_seconds: 60 },
    });
    expect(settings.statusCode).toBe(200);
    const tool = await h.request({
      method: 'POST',
      url: '/tools',
      token: h.adminToken,
      payload: { site_id: site.id, asset_number: `M-${machine.id}`, name: 'Cap mould' },
    });
    expect(tool.statusCode).toBe(201);
    await ownerQuery('update tools set ideal_cycle_seconds = 10 where id = $1', [tool.json().id]);
    const mount = await h.request({
      method: 'POST',
      url: `/tools/${tool.json().id}/mount`,
      token: h.adminToken,
      payload: { machine_id: machine.id, at: at(0).toISOString() },
    });
    expect(mount.statusCode).toBe(201);
    const read = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/downtime-settings`,
      token: viewer.token,
    });
    expect(read.json()).toMatchObject({ ideal_cycle_seconds: 60, effective_ideal_cycle_seconds: 10 });

    await state(machine, 'running', at(400));
    await cycle(machine, 100, at(400)); // the baseline value
    await cycle(machine, 101, at(400, 10));
    await cycle(machine, 102, at(400, 20));
    expect((await check(at(400, 49))).opened).toBe(0); // 29 s < 3 × 10 s
    expect((await check(at(400, 50))).opened).toBe(1);
    await cycle(machine, 103, at(402, 0));
    // A gap the check never saw (no check ran) is recorded when the next cycle comes.
    await cycle(machine, 104, at(403, 40));
    await cycle(machine, 105, at(403, 50)); // 10 s: normal
    const rows = await downtimesOf(machine);
    expect(rows.map((r) => [r.start_datetime, r.end_datetime, r.source])).toEqual([
      [at(400, 20).toISOString(), at(402).toISOString(), 'automatic'],
      [at(402).toISOString(), at(403, 40).toISOString(), 'automatic'],
    ]);
  });

  it('refuses stop settings to people without telemetry:manage, and bad values', async () => {
    const machine = await newMachine();
    const payload = { stop_threshold_seconds: 60, no_cycle_factor: 2, ideal_cycle_seconds: null };
    const denied = await h.request({
      method: 'PUT',
      url: `/machines/${machine.id}/downtime-settings`,
      token: operator.token,
      payload,
    });
    expect(denied.statusCode).toBe(403);
    const bad = await h.request({
      method: 'PUT',
      url: `/machines/${machine.id}/downtime-settings`,
      token: h.adminToken,
      payload: { ...payload, stop_threshold_seconds: 1 },
    });
    expect(bad.statusCode).toBe(422);
    const tooPrecise = await h.request({
      method: 'PUT',
      url: `/machines/${machine.id}/downtime-settings`,
      token: h.adminToken,
      payload: { ...payload, ideal_cycle_seconds: 1.2345 },
    });
    expect(tooPrecise.statusCode).toBe(422);
    expect(tooPrecise.body).toContain('ideal_cycle_seconds');
    const missing = await h.request({
      method: 'PUT',
      url: '/machines/999999999/downtime-settings',
      token: h.adminToken,
      payload,
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('the unexplained-stops queue', () => {
  async function closedStop(startMinute: number, lengthSeconds: number) {
    const machine = await newMachine();
    await state(machine, 'stopped', at(startMinute));
    await state(machine, 'running', new Date(at(startMinute).getTime() + lengthSeconds * 1000));
    const [row] = await downtimesOf(machine);
    if (!row) throw new Error('no automatic stop');
    return { machine, id: row.id };
  }
  const post = (url: string, payload: unknown, token = operator.token) =>
    h.request({ method: 'POST', url, token, payload: payload as Record<string, unknown> });

  it('explains a stop once; a second answer is a conflict; viewers may not', async () => {
    const { id } = await closedStop(500, 600);
    expect(
      (await post(`/downtimes/${id}/explain`, { reason_id: reasons.MAT_SHORTAGE }, viewer.token)).statusCode,
    ).toBe(403);
    const unknown = await post(`/downtimes/${id}/explain`, { reason_id: 999_999 });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error_code).toBe('UNKNOWN_REASON');
    const explained = await post(`/downtimes/${id}/explain`, {
      reason_id: reasons.MAT_SHORTAGE,
      comment: 'no resin',
    });
    expect(explained.statusCode).toBe(200);
    expect(explained.json()).toMatchObject({ reason_code: 'MAT_SHORTAGE', comment: 'no resin' });
    const again = await post(`/downtimes/${id}/explain`, { reason_id: reasons.MECH_JAM });
    expect(again.statusCode).toBe(409);
    expect(again.json().error_code).toBe('DOWNTIME_ALREADY_EXPLAINED');
    const queue = await h.request({
      method: 'GET',
      url: `/downtimes/unexplained?site_id=${site.id}`,
      token: operator.token,
    });
    expect(queue.json().items.map((item: { id: number }) => item.id)).not.toContain(id);
    const audit = await h.request({
      method: 'GET',
      url: `/audit?entity=downtime&entity_id=${id}`,
      token: h.adminToken,
    });
    expect(audit.json().items.map((entry: { action: string }) => entry.action)).toContain('explain');
  });

  it('splits a stop into parts that cover it exactly, and refuses bad boundaries clearly', async () => {
    const { machine, id } = await closedStop(600, 900); // [600 min, 615 min)
    const cases: [unknown, number, string][] = [
      [{ parts: [{ reason_id: reasons.MECH_JAM }] }, 422, 'VALIDATION_FAILED'],
      [
        { parts: [{ until: at(599).toISOString(), reason_id: null }, { reason_id: null }] },
        400,
        'INVALID_SPLIT',
      ],
      [
        { parts: [{ until: at(615).toISOString(), reason_id: null }, { reason_id: null }] },
        400,
        'INVALID_SPLIT',
      ],
      [
        {
          parts: [
            { until: at(605).toISOString(), reason_id: null },
            { until: at(604).toISOString(), reason_id: null },
            { reason_id: null },
          ],
        },
        400,
        'INVALID_SPLIT',
      ],
      [{ parts: [{ reason_id: null }, { reason_id: null }] }, 400, 'INVALID_SPLIT'],
      [
        {
          parts: [
            { until: at(605).toISOString(), reason_id: null },
            { until: at(610).toISOString(), reason_id: null },
          ],
        },
        400,
        'INVALID_SPLIT',
      ],
      [
        { parts: [{ until: at(605).toISOString(), reason_id: 999_999 }, { reason_id: null }] },
        422,
        'UNKNOWN_REASON',
      ],
    ];
    for (const [payload, status, code] of cases) {
      const response = await post(`/downtimes/${id}/split`, payload);
      expect([response.statusCode, response.json().error_code], JSON.stringify(payload)).toEqual([
        status,
        code,
      ]);
    }
    const refused = await post(`/downtimes/${id}/split`, cases[3]?.[0]);
    expect(refused.json().errors).toContainEqual(expect.objectContaining({ field: 'parts.1.until' }));
    expect(await downtimesOf(machine)).toHaveLength(1); // nothing was stored

    const split = await post(`/downtimes/${id}/split`, {
      parts: [
        { until: at(603, 20).toISOString(), reason_id: reasons.MAT_SHORTAGE, comment: 'waiting for resin' },
        { until: at(611).toISOString(), reason_id: reasons.CHANGEOVER },
        { reason_id: null },
      ],
    });
    expect(split.statusCode).toBe(200);
    const parts = split.json().parts as DowntimeRow[];
    expect(parts.map((p) => [p.start_datetime, p.end_datetime, p.reason_code])).toEqual([
      [at(600).toISOString(), at(603, 20).toISOString(), 'MAT_SHORTAGE'],
      [at(603, 20).toISOString(), at(611).toISOString(), 'CHANGEOVER'],
      [at(611).toISOString(), at(615).toISOString(), null],
    ]);
    expect(parts[0]?.id).toBe(id);
    expect(parts.reduce((sum, p) => sum + p.duration_seconds, 0)).toBe(900);
    const queue = await h.request({
      method: 'GET',
      url: `/downtimes/unexplained?machine_id=${machine.id}`,
      token: operator.token,
    });
    expect(queue.json().items).toEqual([expect.objectContaining({ id: parts[2]?.id, split_from_id: id })]);
    expect((await post(`/downtimes/${id}/split`, cases[5]?.[0], viewer.token)).statusCode).toBe(403);
  });

  it('splits an open stop up to now; its last part stays open and the machine running again ends it', async () => {
    const machine = await newMachine();
    const started = new Date(Date.now() - 20 * 60_000);
    await state(machine, 'stopped', started);
    expect((await check(new Date())).failed).toBe(0); // (other machines of this file may open too)
    const [open] = await downtimesOf(machine);
    const future = await post(`/downtimes/${open?.id}/split`, {
      parts: [
        { until: new Date(Date.now() + 3_600_000).toISOString(), reason_id: null },
        { reason_id: null },
      ],
    });
    expect(future.statusCode).toBe(400);
    const cut = new Date(started.getTime() + 5 * 60_000);
    const split = await post(`/downtimes/${open?.id}/split`, {
      parts: [{ until: cut.toISOString(), reason_id: reasons.ELEC_FAULT }, { reason_id: null }],
    });
    expect(split.statusCode).toBe(200);
    const parts = split.json().parts as DowntimeRow[];
    expect(parts.map((p) => p.end_datetime)).toEqual([cut.toISOString(), null]);
    const back = new Date();
    await state(machine, 'running', back);
    const rows = await downtimesOf(machine);
    expect(rows.map((r) => [r.start_datetime, r.end_datetime])).toEqual([
      [started.toISOString(), cut.toISOString()],
      [cut.toISOString(), back.toISOString()],
    ]);
  });
});

describe('the worked example of docs/auto-downtime.md', () => {
  it('gives the numbers the document shows', async () => {
    const machine = await newMachine();
    const t = (clock: string) => new Date(`2026-03-03T${clock}Z`);
    // Other machines of this file may be decided by the same checks: count this one's stops.
    const stops = async () => (await downtimesOf(machine)).length;
    const settings = await h.request({
      method: 'PUT',
      url: `/machines/${machine.id}/downtime-settings`,
      token: h.adminToken,
      payload: { stop_threshold_seconds: 120, no_cycle_factor: 3, ideal_cycle_seconds: 20 },
    });
    expect(settings.statusCode).toBe(200);

    await state(machine, 'running', t('06:00:00'));
    await cycle(machine, 5000, t('06:00:00'));
    await state(machine, 'stopped', t('06:10:00'));
    await state(machine, 'running', t('06:11:00'));
    await state(machine, 'idle', t('06:20:00'));
    await state(machine, 'running', t('06:20:45'));
    await state(machine, 'stopped', t('06:30:00'));
    await state(machine, 'fault', t('06:31:30'));
    await check(t('06:31:59'));
    expect(await stops()).toBe(0);
    await check(t('06:32:00'));
    expect(await stops()).toBe(1);
    await state(machine, 'running', t('06:42:00'));
    let counter = 5000;
    for (let second = 20; second <= 8 * 60; second += 20) {
      counter += 1;
      await cycle(machine, counter, new Date(t('06:42:00').getTime() + second * 1000)); // … 06:50:00
    }
    await check(t('06:50:59'));
    expect(await stops()).toBe(1);
    await check(t('06:51:00'));
    expect(await stops()).toBe(2);
    await cycle(machine, counter + 1, t('06:53:00'));

    const rows = await downtimesOf(machine);
    expect(rows.map((r) => [r.start_datetime, r.end_datetime, r.duration_seconds])).toEqual([
      [t('06:30:00').toISOString(), t('06:42:00').toISOString(), 720],
      [t('06:50:00').toISOString(), t('06:53:00').toISOString(), 180],
    ]);
    const micro = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/micro-stops?from=${t('06:00:00').toISOString()}&to=${t('07:00:00').toISOString()}`,
      token: viewer.token,
    });
    expect(micro.json()).toEqual({ count: 2, total_seconds: 105, threshold_seconds: 120 });

    const split = await h.request({
      method: 'POST',
      url: `/downtimes/${rows[0]?.id}/split`,
      token: operator.token,
      payload: {
        parts: [
          { until: t('06:35:00').toISOString(), reason_id: reasons.ELEC_FAULT },
          { reason_id: reasons.WAITING },
        ],
      },
    });
    expect((split.json().parts as DowntimeRow[]).map((p) => [p.reason_code, p.duration_seconds])).toEqual([
      ['ELEC_FAULT', 300],
      ['WAITING', 420],
    ]);
  });
});
