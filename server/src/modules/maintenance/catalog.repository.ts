import type { Tx } from '../../platform/db/database.ts';
import type {} from './maintenance.schema.ts';

export interface ReasonRow {
  id: number;
  code: string;
  name: string;
  name_ru: string | null;
  is_active: boolean;
  category_id: number;
  category_code: string;
  category_name: string;
  category_name_ru: string | null;
  is_failure: boolean;
}

/** A reason with its category, the shape every reason read answers. */
function selectReasons(tx: Tx) {
  return tx
    .selectFrom('downtime_reasons as r')
    .innerJoin('downtime_categories as c', 'c.id', 'r.category_id')
    .select([
      'r.id',
      'r.code',
      'r.name',
      'r.name_ru',
      'r.is_active',
      'r.category_id',
      'c.code as category_code',
      'c.name as category_name',
      'c.name_ru as category_name_ru',
      'c.is_failure',
    ]);
}

export function listReasons(tx: Tx, includeInactive: boolean): Promise<ReasonRow[]> {
  let query = selectReasons(tx).orderBy('c.sort_order').orderBy('r.sort_order').orderBy('r.code');
  if (!includeInactive) query = query.where('r.is_active', '=', true).where('c.is_active', '=', true);
  return query.execute();
}

export function findReason(tx: Tx, id: number): Promise<ReasonRow | undefined> {
  return selectReasons(tx).where('r.id', '=', id).executeTakeFirst();
}

export function listCategories(tx: Tx) {
  return tx.selectFrom('downtime_categories').selectAll().orderBy('sort_order').execute();
}

export function listFailureCodes(tx: Tx, includeInactive: boolean) {
  let query = tx.selectFrom('failure_codes').selectAll().orderBy('code');
  if (!includeInactive) query = query.where('is_active', '=', true);
  return query.execute();
}

export function findFailureCode(tx: Tx, id: number) {
  return tx.selectFrom('failure_codes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertReason(
  tx: Tx,
  input: { category_id: number; code: string; name: string; name_ru?: string | null | undefined },
): Promise<number> {
  const row = await tx
    .insertInto('downtime_reasons')
    .values({
      category_id: input.category_id,
      code: input.code,
      name: input.name,
      name_ru: input.name_ru ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateReasonRow(
  tx: Tx,
  id: number,
  changes: { category_id?: number; name?: string; name_ru?: string | null; is_active?: boolean },
): Promise<void> {
  if (Object.keys(changes).length > 0)
    await tx.updateTable('downtime_reasons').set(changes).where('id', '=', id).execute();
}

export function insertFailureCode(
  tx: Tx,
  input: { code: string; name: string; description?: string | null | undefined; default_severity: string },
) {
  return tx
    .insertInto('failure_codes')
    .values({
      code: input.code,
      name: input.name,
      description: input.description ?? null,
      default_severity: input.default_severity,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateFailureCodeRow(
  tx: Tx,
  id: number,
  changes: { name?: string; description?: string | null; default_severity?: string; is_active?: boolean },
) {
  if (Object.keys(changes).length === 0) return findFailureCode(tx, id);
  return tx.updateTable('failure_codes').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}
