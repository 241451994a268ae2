/**
 * Writes the generated demo plant into an empty HOM database, as the owner (like `migrate`), in one
 * transaction: `INSERT … SELECT FROM unnest(…)` in batches, ids reserved from the identity sequences so
 * that repairs can name their stops. Does nothing when the database holds a site already.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../platform/logger.ts';
import { generatePlant, type DemoOptions, type DemoPlant } from './generator.ts';
import type { MachineHistory } from './history.ts';
import { writeBatch, type SeedCounts } from './seed-batch.ts';

export type { SeedCounts };

export interface SeedOptions {
  ownerUrl: string;
  log: Logger;
  /** The plant to generate; DEMO_DEFAULTS (2 sites, 6 lines, 40 machines, a year to now) when left out. */
  plant?: Partial<DemoOptions>;
  /** Stops per INSERT statement. */
  batchSize?: number;
}

const LOCK_KEY = 7_240_002; // one advisory lock for every HOM process seeding this database

/** Seeds the demo plant when the database has no site yet; returns what it wrote, or null if it did nothing. */
export async function seedDemo({ ownerUrl, log, plant: input, batchSize = 10_000 }: SeedOptions) {
  const started = Date.now();
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    // Row-level security is forced on the owner too: this transaction sees and writes every site.
    await client.query(`select set_config('hom.all_sites', 'on', true), pg_advisory_xact_lock($1)`, [
      LOCK_KEY,
    ]);
    const { rows } = await client.query<{ sites: number }>('select count(*)::int as sites from sites');
    if ((rows[0]?.sites ?? 0) > 0) {
      await client.query('rollback');
      log.info('demo: the database has sites already; nothing seeded');
      return null;
    }
    const plant = generatePlant(input);
    const counts = await writePlant(client, plant, batchSize);
    await client.query('commit');
    const seconds = (Date.now() - started) / 1000;
    log.info({ ...counts, from: plant.start, to: plant.options.end, seconds }, 'demo plant seeded');
    return counts;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function writePlant(client: pg.Client, plant: DemoPlant, batchSize: number): Promise<SeedCounts> {
  const since = new Date(plant.start);
  const idsOf = async (text: string, values: unknown[]) =>
    (await client.query<{ id: number }>(text, values)).rows.map((row) => Number(row.id));

  const siteIds = await idsOf(
    `insert into sites (code, name, time_zone, created_at)
     select code, name, tz, $4 from unnest($1::text[], $2::text[], $3::text[]) with ordinality as u (code, name, tz, n)
     order by n returning id`,
    [
      plant.sites.map((s) => s.code),
      plant.sites.map((s) => s.name),
      plant.sites.map((s) => s.timeZone),
      since,
    ],
  );
  const userIds = await idsOf(
    `insert into users (username, password_hash, full_name, role, is_active, created_at)
     select username, hash, full_name, role, false, $5
     from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as u (username, hash, full_name, role, n)
     order by n returning id`,
    [
      plant.users.map((u) => u.username),
      // Demo people cannot sign in: disabled, and no password hashes to this random text.
      plant.users.map(() => `!demo-disabled!${randomBytes(24).toString('base64url')}`),
      plant.users.map((u) => u.fullName),
      plant.users.map((u) => u.role),
      since,
    ],
  );
  await client.query(
    `insert into user_sites (user_id, site_id) select * from unnest($1::bigint[], $2::bigint[])`,
    [userIds, plant.users.map((u) => siteIds[u.siteKey])],
  );
  const lineIds = await idsOf(
    `insert into lines (site_id, code, name, description, created_at)
     select site_id, code, name, description, $5
     from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) with ordinality as u (site_id, code, name, description, n)
     order by n returning id`,
    [
      plant.lines.map((l) => siteIds[l.siteKey]),
      plant.lines.map((l) => l.code),
      plant.lines.map((l) => l.name),
      plant.lines.map((l) => l.description),
      since,
    ],
  );
  const m = plant.machines;
  const machineIds = await idsOf(
    `insert into machines (site_id, line_id, code, name, asset_number, serial_number, manufacturer, model,
       machine_type, status, criticality, commissioned_on, created_at)
     select site_id, line_id, code, name, asset, serial, maker, model, type, status, crit, commissioned, $13
     from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::text[], $12::date[]) with ordinality
       as u (site_id, line_id, code, name, asset, serial, maker, model, type, status, crit, commissioned, n)
     order by n returning id`,
    [
      m.map((x) => siteIds[x.siteKey]),
      m.map((x) => lineIds[x.lineKey]),
      m.map((x) => x.code),
      m.map((x) => x.name),
      m.map((x) => x.assetNumber),
      m.map((x) => x.serialNumber),
      m.map((x) => x.manufacturer),
      m.map((x) => x.model),
      m.map((x) => x.type),
      m.map((x) => x.status),
      m.map((x) => x.criticality),
      m.map((x) => x.commissionedOn),
      since,
    ],
  );

  const reasons = await codeIds(client, 'downtime_reasons');
  const failureCodes = await codeIds(client, 'failure_codes');
  const counts: SeedCounts = {
    sites: siteIds.length,
    lines: lineIds.length,
    machines: machineIds.length,
    users: userIds.length,
    downtimes: 0,
    repairs: 0,
    repair_technicians: 0,
    repair_parts: 0,
  };
  const ids = { siteIds, machineIds, userIds, reasons, failureCodes };
  let batch: MachineHistory[] = [];
  let pending = 0;
  for (const history of plant.histories()) {
    batch.push(history);
    pending += history.downtimes.length;
    if (pending < batchSize) continue;
    await writeBatch(client, batch, ids, counts);
    batch = [];
    pending = 0;
  }
  if (batch.length > 0) await writeBatch(client, batch, ids, counts);
  return counts;
}

async function codeIds(client: pg.Client, table: 'downtime_reasons' | 'failure_codes') {
  const { rows } = await client.query<{ id: number; code: string }>(`select id, code from ${table}`);
  return new Map(rows.map((row) => [row.code, Number(row.id)]));
}
