import type { Tx } from '../../platform/db/database.ts';
import * as mountings from './mounting.repository.ts';
import { conflictOf, recomputeStream, rulesOf, sameReading, type LockedTool } from './shots.apply.ts';
import { computeDeltas, EMPTY_STATE, readingKey } from './shots.deltas.ts';
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
async function checkRepeats(tx: Tx, repeats: readonly Omit<Wanted, 'index'>[]): Promise<void> {
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

interface Wanted {
  index: number;
  tool: LockedTool;
  values: NewReading;
}

/**
 * The deltas of each stream's new readings when they all come after its newest stored reading (the
 * common case: computed here from that reading, stored with the insert); the other streams are left
 * to the one-by-one recomputation (`fallback`).
 */
async function planDeltas(
  tx: Tx,
  wanted: readonly Wanted[],
): Promise<{ readings: batch.MachineReading[]; fallback: Set<string> }> {
  const streams = new Map<string, Wanted[]>();
  for (const entry of wanted) {
    const key = streamKey(entry.values);
    streams.set(key, [...(streams.get(key) ?? []), entry]);
  }
  const groups = [...streams.values()].map((entries) =>
    entries.sort((x, y) => x.values.taken_at.getTime() - y.values.taken_at.getTime()),
  );
  const heads = await batch.streamHeads(
    tx,
    groups.map((entries) => ({
      tool_id: entries[0]?.values.tool_id ?? 0,
      mounting_id: entries[0]?.values.mounting_id ?? 0,
      last_at: entries[0]?.tool.last_reading_at ?? null,
    })),
  );
  const readings: batch.MachineReading[] = [];
  const fallback = new Set<string>();
  for (const [position, entries] of groups.entries()) {
    const first = entries[0];
    if (!first) continue;
    // In order: nothing in the stream after the tool's last reading, and that reading is the
    // stream's own counter reading (its newest) before the first new one, or the tool has none.
    const found = heads[position];
    const lastAt = first.tool.last_reading_at;
    const head = found?.head ?? null;
    const inOrder =
      found !== undefined &&
      !found.newer &&
      (lastAt === null || (head?.kind === 'counter' && lastAt < first.values.taken_at));
    if (!inOrder) fallback.add(streamKey(first.values));
    const deltas = inOrder
      ? computeDeltas(
          entries.map((entry, id) => ({ ...entry.values, id })),
          rulesOf({ kind: 'mounting', mounting_id: first.values.mounting_id ?? 0 }, first.tool),
          head ? { prev: head.counter_value, pending: 0 } : EMPTY_STATE,
        )
      : [];
    for (const [id, { values }] of entries.entries()) {
      const delta = deltas[id];
      readings.push({
        tool_id: values.tool_id,
        site_id: values.site_id,
        taken_at: values.taken_at,
        counter_value: values.counter_value ?? 0,
        mounting_id: values.mounting_id ?? 0,
        delta: delta?.delta ?? 0,
        is_reset: delta?.is_reset ?? false,
        is_rollover: delta?.is_rollover ?? false,
      });
    }
  }
  return { readings, fallback };
}

/**
 * Machines' cycle counters as shots of the tools mounted on them at each instant, for a whole batch:
 * the mountings of every (machine, instant) in one query, the tools locked in id order in one
 * statement, each stream's newest reading in one query, the readings with their deltas inserted in
 * one, the totals updated in one; the PM check runs once for all tools that got readings. A stream
 * whose new readings are not all after its newest stored one (values out of order) is recomputed the
 * one-by-one way (shots.apply.ts). Same rules and results as one value at a time in time order;
 * re-delivery changes nothing. Aligned with `inputs`.
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

  const wanted = new Map<string, Wanted>();
  const repeats: Omit<Wanted, 'index'>[] = [];
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
  const { readings, fallback } = await planDeltas(tx, [...wanted.values()]);
  const inserted = await batch.insertMachineReadings(tx, readings);
  const insertedKeys = new Set(inserted.map(readingKey));
  for (const [key, entry] of wanted)
    if (!insertedKeys.has(key)) {
      repeats.push(entry);
      fallback.add(streamKey(entry.values)); // its neighbours' deltas were planned with it
    }
  await checkRepeats(tx, repeats);
  if (inserted.length === 0) return results;

  const shotsOf = new Map<number, number>(inserted.map((row) => [row.id, row.delta]));
  const changes = new Map<number, { change: number; last_at: Date }>();
  const firstOf = new Map<string, ReadingRow>();
  for (const row of inserted) {
    const key = streamKey(row);
    const first = firstOf.get(key);
    if (!first || row.taken_at < first.taken_at) firstOf.set(key, row);
    const tool = changes.get(row.tool_id) ?? { change: 0, last_at: row.taken_at };
    tool.change += row.delta; // as inserted: planned in order, 0 where out of order
    if (row.taken_at > tool.last_at) tool.last_at = row.taken_at;
    changes.set(row.tool_id, tool);
  }
  for (const [key, first] of firstOf) {
    const tool = locked.get(first.tool_id);
    const total = changes.get(first.tool_id);
    if (!fallback.has(key) || !tool || !total) continue;
    // Out of order: the stream after the anchor is recomputed and stored one reading at a time.
    const { change } = await recomputeStream(
      tx,
      tool,
      { kind: 'mounting', mounting_id: first.mounting_id ?? 0 },
      first,
    );
    shotsOf.set(first.id, (shotsOf.get(first.id) ?? 0) + change);
    total.change += change;
  }
  await batch.addToTotals(
    tx,
    [...changes].map(([tool_id, total]) => ({ tool_id, ...total })),
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
