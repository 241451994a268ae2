import { countKey, type CountRow, type StateRow } from './signals.batch.repository.ts';
import type { CountSignal, MachineState, StateChange, StateSignal, StoredCount } from './signals.types.ts';

/**
 * The signal recorder's rules for a batch, pure (tests/signals-batch.test.ts runs them against the
 * database through the recorder). The database work is one statement per step (signals.service.ts).
 */

export interface PlannedCount {
  row: CountRow;
  stored: StoredCount;
}

/**
 * The increase of each counter value against the value just before it: the stored one (`previous`,
 * aligned with `inputs`) or a value earlier in the same batch, whichever is later. Each (machine,
 * kind) is taken in time order; a lower value is a reset (the increase is the value itself); the first
 * value ever counts 0. The same (machine, kind, instant) twice in a batch: the first counts. Aligned
 * with `inputs`; null for such a repeat.
 */
export function planCounts(
  inputs: readonly CountSignal[],
  previous: readonly ({ counter_value: number; at: Date } | null)[],
): (PlannedCount | null)[] {
  const planned: (PlannedCount | null)[] = inputs.map(() => null);
  const order = inputs
    .map((input, index) => ({ input, index }))
    .sort(
      (a, b) =>
        a.input.machine_id - b.input.machine_id ||
        a.input.kind.localeCompare(b.input.kind) ||
        a.input.at.getTime() - b.input.at.getTime() ||
        a.index - b.index,
    );
  const seen = new Set<string>();
  let last: { group: string; counter_value: number; at: Date } | null = null;
  for (const { input, index } of order) {
    const key = countKey(input);
    if (seen.has(key)) continue;
    seen.add(key);
    const group = `${input.machine_id}|${input.kind}`;
    const stored = previous[index] ?? null;
    const batch = last && last.group === group ? last : null;
    const before =
      batch && (!stored || batch.at > stored.at) ? batch.counter_value : (stored?.counter_value ?? null);
    const reset = before !== null && input.counter_value < before;
    const delta = before === null ? 0 : reset ? input.counter_value : input.counter_value - before;
    planned[index] = {
      row: {
        site_id: input.site_id,
        machine_id: input.machine_id,
        kind: input.kind,
        counter_value: input.counter_value,
        delta,
        at: input.at,
        source: input.source,
      },
      stored: {
        machine_id: input.machine_id,
        site_id: input.site_id,
        kind: input.kind,
        counter_value: input.counter_value,
        delta,
        reset,
        at: input.at,
      },
    };
    last = { group, counter_value: input.counter_value, at: input.at };
  }
  return planned;
}

export interface StatePlan {
  /** Open periods stored before the batch that end now. */
  closes: { id: number; at: Date }[];
  /** New periods; those that a later state of the batch ended carry their end. */
  rows: StateRow[];
  /** Aligned with the inputs: the change each made, or null (no change, or late). */
  changes: (StateChange | null)[];
}

interface OpenPeriod {
  state: MachineState;
  started_at: Date;
  stored: { id: number } | null;
  row: StateRow | null;
}

/**
 * The state timeline of a batch, each machine's states in the order given: the open period ends and a
 * new one starts, unless the state is the same (no change) or earlier than the open period's start (a
 * late message: the timeline is not rewritten).
 */
export function planStates(
  inputs: readonly StateSignal[],
  open: readonly { id: number; machine_id: number; state: string; started_at: Date }[],
): StatePlan {
  const current = new Map<number, OpenPeriod>();
  for (const row of open)
    current.set(row.machine_id, {
      state: row.state as MachineState,
      started_at: row.started_at,
      stored: { id: row.id },
      row: null,
    });
  const plan: StatePlan = { closes: [], rows: [], changes: [] };
  for (const input of inputs) {
    const period = current.get(input.machine_id);
    if (period && (period.state === input.state || input.at < period.started_at)) {
      plan.changes.push(null);
      continue;
    }
    if (period?.stored) plan.closes.push({ id: period.stored.id, at: input.at });
    if (period?.row) period.row.ended_at = input.at;
    const row: StateRow = {
      site_id: input.site_id,
      machine_id: input.machine_id,
      state: input.state,
      raw_value: input.raw_value,
      source: input.source,
      started_at: input.at,
      ended_at: null,
    };
    plan.rows.push(row);
    current.set(input.machine_id, { state: input.state, started_at: input.at, stored: null, row });
    plan.changes.push({
      machine_id: input.machine_id,
      site_id: input.site_id,
      state: input.state,
      previous: period ? { state: period.state, started_at: period.started_at } : null,
      at: input.at,
    });
  }
  return plan;
}
