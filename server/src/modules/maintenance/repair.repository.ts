import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './maintenance.schema.ts';
import type { RepairFilter, RepairOutput } from './repair.dto.ts';

function selectRepairs(tx: Tx) {
  return (
    tx
      .selectFrom('repairs as r')
      // Sub-selects, not joins: evaluated for the page's rows only (see downtime.repository.ts).
      .select([
        'r.id',
        'r.site_id',
        'r.machine_id',
        sql<string>`(select m.code from machines m where m.id = r.machine_id)`.as('machine_code'),
        sql<number>`(select m.line_id from machines m where m.id = r.machine_id)`.as('line_id'),
        'r.repair_type',
        'r.status',
        'r.start_at as start_datetime',
        'r.end_at as end_datetime',
        sql<number | null>`extract(epoch from r.end_at - r.start_at)::float8`.as('duration_seconds'),
        'r.description',
        'r.failure_code_id',
        sql<string | null>`(select f.code from failure_codes f where f.id = r.failure_code_id)`.as(
          'failure_code',
        ),
        sql<string | null>`(select f.name from failure_codes f where f.id = r.failure_code_id)`.as(
          'failure_name',
        ),
        'r.actions_taken',
        sql<number | null>`r.cost::float8`.as('cost'),
        'r.downtime_id',
        sql<RepairOutput['technicians']>`coalesce((
        select json_agg(json_build_object('id', u.id, 'username', u.username, 'full_name', u.full_name) order by u.username)
        from repair_technicians rt join users u on u.id = rt.user_id where rt.repair_id = r.id), '[]')`.as(
          'technicians',
        ),
        sql<RepairOutput['parts']>`coalesce((
        select json_agg(json_build_object('id', p.id, 'part', p.part, 'quantity', p.quantity::float8) order by p.id)
        from repair_parts p where p.repair_id = r.id), '[]')`.as('parts'),
        'r.created_by',
        'r.updated_by',
        'r.created_at',
        'r.updated_at',
      ])
  );
}

export function findRepair(tx: Tx, id: number): Promise<RepairOutput | undefined> {
  return selectRepairs(tx).where('r.id', '=', id).executeTakeFirst();
}

export function listRepairs(tx: Tx, filter: RepairFilter): Promise<RepairOutput[]> {
  let query = selectRepairs(tx)
    .orderBy('r.start_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.site_id) query = query.where('r.site_id', '=', filter.site_id);
  if (filter.line_id) {
    const lineId = filter.line_id;
    query = query.where('r.machine_id', 'in', (eb) =>
      eb.selectFrom('machines as lm').select('lm.id').where('lm.line_id', '=', lineId),
    );
  }
  if (filter.machine_id) query = query.where('r.machine_id', '=', filter.machine_id);
  if (filter.status) query = query.where('r.status', '=', filter.status);
  if (filter.repair_type) query = query.where('r.repair_type', '=', filter.repair_type);
  if (filter.to) query = query.where('r.start_at', '<', filter.to);
  if (filter.from) query = query.where(sql`coalesce(r.end_at, now())`, '>=', filter.from);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Machines and failure codes that match become id lists first, so the whole test is on the
    // repair row and a site's newest-first index walk can stop after one page of matches.
    query = query.where((eb) =>
      eb.or([
        eb('r.description', 'ilike', pattern),
        eb('r.actions_taken', 'ilike', pattern),
        eb(
          'r.machine_id',
          'in',
          eb
            .selectFrom('machines as qm')
            .select('qm.id')
            .where((q) => q.or([q('qm.code', 'ilike', pattern), q('qm.name', 'ilike', pattern)])),
        ),
        eb(
          'r.failure_code_id',
          'in',
          eb
            .selectFrom('failure_codes as qf')
            .select('qf.id')
            .where((q) => q.or([q('qf.code', 'ilike', pattern), q('qf.name', 'ilike', pattern)])),
        ),
      ]),
    );
  }
  if (filter.cursor) {
    query = query.where(sql<boolean>`(r.start_at, r.id) < (${filter.cursor.start_at}, ${filter.cursor.id})`);
  }
  return query.execute();
}

export interface RepairRow {
  site_id: number;
  machine_id: number;
  repair_type: string;
  status: string;
  start_at: Date;
  end_at: Date | null;
  description: string;
  failure_code_id: number | null;
  actions_taken: string | null;
  cost: number | null;
  downtime_id: number | null;
}

export async function insertRepair(tx: Tx, row: RepairRow & { created_by: number | null }): Promise<number> {
  return (
    await tx
      .insertInto('repairs')
      .values({ ...row, updated_by: row.created_by })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export async function updateRepairRow(
  tx: Tx,
  id: number,
  changes: Partial<RepairRow> & { updated_by: number | null },
) {
  await tx.updateTable('repairs').set(changes).where('id', '=', id).execute();
}

export function lockRepair(tx: Tx, id: number) {
  return tx.selectFrom('repairs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function replaceTechnicians(
  tx: Tx,
  repairId: number,
  siteId: number,
  userIds: readonly number[],
) {
  await tx.deleteFrom('repair_technicians').where('repair_id', '=', repairId).execute();
  if (userIds.length > 0) {
    await tx
      .insertInto('repair_technicians')
      .values(userIds.map((userId) => ({ repair_id: repairId, user_id: userId, site_id: siteId })))
      .execute();
  }
}

export async function replaceParts(
  tx: Tx,
  repairId: number,
  siteId: number,
  parts: readonly { part: string; quantity: number }[],
) {
  await tx.deleteFrom('repair_parts').where('repair_id', '=', repairId).execute();
  if (parts.length > 0) {
    await tx
      .insertInto('repair_parts')
      .values(
        parts.map((p) => ({ repair_id: repairId, site_id: siteId, part: p.part, quantity: p.quantity })),
      )
      .execute();
  }
}
