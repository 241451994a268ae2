import type { Tx } from '../../platform/db/database.ts';
import * as mountings from './mounting.repository.ts';
import {
  changedDeltas,
  conflictOf,
  recomputeStream,
  rulesOf,
  sameReading,
  type LockedTool,
} from './shots.apply.ts';
import { computeDeltas, EMPTY_STATE, readingKey, type DeltaResult } from './shots.deltas.ts';
import * as batch from './shots.machine.repository.ts';
import type { NewReading, ReadingRow } from './shots.repository.ts';
import * as tools from './tool.repository.ts';
import { toolNotFound } from './tools.errors.ts';

export interface MachineCycles {
  machine_id: number;
  counter_value: number;
  at: Date;
}

export interface MachineShots {
  tool_ids: number[];
  shots: number;
}

const streamKey = (row: { tool_id: number; mounting_id: number | null }) =>
  `${row.tool_id}|${row.mounting_id}`;

function machineReading(tool: LockedTool, mountingId: number, input: MachineCycles): NewReading {
  return {
    tool_id: tool.id,
    site_id: tool.site_id,
    taken_at: input.at,
    source: 'machine',
    kind: 'counter',
    counter_value: input.counter_value,
    shots: null,
    mounting_id: mountingId,
    note: null,
    entered_by: null,
  };
}

/** Checks that readings not stored again (their key was taken) are the same readings; else a conflict. */
async function checkRepeats(
  tx: Tx,
  repeats: readonly { tool: LockedTool; values: NewReading }[],
): Promise<void> {
  if (repeats.length === 0) return;
  const stored = new Map(
    (
      await batch.machineReadingsByKey(
        tx,
        repeats.map((r) => r.values),
      )
    ).map((row) => [readingKey(row), row]),
  );
  for (const { tool, values } of repeats) {
    const existing = stored.get(readingKey(values));
    if (!existing || !sameReading(existing, values)) throw conflictOf(tool, values, existing?.id);
  }
}

/**
 * Machines' cycle counters as shots of the tools mounted on them at each instant, for a whole batch:
 * the mountings of every (machine, instant) in one query, the tools locked in id order in one
 * statement, the readings inserted in one, each stream's anchor in one, the deltas stored in one and
 * the totals in one; the PM check runs once for all tools that got readings. A stream whose new
 * readings are not all after its newest stored one (values out of order) is recomputed the one-by-one
 * way (shots.apply.ts). Same rules and results as one value at a time in time order; re-delivery
 * changes nothing. Aligned with `inputs`.
 */
export async function recordMachineCycleBatch(
  tx: Tx,
  inputs: readonly MachineCycles[],
  afterShots: ((tx: Tx, toolIds: number[]) => Promise<void>) | undefined,
): Promise<MachineShots[]> {
  const results: MachineShots[] = inputs.map(() => ({ tool_ids: [], shots: 0 }));
  const mounted = await mountings.mountedAtMany(tx, inputs);
  if (mounted.length === 0) return results;
  const toolIds = [...new Set(mounted.map((m) => m.tool_id))].sort((a, b) => a - b);
  const locked = new Map((await tools.lockTools(tx, toolIds)).map((tool) => [tool.id, tool]));

  const wanted = new Map<string, { index: number; tool: LockedTool; values: NewReading }>();
  const repeats: { tool: LockedTool; values: NewReading }[] = [];
  for (const mounting of mounted) {
    const tool = locked.get(mounting.tool_id);
    const input = inputs[mounting.index];
    if (!tool) throw toolNotFound(`No tool with id ${mounting.tool_id}`);
    if (!input) continue;
    const values = machineReading(tool, mounting.id, input);
    const key = readingKey(values);
    if (wanted.has(key)) repeats.push({ tool, values });
    else wanted.set(key, { index: mounting.index, tool, values });
  }
  const inserted = await batch.insertMachineReadings(
    tx,
    [...wanted.values()].map(({ values }) => ({
      tool_id: values.tool_id,
      site_id: values.site_id,
      taken_at: values.taken_at,
      counter_value: values.counter_value ?? 0,
      mounting_id: values.mounting_id ?? 0,
    })),
  );
  const insertedKeys = new Set(inserted.map(readingKey));
  for (const [key, entry] of wanted) if (!insertedKeys.has(key)) repeats.push(entry);
  await checkRepeats(tx, repeats);
  if (inserted.length === 0) return results;

  const streams = new Map<string, ReadingRow[]>();
  for (const row of inserted) streams.set(streamKey(row), [...(streams.get(streamKey(row)) ?? []), row]);
  const firsts = [...streams.values()].map((rows) =>
    rows.reduce((a, b) => (b.taken_at < a.taken_at || (+b.taken_at === +a.taken_at && b.id < a.id) ? b : a)),
  );
  const anchors = await batch.streamAnchors(
    tx,
    firsts.map((first) => ({
      tool_id: first.tool_id,
      mounting_id: first.mounting_id ?? 0,
      taken_at: first.taken_at,
      id: first.id,
      added: streams.get(streamKey(first))?.length ?? 0,
    })),
  );

  const changes = new Map<number, number>();
  const shotsOf = new Map<number, number>();
  const toStore: DeltaResult[] = [];
  for (const [position, first] of firsts.entries()) {
    const tool = locked.get(first.tool_id);
    const rows = streams.get(streamKey(first)) ?? [];
    const found = anchors[position];
    if (!tool || !found) continue;
    let change: number;
    if (found.inOrder) {
      const computed = computeDeltas(
        rows,
        rulesOf({ kind: 'mounting', mounting_id: first.mounting_id ?? 0 }, tool),
        found.anchorValue === null ? EMPTY_STATE : { prev: found.anchorValue, pending: 0 },
      );
      const stream = changedDeltas(rows, computed);
      toStore.push(...stream.changed);
      change = stream.change;
      for (const result of computed) shotsOf.set(result.id, result.delta);
    } else {
      // Out of order: the stream after the anchor is recomputed and stored one reading at a time.
      ({ change } = await recomputeStream(
        tx,
        tool,
        { kind: 'mounting', mounting_id: first.mounting_id ?? 0 },
        first,
      ));
      shotsOf.set(first.id, change);
    }
    changes.set(tool.id, (changes.get(tool.id) ?? 0) + change);
  }
  await batch.storeDeltas(tx, toStore);
  await batch.addToTotals(
    tx,
    [...changes].map(([tool_id, change]) => ({ tool_id, change })),
  );

  for (const row of inserted) {
    const entry = wanted.get(readingKey(row));
    const result = entry ? results[entry.index] : undefined;
    if (!result) continue;
    result.tool_ids.push(row.tool_id);
    result.shots += shotsOf.get(row.id) ?? 0;
  }
  for (const result of results) result.tool_ids.sort((a, b) => a - b);
  if (afterShots)
    await afterShots(
      tx,
      [...changes.keys()].sort((a, b) => a - b),
    );
  return results;
}
