import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';
import type { CountKind, MachineState, StaleSource } from './signals.types.ts';

/** The machine's open state row, locked for the caller's transaction. */
export function lockOpenState(
  tx: Tx,
  machineId: number,
): Promise<{ id: number; state: string; started_at: Date } | undefined> {
  return tx
    .selectFrom('machine_states')
    .select(['id', 'state', 'started_at'])
    .where('machine_id', '=', machineId)
    .where('ended_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export async function closeState(tx: Tx, id: number, at: Date): Promise<void> {
  await tx.updateTable('machine_states').set({ ended_at: at }).where('id', '=', id).execute();
}

export async function openState(
  tx: Tx,
  row: {
    site_id: number;
    machine_id: number;
    state: MachineState;
    raw_value: string | null;
    source: string;
    started_at: Date;
  },
): Promise<void> {
  await tx.insertInto('machine_states').values(row).execute();
}

/** The counter value of this kind just before `at` (null when none). */
export async function previousCount(
  tx: Tx,
  machineId: number,
  kind: CountKind,
  at: Date,
): Promise<number | null> {
  const row = await tx
    .selectFrom('machine_counts')
    .select('counter_value')
    .where('machine_id', '=', machineId)
    .where('kind', '=', kind)
    .where('at', '<', at)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.counter_value) : null;
}

/** Stores a counter value; false when the same machine, kind and instant is already stored. */
export async function insertCount(
  tx: Tx,
  row: {
    site_id: number;
    machine_id: number;
    kind: CountKind;
    counter_value: number;
    delta: number;
    at: Date;
    source: string;
  },
): Promise<boolean> {
  const inserted = await tx
    .insertInto('machine_counts')
    .values(row)
    .onConflict((oc) => oc.columns(['machine_id', 'kind', 'at']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Opens a stale period unless one is open for this machine and source; true when opened. */
export async function openStale(
  tx: Tx,
  row: { site_id: number; machine_id: number; source: StaleSource; reason: string; started_at: Date },
): Promise<boolean> {
  const result = await sql<{ id: number }>`
    insert into machine_stale_periods (site_id, machine_id, source, reason, started_at)
    values (${row.site_id}, ${row.machine_id}, ${row.source}, ${row.reason}, ${row.started_at})
    on conflict (machine_id, source) where ended_at is null do nothing
    returning id`.execute(tx);
  return result.rows.length > 0;
}

/** Ends the open stale period of this machine and source; true when one was open. */
export async function closeStale(tx: Tx, machineId: number, source: StaleSource, at: Date): Promise<boolean> {
  const result = await tx
    .updateTable('machine_stale_periods')
    .set({ ended_at: sql<Date>`greatest(started_at, ${at}::timestamptz)` })
    .where('machine_id', '=', machineId)
    .where('source', '=', source)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function notifySignal(tx: Tx, channel: string, payload: unknown): Promise<void> {
  await sql`select pg_notify(${channel}, ${JSON.stringify(payload)})`.execute(tx);
}

export interface StateRow {
  state: string;
  raw_value: string | null;
  source: string;
  started_at: Date;
  ended_at: Date | null;
}

/** The state periods of a machine that overlap [from, to), oldest first. */
export function statesBetween(tx: Tx, machineId: number, from: Date, to: Date): Promise<StateRow[]> {
  return tx
    .selectFrom('machine_states')
    .select(['state', 'raw_value', 'source', 'started_at', 'ended_at'])
    .where('machine_id', '=', machineId)
    .where('started_at', '<', to)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]))
    .orderBy('started_at')
    .execute();
}

export interface StaleRow {
  source: string;
  reason: string;
  started_at: Date;
  ended_at: Date | null;
}

/** The stale periods of a machine that overlap [from, to), oldest first. */
export function staleBetween(tx: Tx, machineId: number, from: Date, to: Date): Promise<StaleRow[]> {
  return tx
    .selectFrom('machine_stale_periods')
    .select(['source', 'reason', 'started_at', 'ended_at'])
    .where('machine_id', '=', machineId)
    .where('started_at', '<', to)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]))
    .orderBy('started_at')
    .execute();
}
