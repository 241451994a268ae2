import { setTimeout as sleep } from 'node:timers/promises';
import { SYSTEM_SCOPE, type Database, type Tx } from '../../../platform/db/database.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { SignalRecorder } from '../signals.service.ts';
import type { CountKind, MachineRef, MachineState } from '../signals.types.ts';
import type { ConnectionStatus } from './opcua.dto.ts';
import * as connections from './opcua.repository.ts';
import { runsOf, type OtherEntry, type Run } from './opcua.runs.ts';

/** One thing the ingest process writes, in the order it happened for its machine. */
export type IngestEntry =
  | {
      type: 'count';
      machine: MachineRef;
      kind: CountKind;
      counter_value: number;
      at: Date;
      received_at: number;
    }
  | {
      type: 'state';
      machine: MachineRef;
      state: MachineState;
      raw_value: string | null;
      at: Date;
      received_at: number;
    }
  | { type: 'stale'; machine: MachineRef; reason: string; at: Date }
  | { type: 'fresh'; machine: MachineRef; at: Date }
  | {
      type: 'status';
      machine: MachineRef;
      status: ConnectionStatus;
      last_error: string | null;
      at: Date;
      connected: boolean;
    };

/** What a committed batch held, for lag metrics (receipt → commit) and benchmarks. */
export interface CommittedSignal {
  machine_id: number;
  type: 'count' | 'state';
  at: Date;
  received_at: number;
  committed_at: number;
}

export interface LaneOptions {
  db: Pick<Database, 'transaction'>;
  signals: SignalRecorder;
  log: Logger;
  /** Parallel writers; a machine always goes to the same one, so its entries stay in order. */
  lanes: number;
  flushIntervalMs: number;
  maxBatch: number;
  /** Entries held per lane while the database is away; beyond it the oldest data is dropped (logged). */
  maxQueued: number;
  onCommitted?: ((signals: CommittedSignal[]) => void) | undefined;
}

/**
 * Batches what the OPC-UA links report into transactions through the signal recorder. A batch that
 * fails for a lost database is kept and retried; one that fails for a bad entry is replayed entry by
 * entry so the one bad entry is dropped (logged), not the batch.
 *
 * When the database falls behind (more than one batch waiting in a lane), a counter value that has a
 * newer, not lower value of the same machine and kind behind it is replaced by that newer one: the
 * increases add up to the same total (a counter is cumulative), only the time resolution drops, and
 * the lag stays bounded. A lower value (a reset) is never merged; states are never merged.
 */
export function createIngestLanes(options: LaneOptions) {
  const queues = Array.from({ length: options.lanes }, () => [] as IngestEntry[]);
  /** The newest waiting count per machine and kind, while it is still in its queue (not in a batch). */
  const waiting = new Map<string, Extract<IngestEntry, { type: 'count' }>>();
  let stopped = false;
  let abandoned = false;
  let dropped = 0;
  let merged = 0;
  let committed = 0;
  const wakes: ((() => void) | undefined)[] = queues.map(() => undefined);

  const loops = queues.map((queue, lane) => run(queue, lane));

  async function run(queue: IngestEntry[], lane: number): Promise<void> {
    let failures = 0;
    while ((!stopped || queue.length > 0) && !abandoned) {
      if (queue.length === 0) {
        await Promise.race([
          sleep(options.flushIntervalMs),
          new Promise<void>((resolve) => (wakes[lane] = resolve)),
        ]);
        continue;
      }
      const batch = queue.slice(0, options.maxBatch);
      for (const entry of batch)
        if (entry.type === 'count' && waiting.get(countKey(entry)) === entry) waiting.delete(countKey(entry));
      try {
        await writeBatch(batch);
        queue.splice(0, batch.length);
        failures = 0;
      } catch (error) {
        if (isConnectionError(error)) {
          failures += 1;
          options.log.warn(
            { err: error, lane, queued: queue.length },
            'OPC-UA ingest cannot write; retrying',
          );
          if (stopped && failures > 3) return;
          await sleep(Math.min(10_000, 250 * 2 ** Math.min(failures, 6)));
          continue;
        }
        queue.splice(0, batch.length);
        await replayOneByOne(batch);
      }
    }
  }

  async function replayOneByOne(batch: IngestEntry[]): Promise<void> {
    for (const entry of batch) {
      try {
        await writeBatch([entry]);
      } catch (error) {
        dropped += 1;
        options.log.error(
          { err: error, machine_id: entry.machine.machine_id, type: entry.type },
          'OPC-UA entry dropped',
        );
      }
    }
  }

  async function writeBatch(batch: IngestEntry[]): Promise<void> {
    const dataMachines = new Set<number>();
    let latest = 0;
    await options.db.transaction(SYSTEM_SCOPE, async (tx) => {
      for (const run of runsOf(batch)) await writeRun(tx, run);
      for (const entry of batch) {
        if (entry.type === 'count' || entry.type === 'state') {
          dataMachines.add(entry.machine.machine_id);
          latest = Math.max(latest, entry.received_at);
        }
      }
      if (dataMachines.size > 0) await connections.setLastData(tx, [...dataMachines], new Date(latest));
    });
    committed += batch.length;
    if (options.onCommitted) {
      const now = Date.now();
      const signals: CommittedSignal[] = [];
      for (const entry of batch)
        if (entry.type === 'count' || entry.type === 'state')
          signals.push({
            machine_id: entry.machine.machine_id,
            type: entry.type,
            at: entry.at,
            received_at: entry.received_at,
            committed_at: now,
          });
      options.onCommitted(signals);
    }
  }

  /** A run of counts or of states goes to the recorder's batch form (one statement per step). */
  async function writeRun(tx: Tx, run: Run): Promise<void> {
    switch (run.type) {
      case 'count':
        await options.signals.recordCounts(
          tx,
          run.entries.map((entry) => ({
            machine_id: entry.machine.machine_id,
            site_id: entry.machine.site_id,
            kind: entry.kind,
            counter_value: entry.counter_value,
            source: 'opcua',
            at: entry.at,
          })),
        );
        return;
      case 'state':
        await options.signals.recordStates(
          tx,
          run.entries.map((entry) => ({
            machine_id: entry.machine.machine_id,
            site_id: entry.machine.site_id,
            state: entry.state,
            raw_value: entry.raw_value,
            source: 'opcua',
            at: entry.at,
          })),
        );
        return;
      case 'other':
        await writeEntry(tx, run.entry);
        return;
    }
  }

  async function writeEntry(tx: Tx, entry: OtherEntry): Promise<void> {
    const ref = { machine_id: entry.machine.machine_id, site_id: entry.machine.site_id };
    switch (entry.type) {
      case 'stale':
        await options.signals.markStale(tx, { ...ref, source: 'opcua', reason: entry.reason, at: entry.at });
        return;
      case 'fresh':
        await options.signals.markFresh(tx, { ...ref, source: 'opcua', at: entry.at });
        return;
      case 'status':
        await connections.setStatus(tx, [ref.machine_id], {
          status: entry.status,
          last_error: entry.last_error,
          at: entry.at,
          connected: entry.connected,
        });
        return;
    }
  }

  return {
    push(entry: IngestEntry): void {
      if (stopped) return;
      const lane = entry.machine.machine_id % queues.length;
      const queue = queues[lane];
      if (!queue) return;
      if (entry.type === 'count') {
        const key = countKey(entry);
        const newest = waiting.get(key);
        if (
          newest &&
          queue.length > options.maxBatch &&
          entry.counter_value >= newest.counter_value &&
          entry.at >= newest.at
        ) {
          newest.counter_value = entry.counter_value;
          newest.at = entry.at;
          newest.received_at = entry.received_at;
          merged += 1;
          return;
        }
        waiting.set(key, entry);
      }
      queue.push(entry);
      if (queue.length > options.maxQueued) {
        const index = queue.findIndex((item) => item.type === 'count' || item.type === 'state');
        const [gone] = queue.splice(index === -1 ? 0 : index, 1);
        if (gone?.type === 'count' && waiting.get(countKey(gone)) === gone) waiting.delete(countKey(gone));
        dropped += 1;
        if (dropped % 1000 === 1)
          options.log.error({ dropped }, 'OPC-UA ingest queue full: dropping the oldest values');
      }
      if (queue.length >= options.maxBatch) wakes[lane]?.();
    },
    queued: () => queues.reduce((sum, queue) => sum + queue.length, 0),
    stats: () => ({ committed, dropped, merged }),
    /**
     * Writes what is queued for up to `drainMs` (a few tries if the database is away), then stops; what
     * is left is dropped (counters lose nothing: their next value carries the increase).
     */
    async stop(drainMs = 5000): Promise<void> {
      stopped = true;
      for (const wake of wakes) wake?.();
      const timer = setTimeout(() => {
        abandoned = true;
      }, drainMs);
      await Promise.all(loops);
      clearTimeout(timer);
      const left = queues.reduce((sum, queue) => sum + queue.length, 0);
      if (left > 0) options.log.warn({ left }, 'OPC-UA ingest stopped with values not written');
    },
  };
}
export type IngestLanes = ReturnType<typeof createIngestLanes>;

function countKey(entry: { machine: MachineRef; kind: CountKind }): string {
  return `${entry.machine.machine_id}:${entry.kind}`;
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (/^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code)))
    return true;
  const message = error instanceof Error ? error.message : '';
  return /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|pool.*ended/i.test(
    message,
  );
}
