import { sql, type ExpressionBuilder } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import type {} from './tools.schema.ts';
import type { ShotReadingOutput, ShotSource } from './tools.dto.ts';
import type { DeltaResult } from './shots.deltas.ts';

export const readingColumns = [
  'id',
  'tool_id',
  'taken_at',
  'source',
  'kind',
  'counter_value',
  'shots',
  'mounting_id',
  'delta',
  'is_reset',
  'is_rollover',
  'note',
  'entered_by',
  'created_at',
] as const;

export type ReadingRow = ShotReadingOutput;

/** Which counter a reading reads: the tool's own (manual, CSV) or one machine's during one mounting. */
export type Stream = { kind: 'manual' } | { kind: 'mounting'; mounting_id: number };

export function streamOf(row: { mounting_id: number | null }): Stream {
  return row.mounting_id === null ? { kind: 'manual' } : { kind: 'mounting', mounting_id: row.mounting_id };
}

function inStream(toolId: number, stream: Stream) {
  return (eb: ExpressionBuilder<Tables, 'tool_shot_readings'>) =>
    stream.kind === 'manual'
      ? eb.and([eb('tool_id', '=', toolId), eb('mounting_id', 'is', null)])
      : eb.and([eb('tool_id', '=', toolId), eb('mounting_id', '=', stream.mounting_id)]);
}

export interface NewReading {
  tool_id: number;
  site_id: number;
  taken_at: Date;
  source: ShotSource;
  kind: 'counter' | 'delta';
  counter_value: number | null;
  shots: number | null;
  mounting_id: number | null;
  note: string | null;
  entered_by: number | null;
}

/** Inserts the reading unless its key (tool, taken_at, source) is taken; then returns undefined. */
export async function insertReading(tx: Tx, values: NewReading): Promise<ReadingRow | undefined> {
  const row = await tx
    .insertInto('tool_shot_readings')
    .values(values)
    .onConflict((oc) => oc.columns(['tool_id', 'taken_at', 'source']).doNothing())
    .returning(readingColumns)
    .executeTakeFirst();
  return row as ReadingRow | undefined;
}

export async function readingByKey(
  tx: Tx,
  toolId: number,
  takenAt: Date,
  source: ShotSource,
): Promise<ReadingRow | undefined> {
  const row = await tx
    .selectFrom('tool_shot_readings')
    .select(readingColumns)
    .where('tool_id', '=', toolId)
    .where('taken_at', '=', takenAt)
    .where('source', '=', source)
    .executeTakeFirst();
  return row as ReadingRow | undefined;
}

/** The last counter reading of the stream strictly before (taken_at, id): the state to start from. */
export async function anchorBefore(
  tx: Tx,
  toolId: number,
  stream: Stream,
  takenAt: Date,
  id: number,
): Promise<ReadingRow | undefined> {
  const row = await tx
    .selectFrom('tool_shot_readings')
    .select(readingColumns)
    .where(inStream(toolId, stream))
    .where('kind', '=', 'counter')
    .where((eb) =>
      eb.or([eb('taken_at', '<', takenAt), eb.and([eb('taken_at', '=', takenAt), eb('id', '<', id)])]),
    )
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row as ReadingRow | undefined;
}

/** The stream's readings after the anchor (all of them without one), in time order. */
export async function streamAfter(
  tx: Tx,
  toolId: number,
  stream: Stream,
  anchor: { taken_at: Date; id: number } | undefined,
): Promise<ReadingRow[]> {
  let query = tx.selectFrom('tool_shot_readings').select(readingColumns).where(inStream(toolId, stream));
  if (anchor) {
    query = query.where((eb) =>
      eb.or([
        eb('taken_at', '>', anchor.taken_at),
        eb.and([eb('taken_at', '=', anchor.taken_at), eb('id', '>', anchor.id)]),
      ]),
    );
  }
  return (await query.orderBy('taken_at').orderBy('id').execute()) as ReadingRow[];
}

export async function storeDelta(tx: Tx, result: DeltaResult): Promise<void> {
  await tx
    .updateTable('tool_shot_readings')
    .set({ delta: result.delta, is_reset: result.is_reset, is_rollover: result.is_rollover })
    .where('id', '=', result.id)
    .execute();
}

export async function addToTotal(tx: Tx, toolId: number, change: number): Promise<number> {
  const { rows } = await sql<{ total_shots: number }>`
    update tools set total_shots = total_shots + ${change},
           last_reading_at = (select max(taken_at) from tool_shot_readings where tool_id = ${toolId})
     where id = ${toolId} returning total_shots`.execute(tx);
  return rows[0]?.total_shots ?? 0;
}

export async function listReadings(
  tx: Tx,
  toolId: number,
  filter: { from?: Date | undefined; to?: Date | undefined; limit: number },
): Promise<ReadingRow[]> {
  let query = tx
    .selectFrom('tool_shot_readings')
    .select(readingColumns)
    .where('tool_id', '=', toolId)
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.from) query = query.where('taken_at', '>=', filter.from);
  if (filter.to) query = query.where('taken_at', '<', filter.to);
  return (await query.execute()) as ReadingRow[];
}

export async function shotsSince(tx: Tx, toolId: number, since: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select coalesce(sum(delta), 0)::bigint as n from tool_shot_readings
     where tool_id = ${toolId} and taken_at >= ${since}`.execute(tx);
  return rows[0]?.n ?? 0;
}

/** Shots per local day (site time zone), oldest first. */
export async function dailyShots(
  tx: Tx,
  toolId: number,
  timeZone: string,
  filter: { from?: Date | undefined; to?: Date | undefined },
): Promise<{ date: string; shots: number }[]> {
  const { rows } = await sql<{ date: string; shots: number }>`
    select to_char(date_trunc('day', taken_at at time zone ${timeZone}), 'YYYY-MM-DD') as date,
           sum(delta)::bigint as shots
      from tool_shot_readings
     where tool_id = ${toolId}
       and (${filter.from ?? null}::timestamptz is null or taken_at >= ${filter.from ?? null})
       and (${filter.to ?? null}::timestamptz is null or taken_at < ${filter.to ?? null})
     group by 1 order by 1`.execute(tx);
  return rows;
}
