import type { Tx } from '../../platform/db/database.ts';
import { computeDeltas, EMPTY_STATE, type DeltaResult, type StreamRules } from './shots.deltas.ts';
import * as shots from './shots.repository.ts';
import type * as tools from './tool.repository.ts';
import type { ShotReadingOutput } from './tools.dto.ts';
import { readingConflict } from './tools.errors.ts';

export type LockedTool = NonNullable<Awaited<ReturnType<typeof tools.lockTool>>>;

export function sameReading(a: ShotReadingOutput, b: shots.NewReading): boolean {
  return (
    a.kind === b.kind &&
    a.counter_value === b.counter_value &&
    a.shots === b.shots &&
    a.mounting_id === b.mounting_id
  );
}

export function conflictOf(tool: LockedTool, values: shots.NewReading, existingId: number | undefined) {
  return readingConflict(
    `Tool ${tool.asset_number} already has a ${values.source} reading at ${values.taken_at.toISOString()} with other values`,
    { details: { reading_id: existingId } },
  );
}

/** How a stream's deltas are counted: a tool's own counter from 0, a machine's from its first value. */
export function rulesOf(stream: shots.Stream, tool: LockedTool): StreamRules {
  return stream.kind === 'manual'
    ? { start: 'zero', counter_max: tool.counter_max }
    : { start: 'baseline', counter_max: null };
}

/** The deltas that change, and by how much the stream's total changes. */
export function changedDeltas(
  rows: readonly shots.ReadingRow[],
  results: readonly DeltaResult[],
): { changed: DeltaResult[]; change: number } {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const changed: DeltaResult[] = [];
  let change = 0;
  for (const result of results) {
    const old = byId.get(result.id);
    if (!old) continue;
    if (
      old.delta !== result.delta ||
      old.is_reset !== result.is_reset ||
      old.is_rollover !== result.is_rollover
    ) {
      changed.push(result);
      change += result.delta - old.delta;
    }
  }
  return { changed, change };
}

/**
 * Recomputes the deltas of a stream from the last counter reading before `from` (every reading after
 * it, in time order) and stores those that change; returns the results and the change to the total.
 */
export async function recomputeStream(
  tx: Tx,
  tool: LockedTool,
  stream: shots.Stream,
  from: { taken_at: Date; id: number },
): Promise<{ results: DeltaResult[]; change: number }> {
  const anchor = await shots.anchorBefore(tx, tool.id, stream, from.taken_at, from.id);
  const rows = await shots.streamAfter(tx, tool.id, stream, anchor);
  const results = computeDeltas(
    rows.map((row) => ({ ...row })),
    rulesOf(stream, tool),
    anchor ? { prev: anchor.counter_value, pending: 0 } : EMPTY_STATE,
  );
  const { changed, change } = changedDeltas(rows, results);
  for (const result of changed) await shots.storeDelta(tx, result);
  return { results, change };
}

/**
 * Stores one reading and recomputes the deltas of its stream from the last counter reading before it
 * (a reading inserted out of order changes its later neighbours). Returns the change to the tool's total.
 * The same (tool, taken_at, source) again with the same values changes nothing; with other values it is
 * a conflict.
 */
export async function applyReading(
  tx: Tx,
  tool: LockedTool,
  values: shots.NewReading,
): Promise<{ reading: ShotReadingOutput; created: boolean; change: number }> {
  const inserted = await shots.insertReading(tx, values);
  if (!inserted) {
    const existing = await shots.readingByKey(tx, values.tool_id, values.taken_at, values.source);
    if (existing && sameReading(existing, values)) return { reading: existing, created: false, change: 0 };
    throw conflictOf(tool, values, existing?.id);
  }
  const { results, change } = await recomputeStream(tx, tool, shots.streamOf(inserted), inserted);
  const own = results.find((result) => result.id === inserted.id);
  return { reading: own ? { ...inserted, ...own } : inserted, created: true, change };
}
