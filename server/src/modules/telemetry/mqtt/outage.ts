import { SYSTEM_SCOPE, type Database } from '../../../platform/db/database.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { SignalRecorder } from '../signals.service.ts';
import type { MachineRef } from '../signals.types.ts';

/** A broker away longer than this marks its machines stale (a quick reconnect is no outage). */
export const OUTAGE_GRACE_MS = 15_000;
/** Machines that sent anything over MQTT this recently count as fed by it. */
const RECENT_MS = 3_600_000;

/**
 * While the broker is unreachable, the machines MQTT fed in the last hour are stale (source `mqtt`,
 * with the reason), from the moment the connection dropped; when HOM is connected again their stale
 * periods end. The machine board and OEE read these periods (docs/mqtt.md "Outages").
 */
export function createOutageWatch(deps: {
  db: Pick<Database, 'transaction'>;
  signals: Pick<SignalRecorder, 'markStale' | 'markFresh'>;
  log: Logger;
  /** The broker as logs may show it (no credentials). */
  broker: string;
  graceMs?: number | undefined;
}) {
  const graceMs = deps.graceMs ?? OUTAGE_GRACE_MS;
  const fed = new Map<number, { ref: MachineRef; at: number }>();
  let lostAt: Date | null = null;
  let timer: NodeJS.Timeout | undefined;
  let marked: MachineRef[] = [];
  let marking: Promise<void> = Promise.resolve();

  async function markStale(since: Date, reason: string): Promise<void> {
    const cutoff = Date.now() - RECENT_MS;
    const machines = [...fed.values()].filter((m) => m.at >= cutoff).map((m) => m.ref);
    if (machines.length === 0) return;
    await deps.db.transaction(SYSTEM_SCOPE, async (tx) => {
      for (const ref of machines)
        await deps.signals.markStale(tx, { ...ref, source: 'mqtt', reason, at: since });
    });
    marked = machines;
    deps.log.warn({ machines: machines.length, broker: deps.broker }, 'MQTT machines marked stale');
  }

  async function markFresh(at: Date): Promise<void> {
    const machines = marked;
    if (machines.length === 0) return;
    await deps.db.transaction(SYSTEM_SCOPE, async (tx) => {
      for (const ref of machines) await deps.signals.markFresh(tx, { ...ref, source: 'mqtt', at });
    });
    marked = [];
  }

  /** Runs one marking after the one before, logging (not throwing) a database that is away too. */
  function enqueue(work: () => Promise<void>): void {
    marking = marking
      .then(work)
      .catch((error: unknown) => deps.log.error({ err: error }, 'MQTT outage: could not mark machines'));
  }

  return {
    /** Machines a batch came from (resolved from its topics). */
    fed(machines: readonly MachineRef[]): void {
      const now = Date.now();
      for (const ref of machines) fed.set(ref.machine_id, { ref, at: now });
    },

    /** The connection dropped (or a reconnect failed); `why` is the last error, if any. */
    lost(why: () => string | null): void {
      if (lostAt) return;
      const since = new Date();
      lostAt = since;
      timer = setTimeout(() => {
        timer = undefined;
        const detail = why();
        const reason = `MQTT broker ${deps.broker} unreachable since ${since.toISOString()}${detail ? `: ${detail}` : ''}`;
        enqueue(() => markStale(since, reason));
      }, graceMs);
      timer.unref();
    },

    /** Connected again: the stale periods of the outage end now. */
    connected(): void {
      clearTimeout(timer);
      timer = undefined;
      if (!lostAt) return;
      lostAt = null;
      const at = new Date();
      enqueue(() => markFresh(at));
    },

    /** Stopping HOM is no outage: nothing is marked after this. */
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await marking;
    },
  };
}
export type OutageWatch = ReturnType<typeof createOutageWatch>;
