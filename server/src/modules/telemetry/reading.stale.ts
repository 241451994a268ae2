import { SYSTEM_SCOPE, type Database, type Tx } from '../../platform/db/database.ts';
import * as stale from './reading.stale.repository.ts';
import { createSignalRecorder, type SignalRecorder } from './signals.service.ts';

export type StaleMarker = Pick<SignalRecorder, 'markStale' | 'markFresh'>;

/** Stale periods only: readings never record counters, so nothing here turns cycles into shots. */
export function readingStaleMarker(): StaleMarker {
  return createSignalRecorder({
    recordMachineCycles: () => Promise.reject(new Error('readings record no counters')),
  });
}

const defaultMarker = readingStaleMarker();

/**
 * Watches readings for silence (docs/readings.md, "Stale readings"): a machine whose watched reading
 * type (configured stale_after_seconds, or the default rule) sent nothing for longer than its limit gets
 * a stale period of source 'readings', starting at that type's last reading; once no watched type is
 * overdue and readings arrived after the period began, it ends when the last watched type resumed.
 * `machineIds` limits the check (the writer asks for the machines it just stored readings of).
 */
export async function checkStaleReadings(
  db: Pick<Database, 'transaction'>,
  now: Date = new Date(),
  options: { machineIds?: readonly number[]; signals?: StaleMarker } = {},
): Promise<{ opened: number; closed: number }> {
  const signals = options.signals ?? defaultMarker;
  return db.transaction(SYSTEM_SCOPE, async (tx) => {
    const pairs = await stale.watchedPairs(tx, now, options.machineIds);
    const open = new Map(
      (await stale.openStaleOfReadings(tx, options.machineIds)).map((row) => [row.machine_id, row]),
    );
    const overdue = new Map<number, { site_id: number; types: string[]; since: Date }>();
    for (const pair of pairs) {
      if (pair.limit_seconds === null || pair.last_at === null) continue;
      if (now.getTime() - pair.last_at.getTime() <= pair.limit_seconds * 1000) continue;
      const machine = overdue.get(pair.machine_id);
      if (!machine)
        overdue.set(pair.machine_id, {
          site_id: pair.site_id,
          types: [pair.reading_type],
          since: pair.last_at,
        });
      else {
        machine.types.push(pair.reading_type);
        if (pair.last_at < machine.since) machine.since = pair.last_at;
      }
    }
    let opened = 0;
    let closed = 0;
    for (const [machineId, machine] of overdue) {
      if (open.has(machineId)) continue;
      // A period never starts before the previous one ended (another type may have gone quiet earlier).
      const previousEnd = await stale.lastStaleEnd(tx, machineId);
      const at = previousEnd && previousEnd > machine.since ? previousEnd : machine.since;
      const types = machine.types.sort().join(', ');
      const marked = await signals.markStale(tx, {
        machine_id: machineId,
        site_id: machine.site_id,
        source: 'readings',
        reason: `no ${types} reading since ${machine.since.toISOString()}`,
        at,
      });
      if (marked) opened += 1;
    }
    for (const [machineId, period] of open) {
      if (overdue.has(machineId)) continue;
      // Fresh again when the last watched type to resume did: the latest of each type's first new
      // reading (types not watched count only when no watched one resumed, e.g. after a long silence).
      const resumed =
        (await resumedAt(tx, pairs, machineId, period.started_at, true)) ??
        (await resumedAt(tx, pairs, machineId, period.started_at, false));
      if (!resumed) continue;
      const fresh = await signals.markFresh(tx, {
        machine_id: machineId,
        site_id: period.site_id,
        source: 'readings',
        at: resumed,
      });
      if (fresh) closed += 1;
    }
    return { opened, closed };
  });
}

async function resumedAt(
  tx: Tx,
  pairs: readonly stale.WatchedPair[],
  machineId: number,
  since: Date,
  watchedOnly: boolean,
): Promise<Date | null> {
  let resumed: Date | null = null;
  for (const pair of pairs) {
    if (pair.machine_id !== machineId || !pair.last_at || pair.last_at <= since) continue;
    if (watchedOnly && pair.limit_seconds === null) continue;
    const first = await stale.firstReadingAfter(tx, machineId, pair.reading_type, since);
    if (first && (!resumed || first > resumed)) resumed = first;
  }
  return resumed;
}
