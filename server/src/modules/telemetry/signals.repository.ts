import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';
import type { StaleSource } from './signals.types.ts';

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
