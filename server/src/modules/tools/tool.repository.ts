import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './tools.schema.ts';
import {
  NEAR_LIMIT_SHARE,
  type ToolFilter,
  type ToolKind,
  type ToolOutput,
  type ToolStatus,
} from './tools.dto.ts';

interface ToolRow {
  id: number;
  site_id: number;
  asset_number: string;
  name: string;
  kind: string;
  manufacturer: string | null;
  cavity_count: number;
  status: string;
  storage_location: string | null;
  life_limit_shots: number | null;
  counter_max: number | null;
  ideal_cycle_seconds: number | null;
  notes: string | null;
  total_shots: number;
  last_reading_at: Date | null;
  retired_at: Date | null;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  mounting_id: number | null;
  machine_id: number | null;
  machine_code: string | null;
  machine_name: string | null;
  position: string | null;
  mounted_at: Date | null;
}

export function lifeUsedPercent(total: number, limit: number | null): number | null {
  return limit ? Math.round((total / limit) * 1000) / 10 : null;
}

function toOutput(row: ToolRow): ToolOutput {
  return {
    id: row.id,
    site_id: row.site_id,
    asset_number: row.asset_number,
    name: row.name,
    kind: row.kind as ToolKind,
    manufacturer: row.manufacturer,
    cavity_count: row.cavity_count,
    status: row.status as ToolStatus,
    storage_location: row.storage_location,
    life_limit_shots: row.life_limit_shots,
    counter_max: row.counter_max,
    ideal_cycle_seconds: row.ideal_cycle_seconds,
    notes: row.notes,
    total_shots: row.total_shots,
    life_used_percent: lifeUsedPercent(row.total_shots, row.life_limit_shots),
    near_life_limit:
      row.life_limit_shots !== null && row.total_shots >= row.life_limit_shots * NEAR_LIMIT_SHARE,
    last_reading_at: row.last_reading_at,
    mounted:
      row.mounting_id !== null && row.machine_id !== null && row.mounted_at !== null
        ? {
            mounting_id: row.mounting_id,
            machine_id: row.machine_id,
            machine_code: row.machine_code ?? '',
            machine_name: row.machine_name ?? '',
            position: row.position ?? 'main',
            mounted_at: row.mounted_at,
          }
        : null,
    retired_at: row.retired_at,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const SELECT_TOOL = sql`
  select t.id, t.site_id, t.asset_number, t.name, t.kind, t.manufacturer, t.cavity_count, t.status,
         t.storage_location, t.life_limit_shots, t.counter_max,
         t.ideal_cycle_seconds::float8 as ideal_cycle_seconds, t.notes, t.total_shots, t.last_reading_at,
         t.retired_at, t.created_by, t.created_at, t.updated_at,
         m.id as mounting_id, m.machine_id, mc.code as machine_code, mc.name as machine_name, m.position,
         m.mounted_at
    from tools t
    left join tool_mountings m on m.tool_id = t.id and m.removed_at is null
    left join machines mc on mc.id = m.machine_id`;

export async function findTool(tx: Tx, id: number): Promise<ToolOutput | undefined> {
  const { rows } = await sql<ToolRow>`${SELECT_TOOL} where t.id = ${id}`.execute(tx);
  return rows[0] ? toOutput(rows[0]) : undefined;
}

export async function listTools(tx: Tx, filter: ToolFilter): Promise<ToolOutput[]> {
  const where = [sql`true`];
  if (filter.site_id) where.push(sql`t.site_id = ${filter.site_id}`);
  if (filter.kind) where.push(sql`t.kind = ${filter.kind}`);
  if (filter.status) where.push(sql`t.status = ${filter.status}`);
  else where.push(sql`t.status <> 'retired'`);
  if (filter.machine_id) where.push(sql`m.machine_id = ${filter.machine_id}`);
  if (filter.near_limit)
    where.push(
      sql`t.life_limit_shots is not null and t.total_shots >= t.life_limit_shots * ${NEAR_LIMIT_SHARE}::numeric`,
    );
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      sql`(t.asset_number ilike ${like} or t.name ilike ${like} or coalesce(t.manufacturer, '') ilike ${like}
           or coalesce(t.storage_location, '') ilike ${like})`,
    );
  }
  // The cursor carries created_at as a JavaScript Date (milliseconds) while the column keeps
  // microseconds, so pages are ordered and cut on the millisecond: tools created by one import share
  // their created_at and would otherwise drop out between pages.
  const created = sql`date_trunc('milliseconds', t.created_at)`;
  if (filter.cursor) {
    where.push(sql`(${created}, t.id) < (${filter.cursor.created_at}, ${filter.cursor.id})`);
  }
  const { rows } = await sql<ToolRow>`${SELECT_TOOL} where ${sql.join(where, sql` and `)}
    order by ${created} desc, t.id desc limit ${filter.limit + 1}`.execute(tx);
  return rows.map(toOutput);
}

export async function assetNumberTaken(
  tx: Tx,
  siteId: number,
  assetNumber: string,
  exceptId?: number,
): Promise<number | undefined> {
  let query = tx
    .selectFrom('tools')
    .select('id')
    .where('site_id', '=', siteId)
    .where((eb) => eb(eb.fn('lower', ['asset_number']), '=', assetNumber.toLowerCase()));
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst())?.id;
}

export async function insertTool(
  tx: Tx,
  values: {
    site_id: number;
    asset_number: string;
    name: string;
    kind: string;
    manufacturer: string | null;
    cavity_count: number;
    status: string;
    storage_location: string | null;
    life_limit_shots: number | null;
    counter_max: number | null;
    ideal_cycle_seconds: number | null;
    notes: string | null;
    created_by: number | null;
  },
): Promise<number> {
  const row = await tx.insertInto('tools').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTool(
  tx: Tx,
  id: number,
  values: Partial<{
    asset_number: string;
    name: string;
    kind: string;
    manufacturer: string | null;
    cavity_count: number;
    status: string;
    storage_location: string | null;
    life_limit_shots: number | null;
    counter_max: number | null;
    ideal_cycle_seconds: number | null;
    notes: string | null;
    retired_at: Date | null;
  }>,
): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await tx.updateTable('tools').set(values).where('id', '=', id).execute();
}

/** The tool row locked for the rest of the transaction (readings and mountings change it in turn). */
export interface LockedToolRow {
  id: number;
  site_id: number;
  asset_number: string;
  status: string;
  counter_max: number | null;
  total_shots: number;
  /** The newest reading's instant, any stream (readings are only ever added). */
  last_reading_at: Date | null;
}

export async function lockTool(tx: Tx, id: number): Promise<LockedToolRow | undefined> {
  return tx
    .selectFrom('tools')
    .select(['id', 'site_id', 'asset_number', 'status', 'counter_max', 'total_shots', 'last_reading_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** `lockTool` for many tools in one statement, locked in id order (no deadlock with other batches). */
export function lockTools(tx: Tx, ids: readonly number[]): Promise<LockedToolRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('tools')
    .select(['id', 'site_id', 'asset_number', 'status', 'counter_max', 'total_shots', 'last_reading_at'])
    .where('id', '=', sql<number>`any(${[...ids]}::bigint[])`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Tools by asset number (case-insensitive) on one site. */
export async function toolsByAssetNumber(
  tx: Tx,
  siteId: number,
  assetNumbers: readonly string[],
): Promise<Map<string, number>> {
  if (assetNumbers.length === 0) return new Map();
  const rows = await tx
    .selectFrom('tools')
    .select(['id', 'asset_number'])
    .where('site_id', '=', siteId)
    .where((eb) =>
      eb(
        eb.fn('lower', ['asset_number']),
        'in',
        assetNumbers.map((a) => a.toLowerCase()),
      ),
    )
    .execute();
  return new Map(rows.map((row) => [row.asset_number.toLowerCase(), row.id]));
}

export async function siteOfTool(tx: Tx, id: number): Promise<number | null> {
  const row = await tx.selectFrom('tools').select('site_id').where('id', '=', id).executeTakeFirst();
  return row?.site_id ?? null;
}

export async function siteTimeZone(tx: Tx, siteId: number): Promise<string> {
  const { rows } = await sql<{ time_zone: string }>`select time_zone from sites where id = ${siteId}`.execute(
    tx,
  );
  return rows[0]?.time_zone ?? 'UTC';
}
