import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
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
import type { ReadingRow } from '../index.ts';
import { errorCode } from './readings.fixtures.ts';

let h: Harness;
let site: SiteRecord;
let siteKey: string;
let worker: UserRecord;
let manager: UserRecord;

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h);
  siteKey = (await buildApiKey(h, site.id)).key;
  [worker, manager] = await Promise.all([
    buildUser(h, { role: 'worker', site_ids: [site.id] }),
    buildUser(h, { role: 'manager', site_ids: [site.id] }),
  ]);
});
afterAll(() => h.close());

const readings = () => h.server.modules.telemetry.readings;
const newMachine = async () => buildMachine(h, (await buildLine(h, site.id)).id);
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
const row = (
  machine: MachineRecord,
  reading_type: string,
  value: number,
  at: Date,
  unit = '°C',
): ReadingRow => ({
  site_id: machine.site_id,
  machine_id: machine.id,
  reading_type,
  value,
  unit,
  recorded_at: at,
});
/** Stores through the module's writer and waits for its threshold and freshness checks. */
async function write(rows: ReadingRow[]) {
  const result = await readings().writer.write(rows);
  await readings().idle();
  return result;
}
const get = (url: string, token = h.adminToken) => h.request({ method: 'GET', url, token });
const put = (url: string, payload: unknown, token = h.adminToken) =>
  h.request({ method: 'PUT', url, token, payload: payload as Record<string, unknown> });
const query = async <T>(text: ReturnType<typeof sql<T>>) =>
  h.db.transaction(SYSTEM_SCOPE, async (tx) => (await text.execute(tx)).rows);

interface Alert {
  machine_id: number;
  reading_type: string;
  kind: string;
  threshold: number;
  first_value: number;
  peak_value: number;
  opened_at: string;
  closed_at: string | null;
}
const alertsOf = async (machine: MachineRecord, open?: boolean): Promise<Alert[]> => {
  const response = await get(
    `/reading-alerts?machine_id=${machine.id}${open === undefined ? '' : `&open=${open}`}`,
  );
  expect(response.statusCode).toBe(200);
  return response.json();
};

describe('thresholds', () => {
  it('are set, read, audited and removed by telemetry:manage', async () => {
    const machine = await newMachine();
    const url = `/machines/${machine.code}/thresholds/temperature`;
    expect(errorCode(await get(url))).toBe('THRESHOLD_NOT_FOUND');
    const saved = await put(url, { low: 10, high: 90 }, manager.token);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      machine_id: machine.id,
      reading_type: 'temperature',
      low: 10,
      high: 90,
      stale_after_seconds: null,
      updated_by: manager.id,
    });
    expect((await get(url, worker.token)).json()).toMatchObject({ low: 10, high: 90 });
    expect((await put(url, { high: 95, stale_after_seconds: 300 })).json()).toMatchObject({
      low: null,
      high: 95,
      stale_after_seconds: 300,
    });
    const audit = (await get('/audit?entity=reading_threshold')).json();
    const entries = (audit.items ?? audit) as { action: string; entity_id: string }[];
    expect(
      entries
        .filter((e) => e.entity_id === String(saved.json().id))
        .map((e) => e.action)
        .sort(),
    ).toEqual(['create', 'update']);
    expect((await h.request({ method: 'DELETE', url, token: h.adminToken })).statusCode).toBe(204);
    expect((await get(url)).statusCode).toBe(404);
    expect(errorCode(await h.request({ method: 'DELETE', url, token: h.adminToken }))).toBe(
      'THRESHOLD_NOT_FOUND',
    );
  });

  it('a worker may not set them (403), and nothing is stored', async () => {
    const machine = await newMachine();
    const url = `/machines/${machine.id}/thresholds/temperature`;
    const refused = await put(url, { high: 90 }, worker.token);
    expect(refused.statusCode).toBe(403);
    expect((await get(url)).statusCode).toBe(404);
  });

  it.each([
    ['nothing to set', {}, 'high'],
    ['low not below high', { low: 50, high: 40 }, 'high'],
    ['a stale limit under 10 s', { stale_after_seconds: 5 }, 'stale_after_seconds'],
    ['a fractional stale limit', { stale_after_seconds: 30.5 }, 'stale_after_seconds'],
    ['a text limit', { high: '90' }, 'high'],
    ['an unknown field', { high: 90, colour: 'red' }, ''],
  ])('refuses %s with 422, naming the field, and stores nothing', async (_name, payload, field) => {
    const machine = await newMachine();
    const url = `/machines/${machine.id}/thresholds/temperature`;
    const response = await put(url, payload);
    expect(response.statusCode).toBe(422);
    const body = response.json() as { message: string; errors?: { field: string; message: string }[] };
    expect(body.message.length).toBeGreaterThan(0);
    if (field) expect(body.errors?.map((e) => e.field)).toContain(`body.${field}`);
    expect((await get(url)).statusCode).toBe(404);
  });

  it('refuses a malformed reading type in the path (422) and an unknown machine (404)', async () => {
    const machine = await newMachine();
    expect((await put(`/machines/${machine.id}/thresholds/9%20bad`, { high: 1 })).statusCode).toBe(422);
    expect(errorCode(await put('/machines/NO-SUCH/thresholds/temperature', { high: 1 }))).toBe(
      'MACHINE_NOT_FOUND',
    );
  });
});

describe('threshold alerts', () => {
  it('a value above high opens one alert with a notification; back in range closes it', async () => {
    const machine = await newMachine();
    await put(`/machines/${machine.id}/thresholds/temperature`, { low: 10, high: 90 });
    const [t1, t2, t3, t4] = [ago(50), ago(40), ago(30), ago(20)];
    await write([row(machine, 'temperature', 80, ago(60)), row(machine, 'temperature', 95, t1)]);
    await write([row(machine, 'temperature', 97, t2), row(machine, 'temperature', 93, t3)]);
    const open = await alertsOf(machine, true);
    expect(open).toEqual([
      expect.objectContaining({
        reading_type: 'temperature',
        kind: 'high',
        threshold: 90,
        first_value: 95,
        peak_value: 97,
        opened_at: t1.toISOString(),
        closed_at: null,
      }),
    ]);
    const notes = (await get('/notifications')).json().items as {
      kind: string;
      title: string;
      link: string;
    }[];
    const mine = notes.filter((n) => n.kind === 'reading_alert' && n.title.startsWith(machine.code));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.title).toBe(`${machine.code} · temperature 95 °C above the limit 90 °C`);

    await write([row(machine, 'temperature', 85, t4)]);
    expect(await alertsOf(machine, true)).toEqual([]);
    expect(await alertsOf(machine)).toEqual([
      expect.objectContaining({ kind: 'high', peak_value: 97, closed_at: t4.toISOString() }),
    ]);
    // Still one notification: closing does not notify.
    const after = (await get('/notifications')).json().items as { kind: string; title: string }[];
    expect(after.filter((n) => n.kind === 'reading_alert' && n.title.startsWith(machine.code))).toHaveLength(
      1,
    );
  });

  it('a value below low opens a low alert; a reading posted over HTTP is checked too', async () => {
    const machine = await newMachine();
    await put(`/machines/${machine.id}/thresholds/pressure`, { low: 2 });
    const posted = await h.request({
      method: 'POST',
      url: `/machines/${machine.code}/readings`,
      headers: { 'x-api-key': siteKey },
      payload: [
        { reading_type: 'pressure', value: 2.5, unit: 'bar', timestamp: ago(20).toISOString() },
        { reading_type: 'pressure', value: 1.5, unit: 'bar', timestamp: ago(10).toISOString() },
      ],
    });
    expect(posted.statusCode).toBe(201);
    await readings().idle();
    expect(await alertsOf(machine, true)).toEqual([
      expect.objectContaining({ kind: 'low', threshold: 2, first_value: 1.5, peak_value: 1.5 }),
    ]);
  });

  it('a value wavering around the limit is one alert, reopened instead of notifying again', async () => {
    const machine = await newMachine();
    await put(`/machines/${machine.id}/thresholds/speed`, { high: 100 });
    await write([row(machine, 'speed', 120, ago(50), 'rpm')]);
    await write([row(machine, 'speed', 90, ago(40), 'rpm')]);
    await write([row(machine, 'speed', 130, ago(30), 'rpm')]);
    const alerts = await alertsOf(machine);
    expect(alerts).toEqual([expect.objectContaining({ kind: 'high', peak_value: 130, closed_at: null })]);
    const notes = (await get('/notifications')).json().items as { kind: string; title: string }[];
    expect(notes.filter((n) => n.kind === 'reading_alert' && n.title.startsWith(machine.code))).toHaveLength(
      1,
    );
  });

  it('a reading already stored raises nothing again, and changing the limit ends the open alert', async () => {
    const machine = await newMachine();
    const url = `/machines/${machine.id}/thresholds/temperature`;
    await put(url, { high: 50 });
    const spike = row(machine, 'temperature', 70, ago(30));
    await write([spike]);
    expect(await alertsOf(machine, true)).toHaveLength(1);
    await put(url, { high: 80 });
    expect(await alertsOf(machine, true)).toEqual([]);
    expect(await write([spike])).toEqual({ inserted: 0 });
    expect(await alertsOf(machine)).toHaveLength(1);
  });
});

describe('stale readings', () => {
  const staleOf = (machine: MachineRecord) =>
    query(sql<{ reason: string; started_at: Date; ended_at: Date | null }>`
      select reason, started_at, ended_at from machine_stale_periods
      where machine_id = ${machine.id} and source = 'readings' order by started_at`);

  it('no reading for stale_after_seconds opens a stale period; the next reading ends it', async () => {
    const machine = await newMachine();
    await put(`/machines/${machine.id}/thresholds/pressure`, { stale_after_seconds: 60 });
    const last = ago(600);
    await write([row(machine, 'pressure', 4.2, last, 'bar')]);
    expect(await readings().checkStale(ago(590))).toMatchObject({ opened: 0 });
    expect(await staleOf(machine)).toEqual([]);

    await readings().checkStale(new Date());
    expect(await staleOf(machine)).toEqual([
      { reason: `no pressure reading since ${last.toISOString()}`, started_at: last, ended_at: null },
    ]);
    const types = (await get(`/machines/${machine.id}/reading-types`)).json();
    expect(types).toEqual([
      expect.objectContaining({
        reading_type: 'pressure',
        unit: 'bar',
        last_value: 4.2,
        stale: true,
        stale_after_seconds: 60,
      }),
    ]);
    // Checking again changes nothing.
    expect(await readings().checkStale(new Date())).toEqual({ opened: 0, closed: 0 });

    const back = ago(1);
    await write([row(machine, 'pressure', 4.3, back, 'bar')]);
    // The writer ends the period itself (no worker pass needed).
    expect(await staleOf(machine)).toEqual([expect.objectContaining({ started_at: last, ended_at: back })]);
    expect((await get(`/machines/${machine.id}/reading-types`)).json()[0]).toMatchObject({ stale: false });
  });

  it('the default rule watches a type that reported regularly in the last day; 0 means never stale', async () => {
    const [watched, never] = [await newMachine(), await newMachine()];
    await put(`/machines/${never.id}/thresholds/vibration`, { stale_after_seconds: 0 });
    // 12 readings a minute apart, the last one 40 minutes ago: the default limit is 15 minutes.
    for (const machine of [watched, never]) {
      await write(
        Array.from({ length: 12 }, (_, i) =>
          row(machine, 'vibration', i, ago(40 * 60 + (11 - i) * 60), 'mm/s'),
        ),
      );
    }
    await readings().checkStale(new Date());
    expect((await staleOf(watched)).map((p) => p.reason)).toEqual([
      expect.stringMatching(/^no vibration reading since /),
    ]);
    expect(await staleOf(never)).toEqual([]);
    expect((await get(`/machines/${watched.id}/reading-types`)).json()[0]).toMatchObject({
      stale: true,
      stale_after_seconds: 900,
    });
  });

  it('a machine with a type still silent stays stale while another type reports', async () => {
    const machine = await newMachine();
    await put(`/machines/${machine.id}/thresholds/pressure`, { stale_after_seconds: 60 });
    await put(`/machines/${machine.id}/thresholds/temperature`, { stale_after_seconds: 60 });
    await write([row(machine, 'pressure', 1, ago(300), 'bar'), row(machine, 'temperature', 20, ago(300))]);
    await readings().checkStale(new Date());
    expect(await staleOf(machine)).toEqual([
      expect.objectContaining({
        reason: expect.stringMatching(/^no pressure, temperature reading since/),
        ended_at: null,
      }),
    ]);
    await write([row(machine, 'temperature', 21, ago(2))]);
    await readings().checkStale(new Date());
    expect((await staleOf(machine))[0]?.ended_at).toBeNull();
    const back = ago(1);
    await write([row(machine, 'pressure', 1.1, back, 'bar')]);
    expect((await staleOf(machine))[0]?.ended_at).toEqual(back);
  });
});

describe('posting a reading again', () => {
  it('is answered with the reading already stored, and stored once', async () => {
    const machine = await newMachine();
    const payload = {
      reading_type: 'temperature',
      value: 21.5,
      unit: '°C',
      timestamp: ago(30).toISOString(),
    };
    const post = () =>
      h.request({
        method: 'POST',
        url: `/machines/${machine.id}/readings`,
        headers: { 'x-api-key': siteKey },
        payload,
      });
    const first = await post();
    const again = await post();
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect((await get(`/machines/${machine.id}/readings`)).json()).toHaveLength(1);
    const [bucket] = await query(
      sql<{ n: number }>`select n::int as n from machine_readings_1m where machine_id = ${machine.id}`,
    );
    expect(bucket).toEqual({ n: 1 });
  });
});

describe('series and reading types', () => {
  const base = Date.parse('2026-11-20T08:00:00Z');
  const at = (seconds: number) => new Date(base + seconds * 1000);
  let machine: MachineRecord;

  beforeAll(async () => {
    machine = await newMachine();
    await write([
      row(machine, 'temperature', 20, at(10)),
      row(machine, 'temperature', 26, at(50)),
      row(machine, 'temperature', 23, at(65)),
      row(machine, 'temperature', 11, at(3_570)),
      row(machine, 'temperature', 10, at(3_600)),
      row(machine, 'pressure', 3, at(30), 'bar'),
    ]);
  });
  const series = (q: string) => get(`/machines/${machine.id}/readings/series?${q}`);
  const window = (from: number, to: number) => `from=${at(from).toISOString()}&to=${at(to).toISOString()}`;

  it('1-minute buckets: n, avg, min, max, last', async () => {
    const response = await series(`reading_type=temperature&bucket=1m&${window(0, 7_200)}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      machine_id: machine.id,
      bucket: '1m',
      unit: '°C',
      truncated: false,
    });
    expect(response.json().points).toEqual([
      { t: at(0).toISOString(), n: 2, avg: 23, min: 20, max: 26, last: 26 },
      { t: at(60).toISOString(), n: 1, avg: 23, min: 23, max: 23, last: 23 },
      { t: at(3_540).toISOString(), n: 1, avg: 11, min: 11, max: 11, last: 11 },
      { t: at(3_600).toISOString(), n: 1, avg: 10, min: 10, max: 10, last: 10 },
    ]);
  });

  it('1-hour buckets and raw readings', async () => {
    const hourly = (await series(`reading_type=temperature&bucket=1h&${window(0, 7_200)}`)).json();
    // (20 + 26 + 23 + 11) / 4 = 20
    expect(hourly.points).toEqual([
      { t: at(0).toISOString(), n: 4, avg: 20, min: 11, max: 26, last: 11 },
      { t: at(3_600).toISOString(), n: 1, avg: 10, min: 10, max: 10, last: 10 },
    ]);
    const raw = (await series(`reading_type=temperature&bucket=raw&${window(0, 60)}`)).json();
    expect(raw.points.map((p: { t: string; avg: number }) => [p.t, p.avg])).toEqual([
      [at(10).toISOString(), 20],
      [at(50).toISOString(), 26],
    ]);
  });

  it('refuses a range too long for the bucket with 400 and a hint', async () => {
    const response = await series(`reading_type=temperature&bucket=1m&${window(0, 8 * 86_400)}`);
    expect(response.statusCode).toBe(400);
    expect(errorCode(response)).toBe('SERIES_RANGE_TOO_LARGE');
    expect(response.json().message).toMatch(/bucket=1h/);
    const backwards = await series(`reading_type=temperature&${window(60, 0)}`);
    expect(backwards.statusCode).toBe(400);
    expect(errorCode(backwards)).toBe('INVALID_SERIES_RANGE');
    expect((await series('reading_type=temperature&bucket=5m')).statusCode).toBe(422);
    expect((await series('bucket=1m')).statusCode).toBe(422);
  });

  it('lists the types a machine reported with unit and latest value', async () => {
    const response = await get(`/machines/${machine.code}/reading-types`, worker.token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      expect.objectContaining({
        reading_type: 'pressure',
        unit: 'bar',
        last_value: 3,
        last_at: at(30).toISOString(),
      }),
      expect.objectContaining({
        reading_type: 'temperature',
        unit: '°C',
        last_value: 10,
        last_at: at(3_600).toISOString(),
      }),
    ]);
  });

  it('sparklines: per machine its most recent types, per-minute averages', async () => {
    const { sparklines } = await import('../index.ts');
    const lines = await h.db.transaction(SYSTEM_SCOPE, (tx) => sparklines(tx, [machine.id], at(0)));
    expect(lines.map((l) => [l.reading_type, l.points.length, l.last_value])).toEqual([
      ['temperature', 4, 10],
      ['pressure', 1, 3],
    ]);
    expect(lines[0]?.points[0]).toEqual({ t: at(0), avg: 23 });
  });
});
