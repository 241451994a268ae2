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

/** From this many rows on, the limits are joined by validity interval instead of looked up row by row. */
const JOIN_LIMITS_FROM_ROWS = 1_000;

/**
 * Judges and stores a batch in one statement: each result against the limits of its product and step
 * in force when it was measured (the latest version with effective_from ≤ measured_at), PASS / FAIL /
 * NO_LIMIT. A result already stored (same machine, step, barcode and instant) is skipped, so a
 * redelivered batch writes nothing twice. Answers the rows actually written.
 *
 * Two forms of the same judgement: a small batch looks the version up row by row (a lateral
 * `limit 1`, the cheapest to plan); a large one reads the versions of its products and steps once,
 * each with the instant the next one takes over (`lead`), and joins every row to the one interval
 * holding its instant: less CPU per row at 10,000 rows, and no worse with many versions (docs/
 * performance.md, "Ingest"). Rows are inserted in the order given either way, so a duplicate within
 * the batch keeps its first occurrence.
 */
export async function insertResults(tx: Tx, rows: readonly ResultRow[]): Promise<StoredResult[]> {
  if (rows.length === 0) return [];
  await ensurePartitions(tx, rows);
  const codes = new Map(rows.map((row) => [row.machine_id, row.machine_code]));
  const column = <K extends keyof ResultRow>(key: K) => rows.map((row) => row[key]);
  const input = sql`unnest(${column('site_id')}::bigint[], ${column('machine_id')}::bigint[], ${column('barcode')}::text[],
      ${column('product_code')}::text[], ${column('test_step')}::text[], ${column('measured_value')}::float8[],
      ${column('unit')}::text[], ${column('measured_at')}::timestamptz[])`;
  const verdict = sql`case
        when l.id is null then 'NO_LIMIT'
        when (l.lower_limit is null or u.value >= l.lower_limit) and (l.upper_limit is null or u.value <= l.upper_limit)
          then 'PASS'
        else 'FAIL'
      end`;
  const into = sql`insert into test_results (site_id, machine_id, barcode, product_code, test_step, measured_value, unit,
      measured_at, verdict, limit_id, lower_limit, upper_limit)`;
  const values = sql`u.site_id, u.machine_id, u.barcode, u.product_code, u.test_step, u.value, u.unit, u.measured_at,
      ${verdict}, l.id, l.lower_limit, l.upper_limit`;
  const judged =
    rows.length < JOIN_LIMITS_FROM_ROWS
      ? sql`${into}
    select ${values}
    from ${input} as u (site_id, machine_id, barcode, product_code, test_step, value, unit, measured_at)
    left join lateral (
      select s.id, s.lower_limit, s.upper_limit from spec_limits s
      where s.site_id = u.site_id and s.product_code = u.product_code and s.test_step = u.test_step
        and s.effective_from <= u.measured_at
      order by s.effective_from desc
      limit 1
    ) l on true`
      : sql`with u as (
      select * from ${input} with ordinality
        as u (site_id, machine_id, barcode, product_code, test_step, value, unit, measured_at, ord)
    ), versions as (
      select s.id, s.site_id, s.product_code, s.test_step, s.lower_limit, s.upper_limit, s.effective_from,
        lead(s.effective_from) over (partition by s.site_id, s.product_code, s.test_step order by s.effective_from)
          as effective_until
      from spec_limits s
      where (s.site_id, s.product_code, s.test_step) in (select distinct site_id, product_code, test_step from u)
    )
    ${into}
    select ${values}
    from u left join versions l
      on l.site_id = u.site_id and l.product_code = u.product_code and l.test_step = u.test_step
        and l.effective_from <= u.measured_at and (l.effective_until is null or u.measured_at < l.effective_until)
    order by u.ord`;
  const result = await sql<Omit<StoredResult, 'machine_code'>>`${judged}
    on conflict (machine_id, test_step, barcode, measured_at) do nothing
    returning id::float8 as id, site_id::float8 as site_id, machine_id::float8 as machine_id, barcode,
      product_code as product_id, test_step, measured_value, unit, measured_at as timestamp, received_at,
      verdict, lower_limit, upper_limit`.execute(tx);
  return result.rows.map((row) => ({ ...row, machine_code: codes.get(row.machine_id) ?? '' }));
}
