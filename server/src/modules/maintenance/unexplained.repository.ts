import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './maintenance.schema.ts';
import type { UnexplainedFilter, UnexplainedOutput } from './unexplained.dto.ts';

/** Automatic stops without a reason, newest first (the partial indexes of migration 0019). */
export function listUnexplained(tx: Tx, filter: UnexplainedFilter): Promise<UnexplainedOutput[]> {
  let query = tx
    .selectFrom('downtimes as d')
    .select([
      'd.id',
      'd.site_id',
      'd.machine_id',
      sql<string>`(select m.code from machines m where m.id = d.machine_id)`.as('machine_code'),
      sql<string>`(select m.name from machines m where m.id = d.machine_id)`.as('machine_name'),
      sql<number>`(select m.line_id from machines m where m.id = d.machine_id)`.as('line_id'),
      'd.start_at as start_datetime',
      'd.end_at as end_datetime',
      sql<number>`extract(epoch from coalesce(d.end_at, now()) - d.start_at)::float8`.as('duration_seconds'),
      sql<boolean>`d.end_at is null`.as('open'),
      sql<UnexplainedOutput['cause']>`d.cause`.as('cause'),
      'd.planned',
      'd.comment',
      'd.split_from_id',
    ])
    .where('d.source', '=', 'automatic')
    .where('d.reason_id', 'is', null)
    .orderBy('d.start_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.site_id) query = query.where('d.site_id', '=', filter.site_id);
  if (filter.machine_id) query = query.where('d.machine_id', '=', filter.machine_id);
  if (filter.line_id) {
    const lineId = filter.line_id;
    query = query.where('d.machine_id', 'in', (eb) =>
      eb.selectFrom('machines as lm').select('lm.id').where('lm.line_id', '=', lineId),
    );
  }
  if (filter.cursor) {
    query = query.where(sql<boolean>`(d.start_at, d.id) < (${filter.cursor.start_at}, ${filter.cursor.id})`);
  }
  return query.execute();
}

export interface LatestDowntime {
  machine_id: number;
  id: number;
  start_at: Date;
  end_at: Date | null;
  source: string;
}

/** The latest stop of each machine (stops of one machine never overlap, so it also ends last). */
export async function latestDowntimes(tx: Tx, machineIds: readonly number[]): Promise<LatestDowntime[]> {
  if (machineIds.length === 0) return [];
  const result = await sql<LatestDowntime>`
    select m.id as machine_id, d.id, d.start_at, d.end_at, d.source
    from unnest(${[...machineIds]}::bigint[]) as m (id)
    join lateral (
      select id, start_at, end_at, source from downtimes
      where machine_id = m.id order by start_at desc, id desc limit 1
    ) d on true`.execute(tx);
  return result.rows;
}

/** Opens an automatic stop unless the machine already has an open one (of any source). */
export async function insertOpenAutomatic(
  tx: Tx,
  row: { site_id: number; machine_id: number; start_at: Date; cause: string },
): Promise<number | null> {
  const result = await sql<{ id: number }>`
    insert into downtimes (site_id, machine_id, start_at, source, cause)
    values (${row.site_id}, ${row.machine_id}, ${row.start_at}, 'automatic', ${row.cause})
    on conflict (machine_id) where end_at is null do nothing
    returning id`.execute(tx);
  return result.rows[0]?.id ?? null;
}

/**
 * Machines ran at these instants (several per machine allowed): each machine's open automatic stop ends
 * at the first of its instants after the stop began. Returns the stops ended, with that instant.
 */
export async function closeOpenAutomaticMany(
  tx: Tx,
  runs: readonly { machine_id: number; at: Date }[],
): Promise<{ id: number; machine_id: number; site_id: number; start_at: Date; end_at: Date }[]> {
  if (runs.length === 0) return [];
  const { rows } = await sql<{
    id: number;
    machine_id: number;
    site_id: number;
    start_at: Date;
    end_at: Date;
  }>`
    with r as (
      select * from unnest(${runs.map((r) => r.machine_id)}::bigint[], ${runs.map((r) => r.at)}::timestamptz[])
        as r(machine_id, at))
    update downtimes d
       set end_at = (select min(r.at) from r where r.machine_id = d.machine_id and r.at > d.start_at)
     where d.machine_id in (select machine_id from r) and d.end_at is null and d.source = 'automatic'
       and exists (select 1 from r where r.machine_id = d.machine_id and r.at > d.start_at)
    returning d.id, d.machine_id, d.site_id, d.start_at, d.end_at`.execute(tx);
  return rows;
}
