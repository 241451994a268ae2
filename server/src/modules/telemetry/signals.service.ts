import type { Tx } from '../../platform/db/database.ts';
import * as signals from './signals.repository.ts';
import {
  SIGNAL_CHANNEL,
  type CountSignal,
  type MachineState,
  type StaleSource,
  type StateChange,
  type StateSignal,
  type StoredCount,
  type MachineRef,
} from './signals.types.ts';

/** Turns a machine's cycle counter into shots of its mounted tool (the tools module's recordMachineCycles). */
export type RecordMachineCycles = (
  tx: Tx,
  input: { machine_id: number; counter_value: number; at: Date },
) => Promise<unknown>;

export interface SignalHooks {
  /** Runs in the same transaction after a state change is stored (automatic downtime). */
  afterState?: (tx: Tx, change: StateChange) => Promise<void>;
  /** Runs in the same transaction after a counter value is stored (automatic downtime, live board). */
  afterCount?: (tx: Tx, count: StoredCount) => Promise<void>;
}

/**
 * The one door through which OPC-UA, MQTT and HTTP put machine states and counters into HOM. Every
 * function works in the caller's transaction, so an adapter acknowledges only after the commit, and
 * re-delivery stores nothing twice (the same state is no change; the same counter instant is stored once).
 */
export function createSignalRecorder(deps: {
  recordMachineCycles: RecordMachineCycles;
  hooks?: SignalHooks;
}) {
  const hooks: SignalHooks = deps.hooks ?? {};

  return {
    /**
     * A state reported at `at`. The open period ends and a new one starts, unless the state is the same
     * (no change) or `at` is before the open period began (a late message: the timeline is not rewritten).
     */
    async recordState(tx: Tx, input: StateSignal): Promise<StateChange | null> {
      const open = await signals.lockOpenState(tx, input.machine_id);
      if (open && (open.state === input.state || input.at < open.started_at)) return null;
      if (open) await signals.closeState(tx, open.id, input.at);
      await signals.openState(tx, {
        site_id: input.site_id,
        machine_id: input.machine_id,
        state: input.state,
        raw_value: input.raw_value,
        source: input.source,
        started_at: input.at,
      });
      const change: StateChange = {
        machine_id: input.machine_id,
        site_id: input.site_id,
        state: input.state,
        previous: open ? { state: open.state as MachineState, started_at: open.started_at } : null,
        at: input.at,
      };
      await signals.notifySignal(tx, SIGNAL_CHANNEL, { type: 'state', ...change });
      if (hooks.afterState) await hooks.afterState(tx, change);
      return change;
    },

    /**
     * A counter value reported at `at`. The increase is counted against the value just before it; a
     * lower value is a reset (the increase is the value itself); the first value ever counts 0. Cycle
     * counts also become shots of the tool mounted then. Null when this instant is already stored.
     */
    async recordCount(tx: Tx, input: CountSignal): Promise<StoredCount | null> {
      const previous = await signals.previousCount(tx, input.machine_id, input.kind, input.at);
      const reset = previous !== null && input.counter_value < previous;
      const delta = previous === null ? 0 : reset ? input.counter_value : input.counter_value - previous;
      const created = await signals.insertCount(tx, {
        site_id: input.site_id,
        machine_id: input.machine_id,
        kind: input.kind,
        counter_value: input.counter_value,
        delta,
        at: input.at,
        source: input.source,
      });
      if (!created) return null;
      if (input.kind === 'cycle') {
        await deps.recordMachineCycles(tx, {
          machine_id: input.machine_id,
          counter_value: input.counter_value,
          at: input.at,
        });
      }
      const stored: StoredCount = {
        machine_id: input.machine_id,
        site_id: input.site_id,
        kind: input.kind,
        counter_value: input.counter_value,
        delta,
        reset,
        at: input.at,
      };
      await signals.notifySignal(tx, SIGNAL_CHANNEL, { type: 'count', ...stored });
      if (hooks.afterCount) await hooks.afterCount(tx, stored);
      return stored;
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
