import { SYSTEM_SCOPE, type Database, type Tx } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import {
  closeAutomaticDowntime,
  closeAutomaticDowntimes,
  latestDowntimesOf,
  openAutomaticDowntime,
  recordPastAutomaticDowntime,
  type LatestDowntime,
  type StopCause,
} from '../maintenance/index.ts';
import { plannedWindowsOf } from '../plant/index.ts';
import * as repo from './auto-downtime.repository.ts';
import {
  clipToPlanned,
  isStopState,
  noCycleLimit,
  proposeStop,
  type ProposedStop,
} from './auto-downtime.rules.ts';
import type { SignalHooks } from './signals.service.ts';
import type { StateChange, StoredCount } from './signals.types.ts';

const later = (a: Date, b: Date | null | undefined): Date => (b && b.getTime() > a.getTime() ? b : a);
const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

/**
 * A stop [start, end) that lasted its limit, counted against the site's planned time (no downtime
 * outside the shift calendar) and only from when HOM last heard the machine: nothing is decided while
 * a signal source is stale, and a stop that went through a stale period counts from its end (what
 * happened while the source was silent is unknown). Null when it does not count.
 */
async function countableStop(
  tx: Tx,
  machine: { id: number; site_id: number },
  stopStart: Date,
  end: Date,
  limitSeconds: number,
): Promise<{ start: Date; end: Date } | null> {
  if (seconds(stopStart, end) < limitSeconds) return null;
  const stale = await repo.staleDuring(tx, machine.id, stopStart, end);
  if (stale.open) return null;
  const start = later(stopStart, stale.last_end);
  if (seconds(start, end) < limitSeconds) return null;
  const windows = await plannedWindowsOf(tx, machine.site_id, start, end);
  return clipToPlanned(start, end, windows, limitSeconds);
}

/** A state stop that already ended when HOM first sees it is long enough (the check did not catch it). */
async function recordEndedStateStop(tx: Tx, change: StateChange, cause: StopCause): Promise<void> {
  const previous = change.previous;
  if (!previous) return;
  const settings = await repo.stopSettingsOf(tx, change.machine_id);
  if (!settings) return;
  const runStart = await repo.stopRunStartOf(tx, change.machine_id, previous.started_at);
  const start = later(runStart, await repo.lastCycleBefore(tx, change.machine_id, change.at));
  const stop = await countableStop(
    tx,
    { id: change.machine_id, site_id: change.site_id },
    start,
    change.at,
    settings.stop_threshold_seconds,
  );
  if (stop)
    await recordPastAutomaticDowntime(tx, {
      machineId: change.machine_id,
      siteId: change.site_id,
      ...stop,
      cause,
    });
}

/** The no-cycle stop that a gap before a cycle was, or null. Cheap on the common path (a short gap). */
async function noCycleStopOf(
  tx: Tx,
  count: StoredCount,
  gap: repo.CycleGap | undefined,
): Promise<{ start: Date; end: Date } | null> {
  if (!gap || gap.ideal_cycle_seconds === null || gap.stopped_between) return null;
  return countableStop(
    tx,
    { id: count.machine_id, site_id: count.site_id },
    gap.previous_at,
    count.at,
    noCycleLimit(gap.no_cycle_factor, gap.ideal_cycle_seconds),
  );
}

/** The gap before this cycle, when it was a no-cycle stop: the stop to record, or null. */
async function endedNoCycleStop(tx: Tx, count: StoredCount): Promise<{ start: Date; end: Date } | null> {
  return noCycleStopOf(tx, count, await repo.cycleGapBefore(tx, count.machine_id, count.at));
}

/** The run that ended each machine's automatic stop: its machine and instant. */
const endedBy = (closed: readonly { machineId: number; end: Date }[]) => {
  const keys = new Set(closed.map((stop) => `${stop.machineId}|${stop.end.getTime()}`));
  return (run: { machine_id: number; at: Date }) => keys.has(`${run.machine_id}|${run.at.getTime()}`);
};

/**
 * The signal recorder's hooks (they run in the adapters' transactions, once per batch): the machine
 * runs again when its state becomes running or a cycle counts, which ends its open automatic stop at
 * that instant (for a batch: the first such instant after the stop began, one statement for all
 * machines). A stop a person recorded is never ended here. A stop that already ended before the
 * periodic check saw it (or whose signals arrived late) is recorded closed, so the rules hold to the
 * second.
 */
export function createAutoDowntimeHooks(): Required<SignalHooks> {
  return {
    async afterStates(tx, changes) {
      const running = changes.filter((change) => change.state === 'running');
      if (running.length === 0) return;
      await repo.lockMachinesSignals(
        tx,
        running.map((change) => change.machine_id),
      );
      const closedBy = endedBy(
        await closeAutomaticDowntimes(
          tx,
          running.map((change) => ({ machineId: change.machine_id, at: change.at })),
        ),
      );
      for (const change of running) {
        const previous = change.previous?.state;
        if (!closedBy(change) && isStopState(previous)) await recordEndedStateStop(tx, change, previous);
      }
    },
    async afterCounts(tx, counts) {
      const cycles = counts.filter((count) => count.kind === 'cycle' && count.delta > 0);
      if (cycles.length === 0) return;
      const closedBy = endedBy(
        await closeAutomaticDowntimes(
          tx,
          cycles.map((count) => ({ machineId: count.machine_id, at: count.at })),
        ),
      );
      const rest = cycles.filter((count) => !closedBy(count));
      const gaps = await repo.cycleGapsBefore(tx, rest);
      for (const [index, count] of rest.entries()) {
        // Cycles are frequent: the machine's lock is taken only when the gap before this cycle was a
        // stop (then the periodic check may be opening it right now, and the two must not both write).
        if (!(await noCycleStopOf(tx, count, gaps[index]))) continue;
        await repo.lockMachineSignals(tx, count.machine_id);
        if (await closeAutomaticDowntime(tx, count.machine_id, count.at)) continue;
        const stop = await endedNoCycleStop(tx, count);
        if (stop)
          await recordPastAutomaticDowntime(tx, {
            machineId: count.machine_id,
            siteId: count.site_id,
            ...stop,
            cause: 'no_cycle',
          });
      }
    },
  };
}

function stillToOpen(proposal: ProposedStop, latest: LatestDowntime | undefined, now: Date): Date | null {
  if (latest && latest.end_at === null) return null; // already down (automatic or recorded by a person)
  const start = later(proposal.start, latest?.end_at);
  return seconds(start, now) >= proposal.limit_seconds ? start : null;
}

/** Re-decides one machine under its lock and opens its automatic stop; true when one was opened. */
async function openIfStillStopped(db: Pick<Database, 'transaction'>, machineId: number, now: Date) {
  return db.transaction(SYSTEM_SCOPE, async (tx) => {
    await repo.lockMachineSignals(tx, machineId);
    const [candidate] = await repo.stopCandidates(tx, now, machineId);
    const proposal = candidate ? proposeStop(candidate) : null;
    if (!candidate || !proposal) return false;
    const [latest] = await latestDowntimesOf(tx, [machineId]);
    const start = stillToOpen(proposal, latest, now);
    if (!start) return false;
    const stop = await countableStop(
      tx,
      { id: machineId, site_id: candidate.site_id },
      start,
      now,
      proposal.limit_seconds,
    );
    if (!stop) return false;
    const opened = await openAutomaticDowntime(tx, {
      machineId,
      siteId: candidate.site_id,
      start: stop.start,
      cause: proposal.cause,
    });
    return opened !== null;
  });
}

export interface StopCheckResult {
  /** Machines found stopped past their limit with no open stop. */
  candidates: number;
  opened: number;
  failed: number;
}

/**
 * The periodic check (every ~10 s in the worker): opens an automatic stop, from when the stop began,
 * for each machine that is stopped longer than its threshold or has had no cycle for factor × its
 * ideal cycle time, unless the machine already has an open stop. Safe to run in several processes at
 * once: each machine is decided again under its advisory lock, and one open stop per machine is a
 * unique index.
 */
export async function checkAutomaticStops(
  db: Pick<Database, 'transaction'>,
  now: Date = new Date(),
  log?: Pick<Logger, 'warn'>,
): Promise<StopCheckResult> {
  const machineIds = await db.transaction(SYSTEM_SCOPE, async (tx) => {
    const proposals = (await repo.stopCandidates(tx, now)).flatMap((candidate) => {
      const proposal = proposeStop(candidate);
      return proposal && seconds(proposal.start, now) >= proposal.limit_seconds
        ? [{ machineId: candidate.machine_id, proposal }]
        : [];
    });
    const latest = new Map(
      (
        await latestDowntimesOf(
          tx,
          proposals.map((p) => p.machineId),
        )
      ).map((row) => [row.machine_id, row]),
    );
    return proposals
      .filter((p) => stillToOpen(p.proposal, latest.get(p.machineId), now))
      .map((p) => p.machineId);
  });
  const result: StopCheckResult = { candidates: machineIds.length, opened: 0, failed: 0 };
  for (const machineId of machineIds) {
    try {
      if (await openIfStillStopped(db, machineId, now)) result.opened += 1;
    } catch (error) {
      result.failed += 1;
      log?.warn({ err: error, machine_id: machineId }, 'automatic downtime check failed for a machine');
    }
  }
  return result;
}
