import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './production.schema.ts';
import type { IssueFilter, IssueOutput, IssueTypeOutput } from './production.dto.ts';

function selectIssues(tx: Tx) {
  return tx
    .selectFrom('production_issues as i')
    .innerJoin('work_order_stages as s', 's.id', 'i.work_order_stage_id')
    .innerJoin('work_orders as wo', 'wo.id', 's.work_order_id')
    .select([
      'i.id',
      'i.site_id',
      'i.work_order_stage_id',
      's.work_order_id',
      's.stage_name',
      'wo.product_code',
      'wo.lot_no',
      'i.type',
      'i.description',
      sql<IssueOutput['status']>`i.status`.as('status'),
      'i.machine_id',
      'i.downtime_id',
      'i.created_by',
      sql<
        string | null
      >`(select coalesce(u.full_name, u.username) from users u where u.id = i.created_by)`.as(
        'created_by_name',
      ),
      'i.created_at',
      'i.acknowledged_by',
      'i.acknowledged_at',
      'i.resolved_by',
      'i.resolved_at',
      'i.resolution_note',
    ]);
}

export function findIssue(tx: Tx, id: number): Promise<IssueOutput | undefined> {
  return selectIssues(tx).where('i.id', '=', id).executeTakeFirst();
}

export function lockIssue(tx: Tx, id: number) {
  return tx.selectFrom('production_issues').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listIssues(tx: Tx, filter: IssueFilter): Promise<IssueOutput[]> {
  let query = selectIssues(tx)
    .orderBy('i.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.site_id) query = query.where('i.site_id', '=', filter.site_id);
  if (filter.status) query = query.where('i.status', '=', filter.status);
  if (filter.type) query = query.where('i.type', '=', filter.type);
  if (filter.work_order_stage_id)
    query = query.where('i.work_order_stage_id', '=', filter.work_order_stage_id);
  if (filter.work_order_id) query = query.where('s.work_order_id', '=', filter.work_order_id);
  if (filter.cursor) query = query.where('i.id', '<', filter.cursor.id);
  return query.execute();
}

export async function insertIssue(
  tx: Tx,
  row: {
    site_id: number;
    work_order_stage_id: number;
    type: string;
    description: string;
    machine_id: number | null;
    downtime_id: number | null;
    created_by: number | null;
  },
): Promise<number> {
  const inserted = await tx
    .insertInto('production_issues')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateIssueRow(
  tx: Tx,
  id: number,
  changes: {
    status: string;
    acknowledged_by?: number | null;
    acknowledged_at?: Date;
    resolved_by?: number | null;
    resolved_at?: Date;
    resolution_note?: string | null;
  },
): Promise<void> {
  await tx.updateTable('production_issues').set(changes).where('id', '=', id).execute();
}

// ---------- issue types ----------

export function listIssueTypes(tx: Tx, includeInactive: boolean): Promise<IssueTypeOutput[]> {
  let query = tx
    .selectFrom('issue_types')
    .select(['code', 'name', 'name_ru', 'is_active', 'sort_order'])
    .orderBy('sort_order')
    .orderBy('code');
  if (!includeInactive) query = query.where('is_active', '=', true);
  return query.execute();
}

export function findIssueType(tx: Tx, code: string): Promise<IssueTypeOutput | undefined> {
  return tx
    .selectFrom('issue_types')
    .select(['code', 'name', 'name_ru', 'is_active', 'sort_order'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function insertIssueType(tx: Tx, row: IssueTypeOutput): Promise<void> {
  await tx.insertInto('issue_types').values(row).execute();
}

export async function updateIssueTypeRow(
  tx: Tx,
  code: string,
  changes: Partial<Omit<IssueTypeOutput, 'code'>>,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await tx.updateTable('issue_types').set(changes).where('code', '=', code).execute();
}
