import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';

export interface BoardMachineRow {
  id: number;
  code: string;
  name: string;
  site_id: number;
  line_id: number;
  line_code: string;
  line_name: string;
}

/** The active machines of a site and/or line (every visible one without either), by line and code. */
export async function boardMachines(
  tx: Tx,
  filter: { site_id?: number | undefined; line_id?: number | undefined },
): Promise<BoardMachineRow[]> {
  const { rows } = await sql<BoardMachineRow>`
    select m.id, m.code, m.name, m.site_id, m.line_id, l.code as line_code, l.name as line_name
      from machines m
      join lines l on l.id = m.line_id
     where m.is_active
       and (${filter.site_id ?? null}::bigint is null or m.site_id = ${filter.site_id ?? null})
       and (${filter.line_id ?? null}::bigint is null or m.line_id = ${filter.line_id ?? null})
     order by l.code, l.id, m.code, m.id`.execute(tx);
  return rows;
}

export interface OpenStateRow {
  machine_id: number;
  state: string;
  started_at: Date;
}

export async function openStates(tx: Tx, machineIds: readonly number[]): Promise<OpenStateRow[]> {
  const { rows } = await sql<OpenStateRow>`
    select machine_id, state, started_at from machine_states
     where ended_at is null and machine_id = any(${[...machineIds]}::bigint[])`.execute(tx);
  return rows;
}

export interface OpenStaleRow {
  machine_id: number;
  source: string;
  reason: string;
  started_at: Date;
}

export async function openStalePeriods(tx: Tx, machineIds: readonly number[]): Promise<OpenStaleRow[]> {
  const { rows } = await sql<OpenStaleRow>`
    select machine_id, source, reason, started_at from machine_stale_periods
     where ended_at is null and machine_id = any(${[...machineIds]}::bigint[])
     order by machine_id, started_at`.execute(tx);
  return rows;
}

export interface CountRow {
  machine_id: number;
  last_cycle_at: Date | null;
  cycle: number;
  good: number;
  reject: number;
}

/**
 * Per machine: its last cycle (one index probe each) and its counter increases since its `since`
 * instant (the shift start of its site), in one statement for every machine.
 */
export async function countsSince(
  tx: Tx,
  machines: readonly { machine_id: number; since: Date }[],
  until: Date,
): Promise<CountRow[]> {
  if (machines.length === 0) return [];
  const ids = machines.map((m) => m.machine_id);
  const since = machines.map((m) => m.since.toISOString());
  const { rows } = await sql<CountRow>`
    select s.machine_id,
           (select c.at from machine_counts c
             where c.machine_id = s.machine_id and c.kind = 'cycle'
             order by c.at desc limit 1) as last_cycle_at,
           coalesce(sum(c.delta) filter (where c.kind = 'cycle'), 0)::float8 as cycle,
           coalesce(sum(c.delta) filter (where c.kind = 'good'), 0)::float8 as good,
           coalesce(sum(c.delta) filter (where c.kind = 'reject'), 0)::float8 as reject
      from unnest(${ids}::bigint[], ${since}::timestamptz[]) as s(machine_id, since)
      left join machine_counts c
        on c.machine_id = s.machine_id and c.at >= s.since and c.at <= ${until}
     group by s.machine_id`.execute(tx);
  return rows;
}

/** A visible machine's site (undefined when it does not exist or is on another site). */
export async function machineSite(tx: Tx, machineId: number): Promise<number | undefined> {
  const { rows } = await sql<{ site_id: number }>`
    select site_id from machines where id = ${machineId}`.execute(tx);
  return rows[0]?.site_id;
}

export interface PeriodRow {
  state: string;
  raw_value: string | null;
  source: string;
  started_at: Date;
  ended_at: Date | null;
}

/**
 * State periods overlapping [from, to), oldest first, at most `limit`. A machine's periods follow one
 * another, so the one running at `from` is the last that started by then: two index range scans,
 * never the machine's whole history.
 */
export async function statePeriods(
  tx: Tx,
  machineId: number,
  from: Date,
  to: Date,
  limit: number,
): Promise<PeriodRow[]> {
  const { rows } = await sql<PeriodRow>`
    (select state, raw_value, source, started_at, ended_at from machine_states
      where machine_id = ${machineId} and started_at <= ${from}
      order by started_at desc limit 1)
    union all
    (select state, raw_value, source, started_at, ended_at from machine_states
      where machine_id = ${machineId} and started_at > ${from} and started_at < ${to}
      order by started_at limit ${limit})`.execute(tx);
  return rows.filter((row) => row.ended_at === null || row.ended_at > from).slice(0, limit);
}

export interface StalePeriodRow {
  source: string;
  reason: string;
  started_at: Date;
  ended_at: Date | null;
}

export async function stalePeriods(
  tx: Tx,
  machineId: number,
  from: Date,
  to: Date,
  limit: number,
): Promise<StalePeriodRow[]> {
  const { rows } = await sql<StalePeriodRow>`
    select source, reason, started_at, ended_at from machine_stale_periods
     where machine_id = ${machineId} and started_at < ${to}
       and (ended_at is null or ended_at > ${from})
     order by started_at
     limit ${limit}`.execute(tx);
  return rows;
}
