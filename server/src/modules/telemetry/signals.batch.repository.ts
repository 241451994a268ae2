import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';
import type { CountKind, MachineState } from './signals.types.ts';

/**
 * The signal recorder's set-based statements: one statement per step for a whole batch of states or
 * counter values (docs/performance.md "OPC-UA"). The one-value forms in signals.repository.ts remain
 * for stale periods and reads.
 */

/** The counter value stored just before each (machine, kind, at), in the order given (null when none). */
export async function previousCounts(
  tx: Tx,
  keys: readonly { machine_id: number; kind: CountKind; at: Date }[],
): Promise<({ counter_value: number; at: Date } | null)[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<{ ord: number; counter_value: number | null; at: Date | null }>`
    select i.ord::int as ord, p.counter_value, p.at
      from unnest(${keys.map((k) => k.machine_id)}::bigint[], ${keys.map((k) => k.kind)}::text[],
                  ${keys.map((k) => k.at)}::timestamptz[]) with ordinality as i(machine_id, kind, at, ord)
      left join lateral (
        select c.counter_value, c.at from machine_counts c
         where c.machine_id = i.machine_id and c.kind = i.kind and c.at < i.at
         order by c.at desc limit 1) p on true`.execute(tx);
  const previous: ({ counter_value: number; at: Date } | null)[] = keys.map(() => null);
  for (const row of rows)
    if (row.counter_value !== null && row.at !== null)
      previous[row.ord - 1] = { counter_value: Number(row.counter_value), at: row.at };
  return previous;
}

export interface CountRow {
  site_id: number;
  machine_id: number;
  kind: CountKind;
  counter_value: number;
  delta: number;
  at: Date;
  source: string;
}

/** Stores counter values; returns the keys (machine_id|kind|at ms) of those stored now (not already there). */
export async function insertCounts(tx: Tx, rows: readonly CountRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const column = <K extends keyof CountRow>(key: K) => rows.map((row) => row[key]);
  const { rows: inserted } = await sql<{ machine_id: number; kind: CountKind; at: Date }>`
    insert into machine_counts (site_id, machine_id, kind, counter_value, delta, at, source)
    select * from unnest(${column('site_id')}::bigint[], ${column('machine_id')}::bigint[],
                         ${column('kind')}::text[], ${column('counter_value')}::bigint[],
                         ${column('delta')}::bigint[], ${column('at')}::timestamptz[], ${column('source')}::text[])
    on conflict (machine_id, kind, at) do nothing
    returning machine_id, kind, at`.execute(tx);
  return new Set(inserted.map(countKey));
}

export function countKey(row: { machine_id: number; kind: CountKind; at: Date }): string {
  return `${row.machine_id}|${row.kind}|${row.at.getTime()}`;
}

/** The open state row of each machine, locked for the caller's transaction (in machine id order). */
export function lockOpenStates(
  tx: Tx,
  machineIds: readonly number[],
): Promise<{ id: number; machine_id: number; state: string; started_at: Date }[]> {
  if (machineIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('machine_states')
    .select(['id', 'machine_id', 'state', 'started_at'])
    .where('machine_id', '=', sql<number>`any(${[...machineIds]}::bigint[])`)
    .where('ended_at', 'is', null)
    .orderBy('machine_id')
    .forUpdate()
    .execute();
}

/** Ends state periods: each id at its instant. */
export async function closeStates(tx: Tx, closes: readonly { id: number; at: Date }[]): Promise<void> {
  if (closes.length === 0) return;
  await sql`
    update machine_states s set ended_at = u.at
      from unnest(${closes.map((c) => c.id)}::bigint[], ${closes.map((c) => c.at)}::timestamptz[]) u(id, at)
     where s.id = u.id`.execute(tx);
}

export interface StateRow {
  site_id: number;
  machine_id: number;
  state: MachineState;
  raw_value: string | null;
  source: string;
  started_at: Date;
  ended_at: Date | null;
}

/** Stores state periods (those that already ended in the same batch with their end). */
export async function insertStates(tx: Tx, rows: readonly StateRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof StateRow>(key: K) => rows.map((row) => row[key]);
  await sql`
    insert into machine_states (site_id, machine_id, state, raw_value, source, started_at, ended_at)
    select * from unnest(${column('site_id')}::bigint[], ${column('machine_id')}::bigint[],
                         ${column('state')}::text[], ${column('raw_value')}::text[], ${column('source')}::text[],
                         ${column('started_at')}::timestamptz[], ${column('ended_at')}::timestamptz[])`.execute(
    tx,
  );
}

/** One NOTIFY per payload on `channel`, in one statement (the order given). */
export async function notifySignals(tx: Tx, channel: string, payloads: readonly unknown[]): Promise<void> {
  if (payloads.length === 0) return;
  await sql`select pg_notify(${channel}, p) from unnest(${payloads.map((p) => JSON.stringify(p))}::text[]) p`.execute(
    tx,
  );
}
