import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './maintenance.schema.ts';
import type { DowntimeFilter, DowntimeOutput } from './downtime.dto.ts';

/**
 * Machine and reason columns come from sub-selects, evaluated only for the rows of the page: a join
 * would make the planner scan machines once per stop (row-level security hides its row counts).
 */
function selectDowntimes(tx: Tx) {
  return tx.selectFrom('downtimes as d').select([
    'd.id',
    'd.site_id',
    'd.machine_id',
    sql<string>`(select m.code from machines m where m.id = d.machine_id)`.as('machine_code'),
    sql<number>`(select m.line_id from machines m where m.id = d.machine_id)`.as('line_id'),
    'd.start_at as start_datetime',
    'd.end_at as end_datetime',
    // Exact, and counting up to now while the machine is still down.
    sql<number>`extract(epoch from coalesce(d.end_at, now()) - d.start_at)::float8`.as('duration_seconds'),
    'd.planned',
    'd.reason_id',
    sql<string | null>`(select r.code from downtime_reasons r where r.id = d.reason_id)`.as('reason_code'),
    sql<string | null>`(select r.name from downtime_reasons r where r.id = d.reason_id)`.as('reason_name'),
    'd.comment',
    'd.source',
    'd.reported_by',
    sql<
      number[]
    >`coalesce((select array_agg(rp.id order by rp.id) from repairs rp where rp.downtime_id = d.id), '{}')`.as(
      'repair_ids',
    ),
    'd.created_at',
    'd.updated_at',
  ]);
}

export function findDowntime(tx: Tx, id: number): Promise<DowntimeOutput | undefined> {
  return selectDowntimes(tx).where('d.id', '=', id).executeTakeFirst();
}

export function listDowntimes(tx: Tx, filter: DowntimeFilter): Promise<DowntimeOutput[]> {
  const take = filter.limit + 1;
  let query = selectDowntimes(tx).orderBy('d.start_at', 'desc').orderBy('d.id', 'desc').limit(take);
  if (filter.site_id) query = query.where('d.site_id', '=', filter.site_id);
  if (filter.machine_id) query = query.where('d.machine_id', '=', filter.machine_id);
  else if (filter.line_id) {
    // A line's stops are read machine by machine (a page at most from each, through the
    // (machine_id, start_at, id) index), so a long history is never sorted whole.
    const lineId = filter.line_id;
    const cursor = filter.cursor;
    query = query.where('d.id', 'in', (eb) =>
      eb
        .selectFrom('machines as lm')
        .innerJoinLateral(
          (lateral) => {
            let page = lateral
              .selectFrom('downtimes as ld')
              .select(['ld.id', 'ld.start_at'])
              .whereRef('ld.machine_id', '=', 'lm.id')
              .orderBy('ld.start_at', 'desc')
              .orderBy('ld.id', 'desc')
              .limit(take);
            if (cursor)
              page = page.where(sql<boolean>`(ld.start_at, ld.id) < (${cursor.start_at}, ${cursor.id})`);
            if (filter.to) page = page.where('ld.start_at', '<', filter.to);
            if (filter.open !== undefined)
              page = page.where('ld.end_at', filter.open ? 'is' : 'is not', null);
            if (filter.planned !== undefined) page = page.where('ld.planned', '=', filter.planned);
            if (filter.reason_id) page = page.where('ld.reason_id', '=', filter.reason_id);
            if (filter.unexplained) page = page.where('ld.reason_id', 'is', null);
            if (filter.from) page = page.where(sql`coalesce(ld.end_at, now())`, '>', filter.from);
            return page.as('lp');
          },
          (join) => join.onTrue(),
        )
        .select('lp.id')
        .where('lm.line_id', '=', lineId),
    );
  }
  if (filter.open !== undefined) query = query.where('d.end_at', filter.open ? 'is' : 'is not', null);
  if (filter.planned !== undefined) query = query.where('d.planned', '=', filter.planned);
  if (filter.reason_id) query = query.where('d.reason_id', '=', filter.reason_id);
  if (filter.unexplained) query = query.where('d.reason_id', 'is', null);
  // A stop belongs to a period when it overlaps it.
  if (filter.to) query = query.where('d.start_at', '<', filter.to);
  if (filter.from) query = query.where(sql`coalesce(d.end_at, now())`, '>', filter.from);
  if (filter.cursor) {
    query = query.where(sql<boolean>`(d.start_at, d.id) < (${filter.cursor.start_at}, ${filter.cursor.id})`);
  }
  return query.execute();
}

export async function openDowntimeOf(tx: Tx, machineId: number, exceptId?: number) {
  let query = tx
    .selectFrom('downtimes')
    .select(['id', 'start_at'])
    .where('machine_id', '=', machineId)
    .where('end_at', 'is', null);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

/** Another stop of the machine that shares time with [start, end ?? open-ended). */
export async function overlappingDowntime(
  tx: Tx,
  machineId: number,
  start: Date,
  end: Date | null,
  exceptId?: number,
) {
  let query = tx
    .selectFrom('downtimes')
    .select(['id', 'start_at', 'end_at'])
    .where('machine_id', '=', machineId)
    .where(sql`tstzrange(start_at, end_at, '[)')`, '&&', sql`tstzrange(${start}, ${end}, '[)')`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

export async function insertDowntime(
  tx: Tx,
  row: {
    site_id: number;
    machine_id: number;
    start_at: Date;
    end_at: Date | null;
    planned: boolean;
    reason_id: number | null;
    comment: string | null;
    reported_by: number | null;
    source?: string;
    cause?: string | null;
    split_from_id?: number | null;
  },
): Promise<number> {
  return (await tx.insertInto('downtimes').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateDowntimeRow(
  tx: Tx,
  id: number,
  changes: {
    start_at?: Date;
    end_at?: Date | null;
    planned?: boolean;
    reason_id?: number | null;
    comment?: string | null;
  },
): Promise<void> {
  if (Object.keys(changes).length > 0)
    await tx.updateTable('downtimes').set(changes).where('id', '=', id).execute();
}

export async function lockDowntime(tx: Tx, id: number) {
  return tx.selectFrom('downtimes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
