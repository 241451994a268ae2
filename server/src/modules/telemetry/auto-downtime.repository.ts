import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';
import { STOP_STATES, type StatePeriod, type StopCandidate } from './auto-downtime.rules.ts';

/** Advisory lock namespace (first key) of automatic downtime; the second key is the machine id. */
const LOCK_NAMESPACE = 7_240_019;
const stopStates = () => sql`${[...STOP_STATES]}::text[]`;

/**
 * Serialises the automatic-downtime decisions about one machine: the signal hooks and the periodic
 * check take it before they read, so the check never opens a stop on a view a running commit changes.
 */
export async function lockMachineSignals(tx: Tx, machineId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, ${machineId}::int)`.execute(tx);
}

/** `lockMachineSignals` for several machines in one statement, in machine id order (no deadlock). */
export async function lockMachinesSignals(tx: Tx, machineIds: readonly number[]): Promise<void> {
  const ids = [...new Set(machineIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, m::int)
    from unnest(${ids}::int[]) with ordinality as u(m, ord) order by ord`.execute(tx);
}

/** The ideal cycle time of a machine at `at`: the mounted tool's when it has one, else the machine's. */
function idealCycleAt(machine: RawBuilder<unknown>, at: Date | RawBuilder<unknown>) {
  return sql<number | null>`coalesce(
    (select t.ideal_cycle_seconds from tool_mountings tm join tools t on t.id = tm.tool_id
      where tm.machine_id = ${machine} and tm.mounted_at <= ${at}
        and (tm.removed_at is null or tm.removed_at > ${at}) and t.ideal_cycle_seconds is not null
      order by tm.mounted_at desc limit 1),
    (select mi.ideal_cycle_seconds from machines mi where mi.id = ${machine}))::float8`;
}

/** Where the run of stop states that contains the period starting at `periodStart` began. */
function stopRunStart(machine: RawBuilder<unknown>, periodStart: RawBuilder<unknown> | Date) {
  return sql<Date>`coalesce(
    (select p.ended_at from machine_states p
      where p.machine_id = ${machine} and p.started_at < ${periodStart} and p.state <> all(${stopStates()})
      order by p.started_at desc limit 1),
    (select min(p.started_at) from machine_states p where p.machine_id = ${machine}))`;
}

const SIGNAL_STALE_SOURCES = sql`array['opcua', 'mqtt', 'http']::text[]`;

/**
 * Active machines that are in a stop state now, or that have an ideal cycle time (the no-cycle rule),
 * with what the rules need to decide; one machine only when `machineId` is given.
 */
export async function stopCandidates(tx: Tx, now: Date, machineId?: number): Promise<StopCandidate[]> {
  const result = await sql<StopCandidate>`
    select m.id as machine_id, m.site_id, s.state, s.started_at as state_started_at,
      case when s.state = any(${stopStates()}) then ${stopRunStart(sql`m.id`, sql`s.started_at`)} end
        as stop_started_at,
      (select c.at from machine_counts c
        where c.machine_id = m.id and c.kind = 'cycle' and c.delta > 0
        order by c.at desc limit 1) as last_cycle_at,
      m.stop_threshold_seconds, m.no_cycle_factor::float8 as no_cycle_factor,
      i.ideal as ideal_cycle_seconds,
      exists (select 1 from machine_stale_periods sp
        where sp.machine_id = m.id and sp.ended_at is null and sp.source = any(${SIGNAL_STALE_SOURCES})) as stale
    from machines m
    left join machine_states s on s.machine_id = m.id and s.ended_at is null
    cross join lateral (select ${idealCycleAt(sql`m.id`, now)} as ideal) i
    where m.is_active
      and (s.state = any(${stopStates()}) or i.ideal is not null)
      ${machineId === undefined ? sql`` : sql`and m.id = ${machineId}`}
    order by m.id`.execute(tx);
  return result.rows;
}

export interface MachineStopSettings {
  site_id: number;
  stop_threshold_seconds: number;
  no_cycle_factor: number;
}

export async function stopSettingsOf(tx: Tx, machineId: number): Promise<MachineStopSettings | undefined> {
  const result = await sql<MachineStopSettings>`
    select site_id, stop_threshold_seconds, no_cycle_factor::float8 as no_cycle_factor
    from machines where id = ${machineId}`.execute(tx);
  return result.rows[0];
}

/** Where the stop run that ended with the period which began at `periodStart` began. */
export async function stopRunStartOf(tx: Tx, machineId: number, periodStart: Date): Promise<Date> {
  const result = await sql<{ start: Date }>`
    select ${stopRunStart(sql`${machineId}::bigint`, periodStart)} as start`.execute(tx);
  return result.rows[0]?.start ?? periodStart;
}

/** The last cycle that counted before `at`. */
export async function lastCycleBefore(tx: Tx, machineId: number, at: Date): Promise<Date | null> {
  const row = await tx
    .selectFrom('machine_counts')
    .select('at')
    .where('machine_id', '=', machineId)
    .where('kind', '=', 'cycle')
    .where('delta', '>', sql<string>`0`)
    .where('at', '<', at)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.at ?? null;
}

/**
 * Stale periods of the machine's signal sources (OPC-UA, MQTT, HTTP) that overlap [from, to): whether
 * one is still open, and when the last one ended (null when none overlaps).
 */
export async function staleDuring(
  tx: Tx,
  machineId: number,
  from: Date,
  to: Date,
): Promise<{ open: boolean; last_end: Date | null }> {
  const result = await sql<{ open: boolean; last_end: Date | null }>`
    select coalesce(bool_or(ended_at is null), false) as open, max(ended_at) as last_end
    from machine_stale_periods
    where machine_id = ${machineId} and source = any(${SIGNAL_STALE_SOURCES})
      and tstzrange(started_at, ended_at, '[)') && tstzrange(${from}, ${to}, '[)')`.execute(tx);
  return result.rows[0] ?? { open: false, last_end: null };
}

export interface CycleGap {
  previous_at: Date;
  no_cycle_factor: number;
  ideal_cycle_seconds: number | null;
  /** The machine reported a stop state at some time in the gap (then the state rule decides). */
  stopped_between: boolean;
}

/** The gap before a cycle counted at `at`: the previous counted cycle and what applied then. */
export async function cycleGapBefore(tx: Tx, machineId: number, at: Date): Promise<CycleGap | undefined> {
  return (await cycleGapsBefore(tx, [{ machine_id: machineId, at }]))[0];
}

/**
 * `cycleGapBefore` for many cycles in one query: aligned with `cycles`, undefined where the machine
 * had no counted cycle before, or has no ideal cycle time (its own or a tool's: then no gap is a stop).
 */
export async function cycleGapsBefore(
  tx: Tx,
  cycles: readonly { machine_id: number; at: Date }[],
): Promise<(CycleGap | undefined)[]> {
  if (cycles.length === 0) return [];
  const result = await sql<CycleGap & { ord: number }>`
    select i.ord::int as ord, prev.at as previous_at, m.no_cycle_factor::float8 as no_cycle_factor,
      ${idealCycleAt(sql`m.id`, sql`prev.at`)} as ideal_cycle_seconds,
      exists (select 1 from machine_states p
        where p.machine_id = m.id and p.state = any(${stopStates()})
          and tstzrange(p.started_at, p.ended_at, '[)') && tstzrange(prev.at, i.at, '[)')) as stopped_between
    from unnest(${cycles.map((c) => c.machine_id)}::bigint[], ${cycles.map((c) => c.at)}::timestamptz[])
         with ordinality as i(machine_id, at, ord)
    join machines m on m.id = i.machine_id
      -- Without an ideal cycle time anywhere (machine or a tool it ever had) no gap is a stop.
      and (m.ideal_cycle_seconds is not null or exists (select 1 from tool_mountings tm
        join tools t on t.id = tm.tool_id where tm.machine_id = m.id and t.ideal_cycle_seconds is not null))
    join lateral (
      select c.at from machine_counts c
      where c.machine_id = m.id and c.kind = 'cycle' and c.delta > 0 and c.at < i.at
      order by c.at desc limit 1
    ) prev on true`.execute(tx);
  const gaps: (CycleGap | undefined)[] = cycles.map(() => undefined);
  for (const { ord, ...gap } of result.rows) gaps[ord - 1] = gap;
  return gaps;
}

/**
 * State periods of machines that overlap [from, to), oldest first per machine, with each machine's
 * stop threshold (for micro-stops). `machineIds` empty = none.
 */
export async function statePeriodsOf(
  tx: Tx,
  machineIds: readonly number[],
  from: Date,
  to: Date,
): Promise<(StatePeriod & { machine_id: number })[]> {
  if (machineIds.length === 0) return [];
  return tx
    .selectFrom('machine_states')
    .select(['machine_id', 'state', 'started_at', 'ended_at'])
    .where('machine_id', 'in', [...machineIds])
    .where('started_at', '<', to)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]))
    .orderBy('machine_id')
    .orderBy('started_at')
    .execute();
}

export interface DowntimeSettingsRow {
  machine_id: number;
  site_id: number;
  stop_threshold_seconds: number;
  no_cycle_factor: number;
  ideal_cycle_seconds: number | null;
  mounted_tool: {
    tool_id: number;
    asset_number: string;
    name: string;
    ideal_cycle_seconds: number | null;
  } | null;
  effective_ideal_cycle_seconds: number | null;
}

/** A machine's stop threshold, no-cycle factor and ideal cycle time, with the tool mounted now. */
export async function downtimeSettingsOf(
  tx: Tx,
  machineId: number,
): Promise<DowntimeSettingsRow | undefined> {
  const result = await sql<DowntimeSettingsRow>`
    select m.id as machine_id, m.site_id, m.stop_threshold_seconds, m.no_cycle_factor::float8 as no_cycle_factor,
      m.ideal_cycle_seconds::float8 as ideal_cycle_seconds,
      (select json_build_object('tool_id', t.id, 'asset_number', t.asset_number, 'name', t.name,
          'ideal_cycle_seconds', t.ideal_cycle_seconds::float8)
        from tool_mountings tm join tools t on t.id = tm.tool_id
        where tm.machine_id = m.id and tm.mounted_at <= now() and (tm.removed_at is null or tm.removed_at > now())
        order by t.ideal_cycle_seconds is null, tm.mounted_at desc limit 1) as mounted_tool,
      ${idealCycleAt(sql`m.id`, sql`now()`)} as effective_ideal_cycle_seconds
    from machines m where m.id = ${machineId}`.execute(tx);
  return result.rows[0];
}

export async function updateDowntimeSettings(
  tx: Tx,
  machineId: number,
  settings: { stop_threshold_seconds: number; no_cycle_factor: number; ideal_cycle_seconds: number | null },
): Promise<void> {
  await tx.updateTable('machines').set(settings).where('id', '=', machineId).execute();
}

export interface MachineForMicroStops {
  id: number;
  code: string;
  name: string;
  stop_threshold_seconds: number;
}

/** Active machines a micro-stop summary covers, by code. */
export function machinesForMicroStops(
  tx: Tx,
  filter: { site_id?: number | undefined; line_id?: number | undefined; machine_id?: number | undefined },
): Promise<MachineForMicroStops[]> {
  let query = tx
    .selectFrom('machines')
    .select(['id', 'code', 'name', 'stop_threshold_seconds'])
    .where('is_active', '=', true)
    .orderBy('code');
  if (filter.site_id) query = query.where('site_id', '=', filter.site_id);
  if (filter.line_id) query = query.where('line_id', '=', filter.line_id);
  if (filter.machine_id) query = query.where('id', '=', filter.machine_id);
  return query.execute();
}
