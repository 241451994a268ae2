import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { DowntimeTotal, KpiPeriod } from './kpi.calculations.ts';
import type { KpiScope } from './kpi.dto.ts';

export interface PlannedWindow {
  start: Date;
  end: Date;
}

export interface ScopeDowntime {
  /** false when the scope's id does not exist or row-level security hides it. */
  scopeFound: boolean;
  activeMachines: number;
  totals: DowntimeTotal[];
}

interface TotalsRow {
  scope_found: boolean;
  active_machines: number;
  planned: boolean | null;
  seconds: string | null;
  count: number | null;
  reason_code: string | null;
  reason_name: string | null;
  reason_name_ru: string | null;
  category_code: string | null;
  is_failure: boolean | null;
}

/**
 * One statement per KPI request: whether the scope is visible, how many active machines it holds, and
 * per planned flag and reason the clipped seconds and count of the stops that overlap
 * [from, effectiveTo). Only active machines count, for planned time and downtime alike. Stops are
 * found through `downtimes (machine_id, start_at desc)` or, for a site, `(site_id, start_at desc)`.
 */
export async function loadScopeDowntime(
  tx: Tx,
  scope: KpiScope,
  period: KpiPeriod,
  now: Date,
  effectiveTo: Date,
  windows: readonly PlannedWindow[] | null,
): Promise<ScopeDowntime> {
  const from = sql`${period.from}::timestamptz`;
  const until = sql`${effectiveTo}::timestamptz`;
  const current = sql`${now}::timestamptz`;
  // With a shift calendar only the part of a stop inside planned windows counts (tstzmultirange ∩).
  const clipped = sql`tstzrange(greatest(d.start_at, ${from}), least(coalesce(d.end_at, ${current}), ${until}))`;
  const seconds = windows
    ? sql`coalesce((select extract(epoch from sum(upper(p) - lower(p)))
          from unnest(tstzmultirange(${clipped}) * (select planned from planned_windows)) p), 0)`
    : sql`extract(epoch from upper(${clipped}) - lower(${clipped}))`;
  const plannedWindows = windows
    ? sql`planned_windows as (
        select coalesce(range_agg(tstzrange(s, e)), '{}'::tstzmultirange) as planned
        from unnest(${windows.map((w) => w.start)}::timestamptz[], ${windows.map((w) => w.end)}::timestamptz[]) as w (s, e)
      ),`
    : sql``;
  const machineFilter =
    scope.kind === 'site'
      ? sql`m.site_id = ${scope.id}`
      : scope.kind === 'line'
        ? sql`m.line_id = ${scope.id}`
        : sql`m.id = ${scope.id}`;
  const stopFilter = scope.kind === 'site' ? sql`d.site_id = ${scope.id} and` : sql``;
  const target =
    scope.kind === 'site'
      ? sql`select 1 from sites where id = ${scope.id}`
      : scope.kind === 'line'
        ? sql`select 1 from lines where id = ${scope.id}`
        : sql`select 1 from machines where id = ${scope.id}`;

  const { rows } = await sql<TotalsRow>`
    with ${plannedWindows} scope_machines as (
      select m.id from machines m where ${machineFilter} and m.is_active
    ),
    stops as (
      select d.planned, d.reason_id, ${seconds} as seconds
      from downtimes d
      where ${stopFilter} d.machine_id in (select id from scope_machines)
        and d.start_at < ${until}
        and coalesce(d.end_at, ${current}) > ${from}
        and ${from} < ${until}
    ),
    totals as (
      select planned, reason_id, sum(seconds) as seconds, count(*) as count
      from stops where seconds > 0 group by planned, reason_id
    )
    select exists (${target}) as scope_found,
      (select count(*) from scope_machines) as active_machines,
      t.planned, t.seconds, t.count,
      r.code as reason_code, r.name as reason_name, r.name_ru as reason_name_ru,
      c.code as category_code, c.is_failure
    from (select 1) as one
    left join totals t on true
    left join downtime_reasons r on r.id = t.reason_id
    left join downtime_categories c on c.id = r.category_id
  `.execute(tx);

  const first = rows[0];
  return {
    scopeFound: first?.scope_found ?? false,
    activeMachines: first?.active_machines ?? 0,
    totals: rows.flatMap((row) =>
      row.planned === null
        ? []
        : [
            {
              planned: row.planned,
              seconds: Number(row.seconds),
              count: row.count ?? 0,
              reason:
                row.reason_code === null
                  ? null
                  : {
                      code: row.reason_code,
                      name: row.reason_name ?? row.reason_code,
                      name_ru: row.reason_name_ru,
                      category_code: row.category_code ?? '',
                      is_failure: row.is_failure ?? true,
                    },
            },
          ],
    ),
  };
}

/** The site a scope belongs to (a KPI scope is always on one site), or undefined when not visible. */
export async function scopeSiteId(tx: Tx, scope: KpiScope): Promise<number | undefined> {
  const query =
    scope.kind === 'site'
      ? sql<{ site_id: number }>`select id as site_id from sites where id = ${scope.id}`
      : scope.kind === 'line'
        ? sql<{ site_id: number }>`select site_id from lines where id = ${scope.id}`
        : sql<{ site_id: number }>`select site_id from machines where id = ${scope.id}`;
  return (await query.execute(tx)).rows[0]?.site_id;
}
