import { systemContext } from '../../platform/auth/actor.ts';
import type { Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import { machineRecords } from '../plant/index.ts';
import * as downtimes from './downtime.repository.ts';
import type { StopCause } from './unexplained.dto.ts';
import * as unexplained from './unexplained.repository.ts';

/**
 * Stops HOM records by itself from machine signals (docs/auto-downtime.md). Each function works in
 * the caller's transaction (the signal recorder's, or the periodic check's), attributes its audit
 * entry to the system, and never touches a stop a person recorded except to respect it.
 */
const SYSTEM = systemContext('auto-downtime');

export type { LatestDowntime } from './unexplained.repository.ts';

/** The latest stop of each machine, for deciding where a new automatic stop may begin. */
export const latestDowntimesOf = unexplained.latestDowntimes;

/**
 * Opens an automatic stop without a reason from `start`, unless the machine already has an open stop
 * (automatic or not) or `start` falls inside an earlier stop. Null when nothing was opened.
 */
export async function openAutomaticDowntime(
  tx: Tx,
  input: { machineId: number; siteId: number; start: Date; cause: StopCause },
): Promise<{ id: number } | null> {
  const overlap = await downtimes.overlappingDowntime(tx, input.machineId, input.start, null);
  if (overlap) return null;
  const id = await unexplained.insertOpenAutomatic(tx, {
    site_id: input.siteId,
    machine_id: input.machineId,
    start_at: input.start,
    cause: input.cause,
  });
  if (id === null) return null;
  await machineRecords.setStatus(tx, input.machineId, 'broken');
  await recordChange(tx, SYSTEM, {
    action: 'create',
    entity: 'downtime',
    entityId: id,
    siteId: input.siteId,
    after: { machine_id: input.machineId, start_at: input.start, source: 'automatic', cause: input.cause },
  });
  return { id };
}

/**
 * The machine runs again at `at`: its open automatic stop ends then and the machine is operational.
 * A stop a person recorded stays open (only they end it). Null when no automatic stop was open.
 */
export async function closeAutomaticDowntime(
  tx: Tx,
  machineId: number,
  at: Date,
): Promise<{ id: number; start: Date } | null> {
  const [closed] = await closeAutomaticDowntimes(tx, [{ machineId, at }]);
  return closed ? { id: closed.id, start: closed.start } : null;
}

/**
 * `closeAutomaticDowntime` for many instants in one statement (several per machine allowed): a
 * machine's open automatic stop ends at the first of its instants after the stop began, as if they
 * came one by one in time order. Returns the stops ended, with the instant that ended each.
 */
export async function closeAutomaticDowntimes(
  tx: Tx,
  runs: readonly { machineId: number; at: Date }[],
): Promise<{ machineId: number; id: number; start: Date; end: Date }[]> {
  const closed = await unexplained.closeOpenAutomaticMany(
    tx,
    runs.map((run) => ({ machine_id: run.machineId, at: run.at })),
  );
  for (const stop of closed) {
    await machineRecords.setStatus(tx, stop.machine_id, 'operational');
    await recordChange(tx, SYSTEM, {
      action: 'end',
      entity: 'downtime',
      entityId: stop.id,
      siteId: stop.site_id,
      before: { end_at: null },
      after: { end_at: stop.end_at },
    });
  }
  return closed.map((stop) => ({
    machineId: stop.machine_id,
    id: stop.id,
    start: stop.start_at,
    end: stop.end_at,
  }));
}

/**
 * A stop that already ended before HOM saw it as one (the machine ran again before the periodic check,
 * or the signals arrived late): recorded closed, unless any stop of the machine shares time with it.
 */
export async function recordPastAutomaticDowntime(
  tx: Tx,
  input: { machineId: number; siteId: number; start: Date; end: Date; cause: StopCause },
): Promise<{ id: number } | null> {
  if (input.end.getTime() <= input.start.getTime()) return null;
  const overlap = await downtimes.overlappingDowntime(tx, input.machineId, input.start, input.end);
  if (overlap) return null;
  const id = await downtimes.insertDowntime(tx, {
    site_id: input.siteId,
    machine_id: input.machineId,
    start_at: input.start,
    end_at: input.end,
    planned: false,
    reason_id: null,
    comment: null,
    reported_by: null,
    source: 'automatic',
    cause: input.cause,
  });
  await recordChange(tx, SYSTEM, {
    action: 'create',
    entity: 'downtime',
    entityId: id,
    siteId: input.siteId,
    after: {
      machine_id: input.machineId,
      start_at: input.start,
      end_at: input.end,
      source: 'automatic',
      cause: input.cause,
    },
  });
  return { id };
}
