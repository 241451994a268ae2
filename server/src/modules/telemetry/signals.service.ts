import type { Tx } from '../../platform/db/database.ts';
import * as batch from './signals.batch.repository.ts';
import { countKey } from './signals.batch.repository.ts';
import { planCounts, planStates } from './signals.batch.ts';
import * as signals from './signals.repository.ts';
import {
  SIGNAL_CHANNEL,
  type CountSignal,
  type StaleSource,
  type StateChange,
  type StateSignal,
  type StoredCount,
  type MachineRef,
} from './signals.types.ts';

/**
 * Turns machines' cycle counters into shots of their mounted tools (the tools module's batch
 * recordMachineCycles): every stored cycle count of a batch in one call.
 */
export type RecordMachineCycles = (
  tx: Tx,
  inputs: readonly { machine_id: number; counter_value: number; at: Date }[],
) => Promise<unknown>;

export interface SignalHooks {
  /** Runs in the same transaction after a batch's state changes are stored (automatic downtime). */
  afterStates?: (tx: Tx, changes: readonly StateChange[]) => Promise<void>;
  /** Runs in the same transaction after a batch's counter values are stored (automatic downtime). */
  afterCounts?: (tx: Tx, counts: readonly StoredCount[]) => Promise<void>;
}

const isStored = <T>(value: T | null): value is T => value !== null;

/**
 * The one door through which OPC-UA, MQTT and HTTP put machine states and counters into HOM. Every
 * function works in the caller's transaction, so an adapter acknowledges only after the commit, and
 * re-delivery stores nothing twice (the same state is no change; the same counter instant is stored once).
 * States and counts are recorded in batches, one statement per step for the whole batch (signals.batch.ts
 * has the rules); the one-value forms are the batch forms with one value.
 */
export function createSignalRecorder(deps: {
  recordMachineCycles: RecordMachineCycles;
  hooks?: SignalHooks;
}) {
  const hooks: SignalHooks = deps.hooks ?? {};

  /**
   * States reported at their `at`, each machine's in the order given. The open period ends and a new
   * one starts, unless the state is the same (no change) or `at` is before the open period began (a
   * late message: the timeline is not rewritten). Aligned with `inputs`: the change, or null.
   */
  async function recordStates(tx: Tx, inputs: readonly StateSignal[]): Promise<(StateChange | null)[]> {
    if (inputs.length === 0) return [];
    const machineIds = [...new Set(inputs.map((input) => input.machine_id))].sort((a, b) => a - b);
    const plan = planStates(inputs, await batch.lockOpenStates(tx, machineIds));
    await batch.closeStates(tx, plan.closes);
    await batch.insertStates(tx, plan.rows);
    const changes = plan.changes.filter(isStored);
    if (changes.length === 0) return plan.changes;
    await batch.notifySignals(
      tx,
      SIGNAL_CHANNEL,
      changes.map((change) => ({ type: 'state', ...change })),
    );
    if (hooks.afterStates) await hooks.afterStates(tx, changes);
    return plan.changes;
  }

  /**
   * Counter values reported at their `at`. Each increase is counted against the value just before it
   * (stored, or earlier in the batch); a lower value is a reset (the increase is the value itself); the
   * first value ever counts 0. Cycle counts also become shots of the tool mounted then. Aligned with
   * `inputs`: the stored count, or null when this instant is already stored.
   */
  async function recordCounts(tx: Tx, inputs: readonly CountSignal[]): Promise<(StoredCount | null)[]> {
    if (inputs.length === 0) return [];
    const planned = planCounts(inputs, await batch.previousCounts(tx, inputs));
    const inserted = await batch.insertCounts(
      tx,
      planned.filter(isStored).map((plan) => plan.row),
    );
    const results = planned.map((plan) => (plan && inserted.has(countKey(plan.stored)) ? plan.stored : null));
    const stored = results.filter(isStored).sort((a, b) => a.at.getTime() - b.at.getTime());
    if (stored.length === 0) return results;
    const cycles = stored.filter((count) => count.kind === 'cycle');
    if (cycles.length > 0)
      await deps.recordMachineCycles(
        tx,
        cycles.map((count) => ({
          machine_id: count.machine_id,
          counter_value: count.counter_value,
          at: count.at,
        })),
      );
    await batch.notifySignals(
      tx,
      SIGNAL_CHANNEL,
      stored.map((count) => ({ type: 'count', ...count })),
    );
    if (hooks.afterCounts) await hooks.afterCounts(tx, stored);
    return results;
  }

  return {
    recordStates,
    recordCounts,

    /** One state (recordStates with one value): the change, or null (no change, or late). */
    async recordState(tx: Tx, input: StateSignal): Promise<StateChange | null> {
      return (await recordStates(tx, [input]))[0] ?? null;
    },

    /** One counter value (recordCounts with one value): null when this instant is already stored. */
    async recordCount(tx: Tx, input: CountSignal): Promise<StoredCount | null> {
      return (await recordCounts(tx, [input]))[0] ?? null;
    },

    /** A source of a machine went silent or unreachable at `at`; true when this opened a stale period. */
    async markStale(
      tx: Tx,
      input: MachineRef & { source: StaleSource; reason: string; at: Date },
    ): Promise<boolean> {
      const opened = await signals.openStale(tx, {
        site_id: input.site_id,
        machine_id: input.machine_id,
        source: input.source,
        reason: input.reason.slice(0, 500),
        started_at: input.at,
      });
      if (opened) await signals.notifySignal(tx, SIGNAL_CHANNEL, { type: 'stale', stale: true, ...input });
      return opened;
    },

    /** The source delivers again: its open stale period ends at `at`; true when one was open. */
    async markFresh(tx: Tx, input: MachineRef & { source: StaleSource; at: Date }): Promise<boolean> {
      const closed = await signals.closeStale(tx, input.machine_id, input.source, input.at);
      if (closed) await signals.notifySignal(tx, SIGNAL_CHANNEL, { type: 'stale', stale: false, ...input });
      return closed;
    },
  };
}
export type SignalRecorder = ReturnType<typeof createSignalRecorder>;
