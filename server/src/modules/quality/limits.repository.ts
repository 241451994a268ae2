import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './quality.schema.ts';
import type {} from '../identity/identity.schema.ts';
import type { LimitOutput } from './limits.dto.ts';

/** Rows per multi-row INSERT: 500 versions × 9 values stays far below PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

export type LimitRow = Omit<LimitOutput, 'in_force'>;

export interface SiteRef {
  id: number;
  code: string;
  time_zone: string;
}

const columns = [
  's.id',
  's.site_id',
  's.product_code as product_id',
  's.test_step',
  's.lower_limit',
  's.upper_limit',
  's.target',
  's.unit',
  's.effective_from',
  's.created_by',
  's.created_at',
] as const;
/** The same columns for RETURNING (an INSERT names its table without an alias). */
const returned = [
  'id',
  'site_id',
  'product_code as product_id',
  'test_step',
  'lower_limit',
  'upper_limit',
  'target',
  'unit',
  'effective_from',
  'created_by',
  'created_at',
] as const;

export interface LimitFilter {
  site_id?: number | undefined;
  product_id?: string | undefined;
  test_step?: string | undefined;
  at: Date;
  history: boolean;
}

/**
 * Versions with `in_force`: the latest effective_from ≤ `at` of its site, product and step (the
 * filters keep or drop whole product × step groups, so the window sees every version of a group).
 * Without `history`, only the versions in force; with it, every version, newest first per group.
 */
export function listLimits(tx: Tx, filter: LimitFilter): Promise<LimitOutput[]> {
  let versions = tx.selectFrom('spec_limits as s').select([
    ...columns,
    sql<boolean>`coalesce(s.effective_from = max(s.effective_from) filter (where s.effective_from <= ${filter.at}::timestamptz)
        over (partition by s.site_id, s.product_code, s.test_step), false)`.as('in_force'),
  ]);
  if (filter.site_id) versions = versions.where('s.site_id', '=', filter.site_id);
  if (filter.product_id) versions = versions.where('s.product_code', '=', filter.product_id);
  if (filter.test_step) versions = versions.where('s.test_step', '=', filter.test_step);
  if (filter.history) {
    return versions
      .orderBy('s.product_code')
      .orderBy('s.test_step')
      .orderBy('s.site_id')
      .orderBy('s.effective_from', 'desc')
      .execute();
  }
  return tx
    .selectFrom(versions.where('s.effective_from', '<=', filter.at).as('v'))
    .selectAll()
    .where('v.in_force', '=', true)
    .orderBy('v.product_id')
    .orderBy('v.test_step')
    .orderBy('v.site_id')
    .execute();
}

export function findLimit(tx: Tx, id: number): Promise<LimitRow | undefined> {
  return tx.selectFrom('spec_limits as s').select(columns).where('s.id', '=', id).executeTakeFirst();
}

/** Every version of the sites, oldest first per product and step (the export's order). */
export function limitsOfSites(tx: Tx, siteIds: readonly number[]): Promise<LimitRow[]> {
  if (siteIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('spec_limits as s')
    .select(columns)
    .where('s.site_id', 'in', siteIds)
    .orderBy('s.site_id')
    .orderBy('s.product_code')
    .orderBy('s.test_step')
    .orderBy('s.effective_from')
    .execute();
}

export interface NewLimit {
  site_id: number;
  product_code: string;
  test_step: string;
  lower_limit: number | null;
  upper_limit: number | null;
  target: number | null;
  unit: string | null;
  effective_from: Date;
  created_by: number | null;
}

/** Undefined when a version of that product and step with the same effective_from exists. */
export function insertLimit(tx: Tx, limit: NewLimit): Promise<LimitRow | undefined> {
  return tx
    .insertInto('spec_limits')
    .values(limit)
    .onConflict((conflict) =>
      conflict.columns(['site_id', 'product_code', 'test_step', 'effective_from']).doNothing(),
    )
    .returning(returned)
    .executeTakeFirst();
}

export async function insertLimits(tx: Tx, limits: readonly NewLimit[]): Promise<LimitRow[]> {
  const created: LimitRow[] = [];
  for (let start = 0; start < limits.length; start += CHUNK) {
    const chunk = limits.slice(start, start + CHUNK);
    created.push(...(await tx.insertInto('spec_limits').values(chunk).returning(returned).execute()));
  }
  return created;
}

export async function deleteLimit(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('spec_limits').where('id', '=', id).execute();
}

/** Whether a stored result was judged by this version (possible for a future one: stations may run ahead). */
export async function judgedBy(tx: Tx, limit: LimitRow): Promise<boolean> {
  const row = await tx
    .selectFrom('test_results')
    .select('id')
    .where('product_code', '=', limit.product_id)
    .where('test_step', '=', limit.test_step)
    .where('measured_at', '>=', limit.effective_from)
    .where('limit_id', '=', limit.id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Row-level security applies: a site the transaction may not see is not found. */
export function findSite(tx: Tx, id: number): Promise<SiteRef | undefined> {
  return tx.selectFrom('sites').select(['id', 'code', 'time_zone']).where('id', '=', id).executeTakeFirst();
}

/** The sites the transaction may see. */
export function visibleSites(tx: Tx): Promise<SiteRef[]> {
  return tx.selectFrom('sites').select(['id', 'code', 'time_zone']).orderBy('code').execute();
}
