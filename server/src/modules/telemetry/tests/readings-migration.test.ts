import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { TEST_SECRET } from '../../../../test/constants.ts';
import { withDatabase } from '../../../../test/global-setup.ts';
import { MIGRATIONS_DIR, migrate } from '../../../platform/db/migrate.ts';
import { createLogger } from '../../../platform/logger.ts';

const log = createLogger('silent');
let maintenance: pg.Client;
let client: pg.Client;
let databaseName: string;
let ownerUrl: string;
let before: string;

beforeAll(async () => {
  const base = inject('ownerBaseUrl');
  databaseName = `hom_readings_migration_${randomBytes(4).toString('hex')}`;
  maintenance = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await maintenance.connect();
  await maintenance.query(`create database ${databaseName}`);
  ownerUrl = withDatabase(base, databaseName);
  // Every migration before 0017, as a plant that ran HOM before readings were partitioned.
  before = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-before-0017-'));
  for (const name of await fs.readdir(MIGRATIONS_DIR)) {
    if (/^\d{4}_/.test(name) && name < '0017')
      await fs.copyFile(path.join(MIGRATIONS_DIR, name), path.join(before, name));
  }
  await migrate({ ownerUrl, secret: TEST_SECRET, log, dir: before });
  client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await maintenance?.query(`drop database if exists ${databaseName} with (force)`);
  await maintenance?.end();
  if (before) await fs.rm(before, { recursive: true, force: true });
});

describe('migration 0017', () => {
  it('moves the readings of 0008 into month partitions, once each, rolled up, ids kept', async () => {
    await client.query(`insert into sites (code, name, time_zone) values ('MIG', 'Migration site', 'UTC')`);
    await client.query(
      `insert into lines (site_id, code, name) select id, 'L1', 'Line' from sites where code = 'MIG'`,
    );
    await client.query(`insert into machines (site_id, line_id, code, name)
      select site_id, id, 'M1', 'Machine' from lines where code = 'L1'`);
    await client.query(`insert into machine_readings (site_id, machine_id, reading_type, value, unit, recorded_at)
      select m.site_id, m.id, v.reading_type, v.value, v.unit, v.at::timestamptz
      from machines m, (values
        ('temperature', 10::float8, 'C', '2025-03-05T10:00:10Z'),
        ('temperature', 20, 'C', '2025-03-05T10:00:40Z'),
        ('temperature', 20, 'C', '2025-03-05T10:00:40Z'),
        ('temperature', 30, 'C', '2025-03-05T10:01:10Z'),
        ('speed', 5, null, '2024-12-31T23:59:59Z')) as v (reading_type, value, unit, at)`);
    const old = await client.query<{ id: string }>('select id from machine_readings order by id');

    expect(await migrate({ ownerUrl, secret: TEST_SECRET, log })).toContain('0017_readings.sql');

    const rows = await client.query<{ id: string; value: number; partition: string }>(
      `select id, value, tableoid::regclass::text as partition from machine_readings order by id`,
    );
    // The duplicate (third row) is kept once; the others keep their ids.
    expect(rows.rows.map((r) => [Number(r.id), r.value, r.partition])).toEqual([
      [Number(old.rows[0]?.id), 10, 'machine_readings_2025_03'],
      [Number(old.rows[1]?.id), 20, 'machine_readings_2025_03'],
      [Number(old.rows[3]?.id), 30, 'machine_readings_2025_03'],
      [Number(old.rows[4]?.id), 5, 'machine_readings_2024_12'],
    ]);
    const minutes = await client.query(
      `select reading_type, bucket, n::int, sum, min, max, last_value from machine_readings_1m order by reading_type, bucket`,
    );
    expect(minutes.rows).toEqual([
      {
        reading_type: 'speed',
        bucket: new Date('2024-12-31T23:59:00Z'),
        n: 1,
        sum: 5,
        min: 5,
        max: 5,
        last_value: 5,
      },
      {
        reading_type: 'temperature',
        bucket: new Date('2025-03-05T10:00:00Z'),
        n: 2,
        sum: 30,
        min: 10,
        max: 20,
        last_value: 20,
      },
      {
        reading_type: 'temperature',
        bucket: new Date('2025-03-05T10:01:00Z'),
        n: 1,
        sum: 30,
        min: 30,
        max: 30,
        last_value: 30,
      },
    ]);
    const hours = await client.query(
      `select reading_type, n::int, sum, min, max, last_value from machine_readings_1h order by reading_type, bucket`,
    );
    expect(hours.rows).toEqual([
      { reading_type: 'speed', n: 1, sum: 5, min: 5, max: 5, last_value: 5 },
      { reading_type: 'temperature', n: 3, sum: 60, min: 10, max: 30, last_value: 30 },
    ]);
    // New readings continue after the old ids; the old table is gone.
    const next = await client.query<{
      id: string;
    }>(`insert into machine_readings (site_id, machine_id, reading_type, value, recorded_at)
      select site_id, id, 'speed', 6, now() from machines returning id`);
    expect(Number(next.rows[0]?.id)).toBeGreaterThan(Number(old.rows[4]?.id));
    expect((await client.query(`select to_regclass('machine_readings_0008') as t`)).rows).toEqual([
      { t: null },
    ]);
  });
});
