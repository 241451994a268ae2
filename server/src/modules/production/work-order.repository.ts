import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './production.schema.ts';
import type {
  StageOutput,
  UpdateStageInput,
  UpdateWorkOrderInput,
  WorkOrderFilter,
  WorkOrderOutput,
} from './production.dto.ts';

function selectWorkOrders(tx: Tx) {
  return tx.selectFrom('work_orders as wo').select([
    'wo.id',
    'wo.site_id',
    'wo.line_id',
    sql<string | null>`(select l.code from lines l where l.id = wo.line_id)`.as('line_code'),
    'wo.product_code',
    'wo.lot_no',
    'wo.qty',
    'wo.planned_start',
    'wo.planned_end',
    'wo.actual_start',
    'wo.actual_end',
    sql<WorkOrderOutput['status']>`wo.status`.as('status'),
    sql<number>`(select count(*)::int from work_order_stages s where s.work_order_id = wo.id)`.as(
      'stage_count',
    ),
    sql<number>`(select count(*)::int from work_order_stages s where s.work_order_id = wo.id and s.status = 'done')`.as(
      'stages_done',
    ),
    sql<number>`(select count(*)::int from production_issues i join work_order_stages s on s.id = i.work_order_stage_id
      where s.work_order_id = wo.id and i.status <> 'resolved')`.as('open_issues'),
    'wo.notes',
    'wo.created_by',
    'wo.created_at',
    'wo.updated_at',
  ]);
}

export function findWorkOrder(tx: Tx, id: number): Promise<WorkOrderOutput | undefined> {
  return selectWorkOrders(tx).where('wo.id', '=', id).executeTakeFirst();
}

export function lockWorkOrder(tx: Tx, id: number) {
  return tx.selectFrom('work_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listWorkOrders(tx: Tx, filter: WorkOrderFilter): Promise<WorkOrderOutput[]> {
  let query = selectWorkOrders(tx)
    .orderBy('wo.planned_start', 'desc')
    .orderBy('wo.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.site_id) query = query.where('wo.site_id', '=', filter.site_id);
  if (filter.line_id) query = query.where('wo.line_id', '=', filter.line_id);
  if (filter.product_code)
    query = query.where(sql`lower(wo.product_code)`, '=', filter.product_code.toLowerCase());
  if (filter.status) query = query.where('wo.status', '=', filter.status);
  if (filter.from) query = query.where('wo.planned_end', '>', filter.from);
  if (filter.to) query = query.where('wo.planned_start', '<', filter.to);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('wo.product_code', 'ilike', like), eb('wo.lot_no', 'ilike', like)]),
    );
  }
  if (filter.cursor) {
    query = query.where(
      sql<boolean>`(wo.planned_start, wo.id) < (${filter.cursor.planned_start}, ${filter.cursor.id})`,
    );
  }
  return query.execute();
}

export async function lotExists(
  tx: Tx,
  siteId: number,
  productCode: string,
  lotNo: string,
  exceptId?: number,
): Promise<number | undefined> {
  let query = tx
    .selectFrom('work_orders')
    .select('id')
    .where('site_id', '=', siteId)
    .where(sql`lower(product_code)`, '=', productCode.toLowerCase())
    .where(sql`lower(lot_no)`, '=', lotNo.toLowerCase());
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst())?.id;
}

export async function insertWorkOrder(
  tx: Tx,
  row: {
    site_id: number;
    line_id: number | null;
    product_code: string;
    lot_no: string;
    qty: number;
    planned_start: Date;
    planned_end: Date;
    notes: string | null;
    created_by: number | null;
  },
): Promise<number> {
  const inserted = await tx.insertInto('work_orders').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateWorkOrderRow(tx: Tx, id: number, changes: UpdateWorkOrderInput): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await tx.updateTable('work_orders').set(changes).where('id', '=', id).execute();
}

export async function deleteWorkOrderRow(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('work_orders').where('id', '=', id).execute();
}

/** Brings the order's status and actual window in step with its stages. */
export async function syncWorkOrder(tx: Tx, id: number): Promise<void> {
  await sql`
    update work_orders wo set
      status = agg.status,
      actual_start = agg.first_start,
      actual_end = case when agg.status = 'done' then agg.last_end end
    from (
      select
        case
          when count(*) > 0 and bool_and(s.status = 'done') then 'done'
          when bool_or(s.status <> 'planned') then 'in_progress'
          else 'planned'
        end as status,
        min(s.actual_start) as first_start,
        max(s.actual_end) as last_end
      from work_order_stages s where s.work_order_id = ${id}
    ) agg
    where wo.id = ${id}`.execute(tx);
}

// ---------- stages ----------

function selectStages(tx: Tx) {
  return tx
    .selectFrom('work_order_stages as s')
    .innerJoin('work_orders as wo', 'wo.id', 's.work_order_id')
    .select([
      's.id',
      's.work_order_id',
      's.site_id',
      's.position',
      's.stage_name',
      's.machine_id',
      sql<string | null>`(select m.code from machines m where m.id = s.machine_id)`.as('machine_code'),
      's.planned_start',
      's.planned_end',
      's.actual_start',
      's.actual_end',
      sql<StageOutput['status']>`s.status`.as('status'),
      's.started_by',
      's.finished_by',
      sql<StageOutput['assignees']>`coalesce((
        select json_agg(json_build_object('user_id', u.id, 'username', u.username, 'full_name', u.full_name) order by u.username)
        from stage_assignments a join users u on u.id = a.user_id
        where a.work_order_stage_id = s.id), '[]'::json)`.as('assignees'),
      sql<number>`(select count(*)::int from production_issues i where i.work_order_stage_id = s.id and i.status <> 'resolved')`.as(
        'open_issues',
      ),
      'wo.product_code',
      'wo.lot_no',
      'wo.qty',
    ]);
}

export function findStage(tx: Tx, id: number): Promise<StageOutput | undefined> {
  return selectStages(tx).where('s.id', '=', id).executeTakeFirst();
}

export function lockStage(tx: Tx, id: number) {
  return tx.selectFrom('work_order_stages').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The stages of one order in route order; `onlyUserId` keeps those assigned to that person. */
export function stagesOfWorkOrder(tx: Tx, workOrderId: number, onlyUserId?: number): Promise<StageOutput[]> {
  let query = selectStages(tx).where('s.work_order_id', '=', workOrderId).orderBy('s.position');
  if (onlyUserId !== undefined) query = query.where(assignedTo(onlyUserId));
  return query.execute();
}

function assignedTo(userId: number) {
  return sql<boolean>`exists (select 1 from stage_assignments a where a.work_order_stage_id = s.id and a.user_id = ${userId})`;
}

/**
 * A person's stages for one day: planned to overlap the day, or started or finished in it, or still
 * running, or planned earlier and not done yet (overdue work stays on the list).
 */
export function stagesOfUser(tx: Tx, userId: number, dayStart: Date, dayEnd: Date): Promise<StageOutput[]> {
  return selectStages(tx)
    .where(assignedTo(userId))
    .where((eb) =>
      eb.or([
        eb('s.status', '=', 'in_progress'),
        eb.and([eb('s.planned_start', '<', dayEnd), eb('s.planned_end', '>', dayStart)]),
        eb.and([eb('s.status', '=', 'planned'), eb('s.planned_end', '<', dayEnd)]),
        eb.and([eb('s.status', '=', 'planned'), eb('s.planned_start', 'is', null)]),
        eb.and([eb('s.actual_end', '>=', dayStart), eb('s.actual_end', '<', dayEnd)]),
      ]),
    )
    .orderBy(sql`s.status = 'done'`)
    .orderBy('s.planned_start')
    .orderBy('s.id')
    .limit(200)
    .execute();
}

export async function insertStages(
  tx: Tx,
  workOrder: { id: number; site_id: number },
  stages: readonly {
    stage_name: string;
    planned_start: Date | null;
    planned_end: Date | null;
    machine_id: number | null;
  }[],
): Promise<void> {
  await tx
    .insertInto('work_order_stages')
    .values(
      stages.map((stage, index) => ({
        site_id: workOrder.site_id,
        work_order_id: workOrder.id,
        position: index + 1,
        ...stage,
      })),
    )
    .execute();
}

export async function updateStageRow(
  tx: Tx,
  id: number,
  changes: UpdateStageInput & {
    status?: string;
    actual_start?: Date;
    actual_end?: Date;
    started_by?: number | null;
    finished_by?: number | null;
  },
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await tx.updateTable('work_order_stages').set(changes).where('id', '=', id).execute();
}

/**
 * Maps the planned windows of an order's stages from its old window onto its new one, linearly: a stage
 * that took the first quarter of the old window takes the first quarter of the new one.
 */
export async function rescaleStageWindows(
  tx: Tx,
  workOrderId: number,
  from: { start: Date; end: Date },
  to: { start: Date; end: Date },
): Promise<void> {
  const ratio = (to.end.getTime() - to.start.getTime()) / (from.end.getTime() - from.start.getTime());
  await sql`update work_order_stages set
      planned_start = ${to.start}::timestamptz + (planned_start - ${from.start}::timestamptz) * ${ratio}::float8,
      planned_end = ${to.start}::timestamptz + (planned_end - ${from.start}::timestamptz) * ${ratio}::float8
    where work_order_id = ${workOrderId}`.execute(tx);
}

export async function issueCountOfWorkOrder(tx: Tx, workOrderId: number): Promise<number> {
  const row = await tx
    .selectFrom('production_issues as i')
    .innerJoin('work_order_stages as s', 's.id', 'i.work_order_stage_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('s.work_order_id', '=', workOrderId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function startedStageCount(tx: Tx, workOrderId: number): Promise<number> {
  const row = await tx
    .selectFrom('work_order_stages')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('work_order_id', '=', workOrderId)
    .where('status', '<>', 'planned')
    .executeTakeFirstOrThrow();
  return row.n;
}

// ---------- assignments ----------

export async function isAssigned(tx: Tx, stageId: number, userId: number): Promise<boolean> {
  const row = await tx
    .selectFrom('stage_assignments')
    .select('user_id')
    .where('work_order_stage_id', '=', stageId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertAssignment(
  tx: Tx,
  row: { work_order_stage_id: number; user_id: number; site_id: number; assigned_by: number | null },
): Promise<boolean> {
  const inserted = await tx
    .insertInto('stage_assignments')
    .values(row)
    .onConflict((oc) => oc.columns(['work_order_stage_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function deleteAssignment(tx: Tx, stageId: number, userId: number): Promise<boolean> {
  const result = await tx
    .deleteFrom('stage_assignments')
    .where('work_order_stage_id', '=', stageId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------- sites ----------

export async function siteTimeZone(tx: Tx, siteId: number): Promise<string | undefined> {
  const row = await tx.selectFrom('sites').select('time_zone').where('id', '=', siteId).executeTakeFirst();
  return row?.time_zone;
}

export async function lineOnSite(
  tx: Tx,
  lineId: number,
): Promise<{ id: number; site_id: number } | undefined> {
  return tx.selectFrom('lines').select(['id', 'site_id']).where('id', '=', lineId).executeTakeFirst();
}

export async function machineOf(
  tx: Tx,
  machineId: number,
): Promise<{ id: number; site_id: number; line_id: number } | undefined> {
  return tx
    .selectFrom('machines')
    .select(['id', 'site_id', 'line_id'])
    .where('id', '=', machineId)
    .executeTakeFirst();
}

/** The one active machine of a line, when it has exactly one. */
export async function onlyMachineOfLine(tx: Tx, lineId: number): Promise<number | undefined> {
  const rows = await tx
    .selectFrom('machines')
    .select('id')
    .where('line_id', '=', lineId)
    .where('is_active', '=', true)
    .limit(2)
    .execute();
  return rows.length === 1 ? rows[0]?.id : undefined;
}

/** A person who could be assigned to a stage of the site: their role and whether they belong to it. */
export function personOnSite(
  tx: Tx,
  userId: number,
  siteId: number,
): Promise<{ id: number; username: string; role: string; is_active: boolean; member: boolean } | undefined> {
  return tx
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.username',
      'u.role',
      'u.is_active',
      sql<boolean>`u.role = 'admin' or exists (select 1 from user_sites us where us.user_id = u.id and us.site_id = ${siteId})`.as(
        'member',
      ),
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

export interface FinishedItem {
  planned_start: Date | null;
  planned_end: Date | null;
  actual_start: Date | null;
  actual_end: Date | null;
}

/** Work orders or stages finished in [from, to), for on-time and efficiency figures. */
export function finishedItems(
  tx: Tx,
  filter: {
    level: 'work_order' | 'stage';
    from: Date;
    to: Date;
    site_id?: number;
    line_id?: number;
    product_code?: string;
  },
): Promise<FinishedItem[]> {
  let query = tx
    .selectFrom('work_orders as wo')
    .where(
      'wo.status',
      filter.level === 'work_order' ? '=' : 'in',
      filter.level === 'work_order' ? 'done' : ['in_progress', 'done'],
    )
    .limit(200_000);
  if (filter.site_id) query = query.where('wo.site_id', '=', filter.site_id);
  if (filter.line_id) query = query.where('wo.line_id', '=', filter.line_id);
  if (filter.product_code)
    query = query.where(sql`lower(wo.product_code)`, '=', filter.product_code.toLowerCase());
  if (filter.level === 'work_order') {
    return query
      .where('wo.actual_end', '>=', filter.from)
      .where('wo.actual_end', '<', filter.to)
      .select(['wo.planned_start', 'wo.planned_end', 'wo.actual_start', 'wo.actual_end'])
      .execute();
  }
  return query
    .innerJoin('work_order_stages as s', 's.work_order_id', 'wo.id')
    .where('s.status', '=', 'done')
    .where('s.actual_end', '>=', filter.from)
    .where('s.actual_end', '<', filter.to)
    .select(['s.planned_start', 's.planned_end', 's.actual_start', 's.actual_end'])
    .execute();
}
