/**
 * OEE of the current shift, for the live machine board: machines are grouped by site, and each site's
 * shift costs one load (a handful of statements) whatever the number of its machines. "Current" is the
 * plant module's `currentShiftOf`, as the board's shift counts use: the shift running now, else the
 * last one that ended; around the clock, the site's local day. Figures are counted up to `now`.
 */
import type { Tx } from '../../platform/db/database.ts';
import { currentShiftOf } from '../plant/index.ts';
import type { OeeReasons } from './oee.calculations.ts';
import { loadOee } from './oee.load.ts';
import { summarise } from './oee.report.ts';
import { machinesById, siteCalendar, type OeeMachineRow } from './oee.repository.ts';

export interface CurrentShiftOee {
  machine_id: number;
  oee: number | null;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  reasons: OeeReasons;
  /** The shift the figures cover (name null: an unnamed shift, or the local day around the clock). */
  shift: { name: string | null; start: Date; end: Date } | null;
}

/** The four figures the board shows per machine. */
export type BoardOeeFigures = Pick<CurrentShiftOee, 'oee' | 'availability' | 'performance' | 'quality'>;

/**
 * In the caller's transaction (row-level security decides which machines are visible): each visible
 * machine of `machine_ids`, ordered by code, with its OEE in its site's current shift at `now`.
 */
export async function currentShiftOee(
  tx: Tx,
  input: { machine_ids: readonly number[]; now: Date },
): Promise<CurrentShiftOee[]> {
  if (input.machine_ids.length === 0) return [];
  const machines = await machinesById(tx, input.machine_ids);
  const bySite = new Map<number, OeeMachineRow[]>();
  for (const m of machines) bySite.set(m.site_id, [...(bySite.get(m.site_id) ?? []), m]);
  const result = new Map<number, CurrentShiftOee>();
  for (const [siteId, siteMachines] of bySite) {
    const [calendar, shift] = [await siteCalendar(tx, siteId), await currentShiftOf(tx, siteId, input.now)];
    if (!calendar || !shift) continue;
    const loaded = await loadOee(tx, {
      machines: siteMachines,
      calendar,
      period: { from: shift.start, to: shift.end },
      now: input.now,
    });
    for (const m of summarise(loaded).machines)
      result.set(m.machine_id, {
        machine_id: m.machine_id,
        oee: m.oee,
        availability: m.availability,
        performance: m.performance,
        quality: m.quality,
        reasons: m.reasons,
        shift: { name: shift.name, start: shift.start, end: shift.end },
      });
  }
  return machines.flatMap((m) => result.get(m.id) ?? []);
}

/**
 * The live board's `ShiftOee` (telemetry board.service.ts): the same figures as a map by machine id,
 * in the board's transaction. A machine left out (not visible) maps to nothing.
 */
export async function shiftOeeForBoard(
  tx: Tx,
  machineIds: readonly number[],
  at: Date,
): Promise<ReadonlyMap<number, BoardOeeFigures | null>> {
  const rows = await currentShiftOee(tx, { machine_ids: machineIds, now: at });
  return new Map(
    rows.map((r) => [
      r.machine_id,
      { oee: r.oee, availability: r.availability, performance: r.performance, quality: r.quality },
    ]),
  );
}
