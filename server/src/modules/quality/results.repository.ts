import { sql, type SelectQueryBuilder } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import type {} from './quality.schema.ts';
import type { ResultOutput } from './ingest.dto.ts';
import type { QualityCounts, QualityMetricsInput, ResultFilter } from './results.dto.ts';

function selectResults(tx: Tx) {
  return tx
    .selectFrom('test_results as r')
    .select([
      'r.id',
      'r.site_id',
      'r.machine_id',
      sql<string>`(select m.code from machines m where m.id = r.machine_id)`.as('machine_code'),
      'r.barcode',
      'r.product_code as product_id',
      'r.test_step',
      'r.measured_value',
      'r.unit',
      'r.measured_at as timestamp',
      'r.received_at',
      sql<ResultOutput['verdict']>`r.verdict`.as('verdict'),
      'r.lower_limit',
      'r.upper_limit',
    ]);
}

/** Machine ids whose code matches, in the transaction's sites. */
export async function machineIdsByCode(tx: Tx, code: string): Promise<number[]> {
  const rows = await tx
    .selectFrom('machines')
    .select('id')
    .where(sql`lower(code)`, '=', code.toLowerCase())
    .execute();
  return rows.map((row) => row.id);
}

type Filterable = SelectQueryBuilder<Tables & { r: Tables['test_results'] }, 'r', object>;

function applyFilter<Q extends Filterable>(
  query: Q,
  filter: Omit<ResultFilter, 'cursor' | 'limit' | 'machine_id'> & { machine_ids?: number[] },
): Q {
  let q = query as Filterable;
  if (filter.site_id) q = q.where('r.site_id', '=', filter.site_id);
  if (filter.machine_ids)
    q = q.where('r.machine_id', 'in', filter.machine_ids.length > 0 ? filter.machine_ids : [0]);
  if (filter.product_id) q = q.where('r.product_code', '=', filter.product_id);
  if (filter.test_step) q = q.where('r.test_step', '=', filter.test_step);
  if (filter.verdict) q = q.where('r.verdict', '=', filter.verdict);
  if (filter.barcode) q = q.where('r.barcode', '=', filter.barcode);
  if (filter.from) q = q.where('r.measured_at', '>=', filter.from);
  if (filter.to) q = q.where('r.measured_at', '<', filter.to);
  return q as Q;
}

export function listResults(
  tx: Tx,
  filter: ResultFilter & { machine_ids?: number[] },
): Promise<ResultOutput[]> {
  let query = applyFilter(selectResults(tx), filter)
    .orderBy('r.measured_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.cursor) {
    query = query.where(
      sql<boolean>`(r.measured_at, r.id) < (${filter.cursor.measured_at}, ${filter.cursor.id})`,
    );
  }
  return query.execute();
}

export function latestResult(tx: Tx, machineId: number): Promise<ResultOutput | undefined> {
  return selectResults(tx)
    .where('r.machine_id', '=', machineId)
    .orderBy('r.measured_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function resultsOfUnit(tx: Tx, barcode: string): Promise<ResultOutput[]> {
  return selectResults(tx)
    .where('r.barcode', '=', barcode)
    .orderBy('r.measured_at')
    .orderBy('r.id')
    .limit(10_000)
    .execute();
}

const countColumns = [
  sql<number>`count(*)::int`.as('total_tests'),
  sql<number>`(count(*) filter (where r.verdict = 'PASS'))::int`.as('pass_count'),
  sql<number>`(count(*) filter (where r.verdict = 'FAIL'))::int`.as('fail_count'),
  sql<number>`(count(*) filter (where r.verdict = 'NO_LIMIT'))::int`.as('no_limit_count'),
  sql<
    number | null
  >`(count(*) filter (where r.verdict = 'PASS'))::float8 / nullif(count(*) filter (where r.verdict <> 'NO_LIMIT'), 0)`.as(
    'pass_rate',
  ),
] as const;

export async function countResults(
  tx: Tx,
  filter: QualityMetricsInput & { machine_ids?: number[]; from: Date; to: Date },
): Promise<QualityCounts> {
  const query = applyFilter(tx.selectFrom('test_results as r'), filter).select(countColumns);
  return (await query.executeTakeFirstOrThrow()) as QualityCounts;
}

export async function countResultsByBucket(
  tx: Tx,
  filter: QualityMetricsInput & { machine_ids?: number[]; from: Date; to: Date },
  bucket: 'hour' | 'day',
  zone: string,
): Promise<(QualityCounts & { bucket_start: Date })[]> {
  const start = sql<Date>`date_trunc(${bucket}, r.measured_at, ${zone})`;
  const query = applyFilter(tx.selectFrom('test_results as r'), filter)
    .select([start.as('bucket_start'), ...countColumns])
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  return (await query.execute()) as (QualityCounts & { bucket_start: Date })[];
}
