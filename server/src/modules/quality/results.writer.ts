import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './quality.schema.ts';
import type { ResultRow, Verdict } from './ingest.dto.ts';

/** A stored result as the pipeline hands it on (to the live feed and the alert checks). */
export interface StoredResult {
  id: number;
  site_id: number;
  machine_id: number;
  machine_code: string;
  barcode: string;
  product_id: string;
  test_step: string;
  measured_value: number;
  unit: string | null;
  timestamp: Date;
  received_at: Date;
  verdict: Verdict;
  lower_limit: number | null;
  upper_limit: number | null;
}

/** Month partitions this process knows exist (the function is idempotent; this saves the round trip). */
const knownMonths = new Set<string>();

async function ensurePartitions(tx: Tx, rows: readonly ResultRow[]): Promise<void> {
  const missing = new Map<string, string>();
  for (const row of rows) {
    const month = row.measured_at.slice(0, 7);
    if (!knownMonths.has(month) && !missing.has(month)) missing.set(month, row.measured_at);
  }
  for (const [month, at] of missing) {
    // measured_at is UTC ISO 8601 (ingest normalises it), so its first 7 characters are the partition's month.
    await sql`select hom_ensure_test_results_partition(${at}::timestamptz)`.execute(tx);
    knownMonths.add(month);
  }
}

/**
 * Judges and stores a batch in one statement: each result against the limits of its product and step
 * in force when it was measured (the latest version with effective_from ≤ measured_at), PASS / FAIL /
 * NO_LIMIT. A result already stored (same machine, step, barcode and instant) is skipped, so a
 * redelivered batch writes nothing twice. Answers the rows actually written.
 */
export async function insertResults(tx: Tx, rows: readonly ResultRow[]): Promise<StoredResult[]> {
  if (rows.length === 0) return [];
  await ensurePartitions(tx, rows);
  const codes = new Map(rows.map((row) => [row.machine_id, row.machine_code]));
  const column = <K extends keyof ResultRow>(key: K) => rows.map((row) => row[key]);
  const result = await sql<Omit<StoredResult, 'machine_code'>>`
    insert into test_results (site_id, machine_id, barcode, product_code, test_step, measured_value, unit,
      measured_at, verdict, limit_id, lower_limit, upper_limit)
    select u.site_id, u.machine_id, u.barcode, u.product_code, u.test_step, u.value, u.unit, u.measured_at,
      case
        when l.id is null then 'NO_LIMIT'
        when (l.lower_limit is null or u.value >= l.lower_limit) and (l.upper_limit is null or u.value <= l.upper_limit)
          then 'PASS'
        else 'FAIL'
      end,
      l.id, l.lower_limit, l.upper_limit
    from unnest(${column('site_id')}::bigint[], ${column('machine_id')}::bigint[], ${column('barcode')}::text[],
      ${column('product_code')}::text[], ${column('test_step')}::text[], ${column('measured_value')}::float8[],
      ${column('unit')}::text[], ${column('measured_at')}::timestamptz[])
      as u (site_id, machine_id, barcode, product_code, test_step, value, unit, measured_at)
    left join lateral (
      select s.id, s.lower_limit, s.upper_limit from spec_limits s
      where s.site_id = u.site_id and s.product_code = u.product_code and s.test_step = u.test_step
        and s.effective_from <= u.measured_at
      order by s.effective_from desc
      limit 1
    ) l on true
    on conflict (machine_id, test_step, barcode, measured_at) do nothing
    returning id::float8 as id, site_id::float8 as site_id, machine_id::float8 as machine_id, barcode,
      product_code as product_id, test_step, measured_value, unit, measured_at as timestamp, received_at,
      verdict, lower_limit, upper_limit`.execute(tx);
  return result.rows.map((row) => ({ ...row, machine_code: codes.get(row.machine_id) ?? '' }));
}
