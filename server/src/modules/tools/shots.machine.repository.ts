import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './tools.schema.ts';
import type { DeltaResult } from './shots.deltas.ts';
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
}

/** Inserts machine counter readings; a key (tool, taken_at, 'machine') already taken is skipped. */
export async function insertMachineReadings(
  tx: Tx,
  readings: readonly MachineReading[],
): Promise<ReadingRow[]> {
  if (readings.length === 0) return [];
  const column = <K extends keyof MachineReading>(key: K) => readings.map((reading) => reading[key]);
  const { rows } = await sql<ReadingRow>`
    insert into tool_shot_readings as r (tool_id, site_id, taken_at, source, kind, counter_value, mounting_id)
    select u.tool_id, u.site_id, u.taken_at, 'machine', 'counter', u.counter_value, u.mounting_id
      from unnest(${column('tool_id')}::bigint[], ${column('site_id')}::bigint[],
                  ${column('taken_at')}::timestamptz[], ${column('counter_value')}::bigint[],
                  ${column('mounting_id')}::bigint[]) as u(tool_id, site_id, taken_at, counter_value, mounting_id)
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

export interface StreamStart {
  tool_id: number;
  mounting_id: number;
  /** The stream's first new reading. */
  taken_at: Date;
  id: number;
  /** How many new readings the stream got. */
  added: number;
}

/**
 * For each mounting stream: the last counter reading before its first new one (the anchor), and whether
 * readings other than the new ones lie after the anchor (then the new ones came out of order).
 * Aligned with `streams`.
 */
export async function streamAnchors(
  tx: Tx,
  streams: readonly StreamStart[],
): Promise<{ anchorValue: number | null; inOrder: boolean }[]> {
  if (streams.length === 0) return [];
  const column = <K extends keyof StreamStart>(key: K) => streams.map((stream) => stream[key]);
  const { rows } = await sql<{ ord: number; anchor_value: number | null; after: number }>`
    select s.ord::int as ord, a.counter_value as anchor_value,
      (select count(*) from tool_shot_readings r
        where r.tool_id = s.tool_id and r.mounting_id = s.mounting_id
          and r.taken_at >= coalesce(a.taken_at, '-infinity'::timestamptz)
          and (a.id is null or r.taken_at > a.taken_at or r.id > a.id))::int as after
      from unnest(${column('tool_id')}::bigint[], ${column('mounting_id')}::bigint[],
                  ${column('taken_at')}::timestamptz[], ${column('id')}::bigint[])
           with ordinality as s(tool_id, mounting_id, taken_at, id, ord)
      left join lateral (
        select r.id, r.taken_at, r.counter_value from tool_shot_readings r
         where r.tool_id = s.tool_id and r.mounting_id = s.mounting_id and r.kind = 'counter'
           and r.taken_at <= s.taken_at and (r.taken_at < s.taken_at or r.id < s.id)
         order by r.taken_at desc, r.id desc limit 1) a on true`.execute(tx);
  const found = streams.map(() => ({ anchorValue: null as number | null, inOrder: false }));
  for (const row of rows)
    found[row.ord - 1] = {
      anchorValue: row.anchor_value,
      inOrder: row.after === streams[row.ord - 1]?.added,
    };
  return found;
}

/** Stores changed deltas in one statement. */
export async function storeDeltas(tx: Tx, results: readonly DeltaResult[]): Promise<void> {
  if (results.length === 0) return;
  await sql`
    update tool_shot_readings r
       set delta = u.delta, is_reset = u.is_reset, is_rollover = u.is_rollover
      from unnest(${results.map((r) => r.id)}::bigint[], ${results.map((r) => r.delta)}::bigint[],
                  ${results.map((r) => r.is_reset)}::boolean[], ${results.map((r) => r.is_rollover)}::boolean[])
           as u(id, delta, is_reset, is_rollover)
     where r.id = u.id`.execute(tx);
}

/** Adds each tool's change to its total and refreshes its last reading instant, in one statement. */
export async function addToTotals(
  tx: Tx,
  changes: readonly { tool_id: number; change: number }[],
): Promise<void> {
  if (changes.length === 0) return;
  await sql`
    update tools t
       set total_shots = t.total_shots + u.change,
           last_reading_at = (select max(r.taken_at) from tool_shot_readings r where r.tool_id = t.id)
      from unnest(${changes.map((c) => c.tool_id)}::bigint[], ${changes.map((c) => c.change)}::bigint[])
           as u(tool_id, change)
     where t.id = u.tool_id`.execute(tx);
}
