/**
 * Writes the generated demo plant into an empty HOM database, as the owner (like `migrate`), in one
 * transaction: `INSERT … SELECT FROM unnest(…)` in batches, ids reserved from the identity sequences so
 * that repairs can name their stops, then the production tracking (production.ts). Does nothing when the
 * database holds a site already.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../platform/logger.ts';
import { generatePlant, type DemoOptions, type DemoPlant } from './generator.ts';
import type { MachineHistory } from './history.ts';
import { generateProduction } from './production.ts';
import { writeBatch, type SeedCounts } from './seed-batch.ts';
import { writeTools } from './tools.ts';
import { writeSignals } from './signals.ts';

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
    production_routes: 0,
    route_steps: 0,
    work_orders: 0,
    work_order_stages: 0,
    stage_assignments: 0,
    production_issues: 0,
    tools: 0,
    tool_shot_readings: 0,
    machine_states: 0,
    machine_counts: 0,
    machine_readings: 0,
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
  await writeProduction(client, plant, { siteIds, lineIds, machineIds, userIds }, counts);
  await writeTools(client, plant, { siteIds, machineIds }, counts);
  await writeSignals(client, plant, { siteIds, machineIds }, counts);
  return counts;
}

/** Routes, then work orders, their stages, the stages' assignments and issues (docs/production.md). */
async function writeProduction(
  client: pg.Client,
  plant: DemoPlant,
  ids: { siteIds: number[]; lineIds: number[]; machineIds: number[]; userIds: number[] },
  counts: SeedCounts,
) {
  const { routes, workOrders } = generateProduction(plant);
  const site = (key: number) => ids.siteIds[key];
  const user = (key: number | null) => (key === null ? null : ids.userIds[key]);
  const machine = (key: number | null) => (key === null ? null : ids.machineIds[key]);
  const idsOf = async (text: string, values: unknown[]) =>
    (await client.query<{ id: number }>(text, values)).rows.map((row) => Number(row.id));

  const routeIds = await idsOf(
    `insert into production_routes (site_id, product_code, name, created_at, updated_at)
     select site_id, product_code, name, $4, $4
     from unnest($1::bigint[], $2::text[], $3::text[]) with ordinality as u (site_id, product_code, name, n)
     order by n returning id`,
    [
      routes.map((r) => site(r.siteKey)),
      routes.map((r) => r.productCode),
      routes.map((r) => r.name),
      plant.start,
    ],
  );
  const steps = routes.flatMap((r, i) =>
    r.steps.map((step, index) => ({
      ...step,
      route: routeIds[i],
      site: site(r.siteKey),
      position: index + 1,
    })),
  );
  await client.query(
    `insert into route_steps (route_id, site_id, position, stage_name, weight)
     select * from unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::numeric[])`,
    [
      steps.map((s) => s.route),
      steps.map((s) => s.site),
      steps.map((s) => s.position),
      steps.map((s) => s.stageName),
      steps.map((s) => s.weight),
    ],
  );

  const w = workOrders;
  const orderIds = await idsOf(
    `insert into work_orders (site_id, line_id, product_code, lot_no, qty, planned_start, planned_end, status,
       actual_start, actual_end, notes, created_by, created_at, updated_at)
     select site_id, line_id, product_code, lot_no, qty, to_timestamp(ps / 1000), to_timestamp(pe / 1000), status,
       to_timestamp(s / 1000), to_timestamp(e / 1000), notes, created_by, to_timestamp(c / 1000), to_timestamp(u / 1000)
     from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::float8[], $7::float8[],
       $8::text[], $9::float8[], $10::float8[], $11::text[], $12::bigint[], $13::float8[], $14::float8[])
       with ordinality as u (site_id, line_id, product_code, lot_no, qty, ps, pe, status, s, e, notes, created_by, c, u, n)
     order by n returning id`,
    [
      w.map((o) => site(o.siteKey)),
      w.map((o) => ids.lineIds[o.lineKey]),
      w.map((o) => o.productCode),
      w.map((o) => o.lotNo),
      w.map((o) => o.qty),
      w.map((o) => o.plannedStart),
      w.map((o) => o.plannedEnd),
      w.map((o) => o.status),
      w.map((o) => o.actualStart),
      w.map((o) => o.actualEnd),
      w.map((o) => o.notes),
      w.map((o) => user(o.createdBy)),
      w.map((o) => o.createdAt),
      w.map((o) => o.updatedAt),
    ],
  );
  const stages = w.flatMap((o, i) => o.stages.map((stage) => ({ ...stage, order: o, orderId: orderIds[i] })));
  const stageIds = await idsOf(
    `insert into work_order_stages (site_id, work_order_id, position, stage_name, machine_id, planned_start,
       planned_end, actual_start, actual_end, status, started_by, finished_by, created_at, updated_at)
     select site_id, work_order_id, position, stage_name, machine_id, to_timestamp(ps / 1000),
       to_timestamp(pe / 1000), to_timestamp(s / 1000), to_timestamp(e / 1000), status, started_by, finished_by,
       to_timestamp(c / 1000), to_timestamp(coalesce(e, s, c) / 1000)
     from unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::bigint[], $6::float8[], $7::float8[],
       $8::float8[], $9::float8[], $10::text[], $11::bigint[], $12::bigint[], $13::float8[])
       with ordinality as u (site_id, work_order_id, position, stage_name, machine_id, ps, pe, s, e, status,
         started_by, finished_by, c, n)
     order by n returning id`,
    [
      stages.map((s) => site(s.order.siteKey)),
      stages.map((s) => s.orderId),
      stages.map((s) => s.position),
      stages.map((s) => s.stageName),
      stages.map((s) => machine(s.machineKey)),
      stages.map((s) => s.plannedStart),
      stages.map((s) => s.plannedEnd),
      stages.map((s) => s.actualStart),
      stages.map((s) => s.actualEnd),
      stages.map((s) => s.status),
      stages.map((s) => user(s.startedBy)),
      stages.map((s) => user(s.finishedBy)),
      stages.map((s) => s.order.createdAt),
    ],
  );
  const crew = stages.flatMap((s, i) =>
    s.assignees.map((key) => ({ stage: stageIds[i], user: user(key), site: site(s.order.siteKey), by: s })),
  );
  await client.query(
    `insert into stage_assignments (work_order_stage_id, user_id, site_id, assigned_by, assigned_at)
     select stage_id, user_id, site_id, assigned_by, to_timestamp(a / 1000)
     from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::float8[])
       as u (stage_id, user_id, site_id, assigned_by, a)`,
    [
      crew.map((c) => c.stage),
      crew.map((c) => c.user),
      crew.map((c) => c.site),
      crew.map((c) => user(c.by.assignedBy)),
      crew.map((c) => c.by.assignedAt),
    ],
  );
  const issues = stages.flatMap((s, i) =>
    s.issues.map((issue) => ({ ...issue, stage: stageIds[i], site: site(s.order.siteKey) })),
  );
  await client.query(
    `insert into production_issues (site_id, work_order_stage_id, type, description, status, machine_id,
       created_by, created_at, acknowledged_by, acknowledged_at, resolved_by, resolved_at, resolution_note, updated_at)
     select site_id, stage_id, type, description, status, machine_id, created_by, to_timestamp(c / 1000),
       acknowledged_by, to_timestamp(a / 1000), resolved_by, to_timestamp(r / 1000), note,
       to_timestamp(coalesce(r, a, c) / 1000)
     from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
       $8::float8[], $9::bigint[], $10::float8[], $11::bigint[], $12::float8[], $13::text[])
       as u (site_id, stage_id, type, description, status, machine_id, created_by, c, acknowledged_by, a,
         resolved_by, r, note)`,
    [
      issues.map((x) => x.site),
      issues.map((x) => x.stage),
      issues.map((x) => x.type),
      issues.map((x) => x.description),
      issues.map((x) => x.status),
      issues.map((x) => machine(x.machineKey)),
      issues.map((x) => user(x.createdBy)),
      issues.map((x) => x.createdAt),
      issues.map((x) => user(x.acknowledgedBy)),
      issues.map((x) => x.acknowledgedAt),
      issues.map((x) => user(x.resolvedBy)),
      issues.map((x) => x.resolvedAt),
      issues.map((x) => x.resolutionNote),
    ],
  );
  counts.production_routes += routeIds.length;
  counts.route_steps += steps.length;
  counts.work_orders += orderIds.length;
  counts.work_order_stages += stageIds.length;
  counts.stage_assignments += crew.length;
  counts.production_issues += issues.length;
}

async function codeIds(client: pg.Client, table: 'downtime_reasons' | 'failure_codes') {
  const { rows } = await client.query<{ id: number; code: string }>(`select id, code from ${table}`);
  return new Map(rows.map((row) => [row.code, Number(row.id)]));
}
