import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './quality.schema.ts';

export interface MachineTileRow {
  machine_key: number;
  machine_id: string;
  machine_name: string;
  site_id: number;
  line_id: number;
  line_code: string;
  last_verdict: string | null;
  last_seen: Date | null;
  hour_total: number;
  hour_pass: number;
  hour_fail: number;
  open_alerts: number;
}

/** Every active machine of the sites seen, with its latest result and this hour's counts. */
export async function machineTiles(
  tx: Tx,
  siteId: number | undefined,
  since: Date,
): Promise<MachineTileRow[]> {
  const result = await sql<MachineTileRow>`
    select m.id as machine_key, m.code as machine_id, m.name as machine_name, m.site_id, m.line_id, l.code as line_code,
      last.verdict as last_verdict, last.received_at as last_seen,
      coalesce(hour.total, 0)::int as hour_total, coalesce(hour.pass, 0)::int as hour_pass, coalesce(hour.fail, 0)::int as hour_fail,
      (select count(*)::int from quality_alerts a
        where a.machine_id = m.id and (a.cleared_at is null or a.acknowledged_at is null)) as open_alerts
    from machines m
    join lines l on l.id = m.line_id
    left join lateral (
      select r.verdict, r.received_at from test_results r where r.machine_id = m.id
      order by r.measured_at desc limit 1) last on true
    left join lateral (
      select count(*) as total, count(*) filter (where r.verdict = 'PASS') as pass, count(*) filter (where r.verdict = 'FAIL') as fail
      from test_results r where r.machine_id = m.id and r.measured_at >= ${since}) hour on true
    where m.is_active and (${siteId ?? null}::bigint is null or m.site_id = ${siteId ?? null})
    order by l.code, m.code
    limit 2000`.execute(tx);
  return result.rows;
}

export interface FailureRow {
  product_id: string;
  test_step: string;
  fail_count: number;
  total: number;
}

export async function topFailures(
  tx: Tx,
  filter: {
    site_id?: number | undefined;
    machine_ids?: number[] | undefined;
    from: Date;
    to: Date;
    limit: number;
  },
): Promise<FailureRow[]> {
  const result = await sql<FailureRow>`
    select r.product_code as product_id, r.test_step,
      (count(*) filter (where r.verdict = 'FAIL'))::int as fail_count, count(*)::int as total
    from test_results r
    where r.measured_at >= ${filter.from} and r.measured_at < ${filter.to}
      and (${filter.site_id ?? null}::bigint is null or r.site_id = ${filter.site_id ?? null})
      and (${filter.machine_ids ?? null}::bigint[] is null or r.machine_id = any (${filter.machine_ids ?? null}::bigint[]))
    group by r.product_code, r.test_step
    having count(*) filter (where r.verdict = 'FAIL') > 0
    order by fail_count desc, r.product_code, r.test_step
    limit ${filter.limit}`.execute(tx);
  return result.rows;
}

export interface SpcPointRow {
  id: number;
  timestamp: Date;
  value: number;
  barcode: string;
  verdict: string;
  machine_id: number;
}

/** The latest `limit` results of a product and step (optionally of some machines), oldest first. */
export async function spcPoints(
  tx: Tx,
  filter: {
    site_id?: number | undefined;
    product_id: string;
    test_step: string;
    machine_ids?: number[] | undefined;
    from: Date;
    to: Date;
    limit: number;
  },
): Promise<SpcPointRow[]> {
  const result = await sql<SpcPointRow>`
    select * from (
      select r.id, r.measured_at as timestamp, r.measured_value as value, r.barcode, r.verdict, r.machine_id
      from test_results r
      where r.product_code = ${filter.product_id} and r.test_step = ${filter.test_step}
        and r.measured_at >= ${filter.from} and r.measured_at < ${filter.to}
        and (${filter.site_id ?? null}::bigint is null or r.site_id = ${filter.site_id ?? null})
        and (${filter.machine_ids ?? null}::bigint[] is null or r.machine_id = any (${filter.machine_ids ?? null}::bigint[]))
      order by r.measured_at desc, r.id desc
      limit ${filter.limit}) latest
    order by timestamp, id`.execute(tx);
  return result.rows;
}

/** The limits of a product and step in force at `at` on a site (or the only site that has them). */
export async function limitsInForce(
  tx: Tx,
  filter: { site_id?: number | undefined; product_id: string; test_step: string; at: Date },
) {
  const result = await sql<{
    lower_limit: number | null;
    upper_limit: number | null;
    target: number | null;
    unit: string | null;
    effective_from: Date;
  }>`
    select lower_limit, upper_limit, target, unit, effective_from from spec_limits
    where product_code = ${filter.product_id} and test_step = ${filter.test_step} and effective_from <= ${filter.at}
      and (${filter.site_id ?? null}::bigint is null or site_id = ${filter.site_id ?? null})
    order by effective_from desc limit 1`.execute(tx);
  return result.rows[0];
}
