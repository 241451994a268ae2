import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './tools.schema.ts';
import { readingColumns, type ReadingRow } from './shots.repository.ts';

/**
 * The set-based statements of machine shots (shots.machine.ts): one statement per step for a batch of
 * machines' cycle counts.
 */

const columns = (alias: string) => sql.raw(readingColumns.map((column) => `${alias}.${column}`).join(', '));

export interface MachineReading {
  tool_id: number;
  site_id: number;
  taken_at: Date;
  counter_value: number;
  mounting_id: number;
  delta: number;
  is_reset: boolean;
  is_rollover: boolean;
}

/** Inserts machine counter readings with their deltas; a key (tool, taken_at, 'machine') already taken is skipped. */
export async function insertMachineReadings(
  tx: Tx,
  readings: readonly MachineReading[],
): Promise<ReadingRow[]> {
  if (readings.length === 0) return [];
  const column = <K extends keyof MachineReading>(key: K) => readings.map((reading) => reading[key]);
  const { rows } = await sql<ReadingRow>`
    insert into tool_shot_readings as r
      (tool_id, site_id, taken_at, source, kind, counter_value, mounting_id, delta, is_reset, is_rollover)
    select u.tool_id, u.site_id, u.taken_at, 'machine', 'counter', u.counter_value, u.mounting_id,
           u.delta, u.is_reset, u.is_rollover
      from unnest(${column('tool_id')}::bigint[], ${column('site_id')}::bigint[],
                  ${column('taken_at')}::timestamptz[], ${column('counter_value')}::bigint[],
                  ${column('mounting_id')}::bigint[], ${column('delta')}::bigint[],
                  ${column('is_reset')}::boolean[], ${column('is_rollover')}::boolean[])
           as u(tool_id, site_id, taken_at, counter_value, mounting_id, delta, is_reset, is_rollover)
    on conflict (tool_id, taken_at, source) do nothing
    returning ${columns('r')}`.execute(tx);
  return rows;
}

/** The machine readings stored under these keys (tool, taken_at). */
export async function machineReadingsByKey(
  tx: Tx,
  keys: readonly { tool_id: number; taken_at: Date }[],
): Promise<ReadingRow[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<ReadingRow>`
    select ${columns('r')}
      from unnest(${keys.map((k) => k.tool_id)}::bigint[], ${keys.map((k) => k.taken_at)}::timestamptz[])
           as k(tool_id, taken_at)
      join tool_shot_readings r on r.tool_id = k.tool_id and r.taken_at = k.taken_at and r.source = 'machine'`.execute(
    tx,
  );
  return rows;
}

export interface StreamHead {
  /** The stream's own reading at the tool's last reading instant, when there is one. */
  head: { kind: string; counter_value: number | null } | null;
  /** The stream has a reading after the tool's last reading instant (or any, without one). */
  newer: boolean;
}

/**
 * For each mounting stream: its reading at the tool's last reading instant (a unique-key probe) and
 * whether it has any reading after that instant (an index range probe, empty in the common case).
 * When the first is there and the second is not, that reading is the stream's newest.
 */
export async function streamHeads(
  tx: Tx,
  streams: readonly { tool_id: number; mounting_id: number; last_at: Date | null }[],
): Promise<StreamHead[]> {
  if (streams.length === 0) return [];
  // Laterals with limit 1, so each stays an index probe per stream (never a join over all readings).
  const { rows } = await sql<{
    ord: number;
    kind: string | null;
    counter_value: number | null;
    newer: boolean;
  }>`
    select s.ord::int as ord, k.kind, k.counter_value, n.found is not null as newer
      from unnest(${streams.map((x) => x.tool_id)}::bigint[], ${streams.map((x) => x.mounting_id)}::bigint[],
                  ${streams.map((x) => x.last_at)}::timestamptz[]) with ordinality as s(tool_id, mounting_id, last_at, ord)
      left join lateral (
        select r.kind, r.counter_value from tool_shot_readings r
         where r.tool_id = s.tool_id and r.taken_at = s.last_at and r.source = 'machine'
           and r.mounting_id = s.mounting_id
         limit 1) k on true
      left join lateral (
        select 1 as found from tool_shot_readings r
         where r.mounting_id = s.mounting_id and r.taken_at > coalesce(s.last_at, '-infinity'::timestamptz)
         limit 1) n on true`.execute(tx);
  const heads: StreamHead[] = streams.map(() => ({ head: null, newer: true }));
  for (const row of rows)
    heads[row.ord - 1] = {
      head: row.kind === null ? null : { kind: row.kind, counter_value: row.counter_value },
      newer: row.newer,
    };
  return heads;
}

/**
 * Adds each tool's change to its total and moves its last reading instant to `last_at` when later, in
 * one statement (readings are only ever added, so the latest is the greater of the two).
 */
export async function addToTotals(
  tx: Tx,
  changes: readonly { tool_id: number; change: number; last_at: Date }[],
): Promise<void> {
  if (changes.length === 0) return;
  await sql`
    update tools t
       set total_shots = t.total_shots + u.change, last_reading_at = greatest(t.last_reading_at, u.last_at)
      from unnest(${changes.map((c) => c.tool_id)}::bigint[], ${changes.map((c) => c.change)}::bigint[],
                  ${changes.map((c) => c.last_at)}::timestamptz[]) as u(tool_id, change, last_at)
     where t.id = u.tool_id`.execute(tx);
}
