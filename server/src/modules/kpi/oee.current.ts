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
 * Figures computed a moment ago, per machine and shift start: the live board asks every 30 s per open
 * board, and a shift's OEE barely moves within seconds. Per app instance (never module state), bounded.
 */
export interface ShiftOeeCache {
  get(machineId: number, shiftStart: Date, now: Date): CurrentShiftOee | undefined;
  set(row: CurrentShiftOee, computedAt: Date): void;
}

export function createShiftOeeCache(options: { ttlMs?: number; maxEntries?: number } = {}): ShiftOeeCache {
  const ttlMs = options.ttlMs ?? 20_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<number, { row: CurrentShiftOee; at: number }>();
  return {
    get(machineId, shiftStart, now) {
      const entry = entries.get(machineId);
      const fresh =
        entry &&
        entry.row.shift?.start.getTime() === shiftStart.getTime() &&
        now.getTime() - entry.at >= 0 &&
        now.getTime() - entry.at < ttlMs;
      return fresh ? entry.row : undefined;
    },
    set(row, computedAt) {
      entries.delete(row.machine_id);
      entries.set(row.machine_id, { row, at: computedAt.getTime() });
      // Maps keep insertion order: the first entry is the oldest.
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as number);
    },
  };
}

/**
 * In the caller's transaction (row-level security decides which machines are visible): each visible
 * machine of `machine_ids`, ordered by code, with its OEE in its site's current shift at `now`. With a
 * cache, a site whose visible machines all have fresh figures for this shift is not computed again.
 */
export async function currentShiftOee(
  tx: Tx,
  input: { machine_ids: readonly number[]; now: Date },
  cache?: ShiftOeeCache,
): Promise<CurrentShiftOee[]> {
  if (input.machine_ids.length === 0) return [];
  const machines = await machinesById(tx, input.machine_ids);
  const bySite = new Map<number, OeeMachineRow[]>();
  for (const m of machines) bySite.set(m.site_id, [...(bySite.get(m.site_id) ?? []), m]);
  const result = new Map<number, CurrentShiftOee>();
  for (const [siteId, siteMachines] of bySite) {
    const shift = await currentShiftOf(tx, siteId, input.now);
    if (!shift) continue;
    const cached = siteMachines.map((m) => cache?.get(m.id, shift.start, input.now));
    if (cached.every((row) => row !== undefined)) {
      for (const row of cached) result.set(row.machine_id, row);
      continue;
    }
    const calendar = await siteCalendar(tx, siteId);
    if (!calendar) continue;
    const loaded = await loadOee(tx, {
      machines: siteMachines,
      calendar,
      period: { from: shift.start, to: shift.end },
      now: input.now,
    });
    for (const m of summarise(loaded).machines) {
      const row: CurrentShiftOee = {
        machine_id: m.machine_id,
        oee: m.oee,
        availability: m.availability,
        performance: m.performance,
        quality: m.quality,
        reasons: m.reasons,
        shift: { name: shift.name, start: shift.start, end: shift.end },
      };
      result.set(m.machine_id, row);
      cache?.set(row, input.now);
    }
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
  cache?: ShiftOeeCache,
): Promise<ReadonlyMap<number, BoardOeeFigures | null>> {
  const rows = await currentShiftOee(tx, { machine_ids: machineIds, now: at }, cache);
  return new Map(
    rows.map((r) => [
      r.machine_id,
      { oee: r.oee, availability: r.availability, performance: r.performance, quality: r.quality },
    ]),
  );
}

/** `shiftOeeForBoard` with its own cache (figures at most `ttlMs` old), as modules.ts wires it. */
export function createBoardShiftOee(options: { ttlMs?: number } = {}) {
  const cache = createShiftOeeCache(options);
  return (tx: Tx, machineIds: readonly number[], at: Date) => shiftOeeForBoard(tx, machineIds, at, cache);
}
