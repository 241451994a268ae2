import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, type MachineRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import type { ReadingRow } from '../index.ts';

let h: Harness;
let machine: MachineRecord;

beforeAll(async () => {
  h = await createHarness();
  const site = await buildSite(h);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
});
afterAll(() => h.close());

const writer = () => h.server.modules.telemetry.readings.writer;
const row = (reading_type: string, value: number, at: string, unit: string | null = '°C'): ReadingRow => ({
  site_id: machine.site_id,
  machine_id: machine.id,
  reading_type,
  value,
  unit,
  recorded_at: new Date(at),
});

const query = <T>(text: ReturnType<typeof sql<T>>) =>
  h.db.transaction(SYSTEM_SCOPE, async (tx) => (await text.execute(tx)).rows);

interface Bucket {
  bucket: Date;
  n: number;
  sum: number;
  min: number;
  max: number;
  last_value: number;
  last_at: Date;
  unit: string | null;
}
const buckets = (table: 'machine_readings_1m' | 'machine_readings_1h', type: string) =>
  query(sql<Bucket>`select bucket, n::int as n, sum, min, max, last_value, last_at, unit
    from ${sql.table(table)} where machine_id = ${machine.id} and reading_type = ${type} order by bucket`);

describe('the reading writer', () => {
  it('stores a batch and rolls it up per minute and per hour (numbers checked by hand)', async () => {
    const result = await writer().write([
      row('temperature', 20, '2026-11-20T08:00:10Z'),
      row('temperature', 26, '2026-11-20T08:00:50Z'),
      row('temperature', 23, '2026-11-20T08:01:05Z'),
      // Sent before a later one of the same minute: the latest by time is the bucket's last value.
      row('temperature', 30, '2026-11-20T08:59:59Z'),
      row('temperature', 10, '2026-11-20T09:00:00Z', 'C'),
      row('temperature', 11, '2026-11-20T08:59:30Z'),
    ]);
    expect(result).toEqual({ inserted: 6 });
    expect(await buckets('machine_readings_1m', 'temperature')).toEqual([
      // 20 and 26: n 2, sum 46 (avg 23), min 20, max 26, last 26 at :50.
      b('2026-11-20T08:00:00Z', 2, 46, 20, 26, 26, '2026-11-20T08:00:50Z'),
      b('2026-11-20T08:01:00Z', 1, 23, 23, 23, 23, '2026-11-20T08:01:05Z'),
      b('2026-11-20T08:59:00Z', 2, 41, 11, 30, 30, '2026-11-20T08:59:59Z'),
      b('2026-11-20T09:00:00Z', 1, 10, 10, 10, 10, '2026-11-20T09:00:00Z', 'C'),
    ]);
    expect(await buckets('machine_readings_1h', 'temperature')).toEqual([
      // 20 + 26 + 23 + 30 + 11 = 110 over 5 (avg 22), min 11, max 30, last 30 at 08:59:59.
      b('2026-11-20T08:00:00Z', 5, 110, 11, 30, 30, '2026-11-20T08:59:59Z'),
      b('2026-11-20T09:00:00Z', 1, 10, 10, 10, 10, '2026-11-20T09:00:00Z', 'C'),
    ]);

    // A second batch into the same buckets adds to them.
    await writer().write([row('temperature', 40, '2026-11-20T08:00:30Z')]);
    const [first] = await buckets('machine_readings_1m', 'temperature');
    expect(first).toEqual(b('2026-11-20T08:00:00Z', 3, 86, 20, 40, 26, '2026-11-20T08:00:50Z'));
    const [hour] = await buckets('machine_readings_1h', 'temperature');
    expect(hour).toEqual(b('2026-11-20T08:00:00Z', 6, 150, 11, 40, 30, '2026-11-20T08:59:59Z'));
  });

  it('stores units with quotes, backslashes, commas and braces exactly as sent', async () => {
    const units = ['"in"', 'a\\b', 'm³/h, {x}', ' NULL', 'NULL'];
    await writer().write(units.map((unit, i) => row('odd_unit', i, `2026-11-19T08:00:0${i}Z`, unit)));
    await writer().write([row('odd_unit', 9, '2026-11-19T08:00:09Z', null)]);
    const stored = await query(sql<{ unit: string | null }>`select unit from machine_readings
      where machine_id = ${machine.id} and reading_type = 'odd_unit' order by recorded_at`);
    expect(stored.map((r) => r.unit)).toEqual([...units, null]);
  });

  it('stores a reading delivered twice once and counts it once', async () => {
    const batch = [row('pressure', 5, '2026-11-21T10:00:00Z'), row('pressure', 6, '2026-11-21T10:00:20Z')];
    expect(await writer().write(batch)).toEqual({ inserted: 2 });
    // Again, and once more within one batch.
    expect(await writer().write([...batch, row('pressure', 6, '2026-11-21T10:00:20Z')])).toEqual({
      inserted: 0,
    });
    expect(
      await writer().write([
        row('pressure', 7, '2026-11-21T10:00:40Z'),
        row('pressure', 7, '2026-11-21T10:00:40Z'),
      ]),
    ).toEqual({ inserted: 1 });
    const stored = await query(sql<{ value: number }>`select value from machine_readings
      where machine_id = ${machine.id} and reading_type = 'pressure' order by recorded_at`);
    expect(stored.map((r) => r.value)).toEqual([5, 6, 7]);
    expect(await buckets('machine_readings_1m', 'pressure')).toEqual([
      b('2026-11-21T10:00:00Z', 3, 18, 5, 7, 7, '2026-11-21T10:00:40Z'),
    ]);
    expect((await buckets('machine_readings_1h', 'pressure'))[0]?.n).toBe(3);
  });

  it('stores a reading of a month without a partition by creating it', async () => {
    const partition = () =>
      query(sql<{ name: string | null }>`select to_regclass('machine_readings_2019_02')::text as name`);
    expect(await partition()).toEqual([{ name: null }]);
    expect(await writer().write([row('speed', 1200, '2019-02-14T12:00:00Z', 'rpm')])).toEqual({
      inserted: 1,
    });
    expect(await partition()).toEqual([{ name: 'machine_readings_2019_02' }]);
    const stored = await query(sql<{ partition: string }>`select tableoid::regclass::text as partition
      from machine_readings where machine_id = ${machine.id} and reading_type = 'speed'`);
    expect(stored).toEqual([{ partition: 'machine_readings_2019_02' }]);
  });

  it('recreates a partition dropped behind the writer’s back (retries the batch once)', async () => {
    await writer().write([row('speed', 1, '2018-05-01T00:00:00Z', 'rpm')]);
    // The owner drops the month (as a retention job would): this process still believes it exists.
    const owner = new (await import('pg')).default.Client({ connectionString: h.ownerUrl });
    await owner.connect();
    try {
      await owner.query('drop table machine_readings_2018_05');
    } finally {
      await owner.end();
    }
    expect(await writer().write([row('speed', 2, '2018-05-02T00:00:00Z', 'rpm')])).toEqual({ inserted: 1 });
  });

  it('the partitions admit nobody directly: the application reads through machine_readings', async () => {
    const direct = h.db.transaction(SYSTEM_SCOPE, (tx) =>
      sql`select count(*) from machine_readings_2019_02`.execute(tx),
    );
    await expect(direct).rejects.toThrow(/permission denied/);
  });
});

function b(
  bucket: string,
  n: number,
  sum: number,
  min: number,
  max: number,
  last: number,
  lastAt: string,
  unit: string | null = '°C',
): Bucket {
  return {
    bucket: new Date(bucket),
    n,
    sum,
    min,
    max,
    last_value: last,
    last_at: new Date(lastAt),
    unit,
  };
}
