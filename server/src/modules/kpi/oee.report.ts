/**
 * Turns what `loadOee` loaded into the answer of GET /kpi/oee: the scope's figures, each machine's,
 * each shift's and each local day's, the stale time left out, and notes that explain nulls.
 */
import { NOTES } from './kpi.calculations.ts';
import { aggregateFigures, machineFigures, viewOf, type OeeFigures } from './oee.calculations.ts';
import { intersect, seconds, type Span } from './oee.intervals.ts';
import type { LoadedMachine, LoadedOee } from './oee.load.ts';
import { localDays } from './oee.shifts.ts';

export interface OeeExclusion {
  source: string;
  reason: string;
  /** Planned time left out, summed over the machines it affected. */
  seconds: number;
  machines: number;
}

export interface MachineOee extends OeeFigures {
  machine_id: number;
  code: string;
  name: string;
  line_id: number;
}

export interface OeeParts {
  /** The period's figures per shift name (empty when the site produces around the clock). */
  shifts: (OeeFigures & { name: string })[];
  /** Per local day of the site. */
  days: (OeeFigures & { day: string })[];
}

export interface OeeSummary extends OeeFigures {
  period: LoadedOee['period'];
  time_zone: string;
  around_the_clock: boolean;
  excluded: OeeExclusion[];
  machines: MachineOee[];
  notes: string[];
}

/** Figures of every machine over planned spans `spans`, and their sum. */
export function figuresOver(loaded: LoadedOee, spans: Span[]): { total: OeeFigures; machines: OeeFigures[] } {
  const view = viewOf(loaded.buckets, spans);
  const machines = loaded.machines.map((m) => machineFigures(m.time, m.output, view));
  return { total: aggregateFigures(machines), machines };
}

export function summarise(loaded: LoadedOee): OeeSummary {
  const { total, machines } = figuresOver(loaded, loaded.planned);
  return {
    ...total,
    period: loaded.period,
    time_zone: loaded.calendar.time_zone,
    around_the_clock: loaded.named === null,
    excluded: exclusions(loaded),
    machines: loaded.machines.map((m, i) => ({
      machine_id: m.machine.id,
      code: m.machine.code,
      name: m.machine.name,
      line_id: m.machine.line_id,
      ...(machines[i] as OeeFigures),
    })),
    notes: notesOf(loaded, total, machines),
  };
}

export function partsOf(loaded: LoadedOee, shift: string | undefined): OeeParts {
  const named = (loaded.named ?? []).filter((n) => shift === undefined || n.name === shift);
  return {
    shifts: named.map((n) => ({
      name: n.name,
      ...figuresOver(loaded, intersect(loaded.planned, n.spans)).total,
    })),
    days: localDays(
      { start: loaded.period.from.getTime(), end: loaded.period.effective_to.getTime() },
      loaded.calendar.time_zone,
    ).flatMap(({ day, span }) => {
      const spans = intersect(loaded.planned, [span]);
      return spans.length === 0 ? [] : [{ day, ...figuresOver(loaded, spans).total }];
    }),
  };
}

/** Planned time inside stale periods, per source and reason. */
export function exclusions(loaded: LoadedOee): OeeExclusion[] {
  const byCause = new Map<string, OeeExclusion & { machineIds: Set<number> }>();
  for (const m of loaded.machines) {
    for (const stale of m.stale) {
      const left = seconds(intersect(loaded.planned, [staleSpan(stale, loaded.now)]));
      if (left <= 0) continue;
      const key = `${stale.source}\u0000${stale.reason}`;
      const entry = byCause.get(key) ?? {
        source: stale.source,
        reason: stale.reason,
        seconds: 0,
        machines: 0,
        machineIds: new Set<number>(),
      };
      entry.seconds += left;
      entry.machineIds.add(m.machine.id);
      byCause.set(key, entry);
    }
  }
  return [...byCause.values()]
    .map(({ machineIds, ...entry }) => ({ ...entry, machines: machineIds.size }))
    .sort((a, b) => b.seconds - a.seconds);
}

export function staleSpan(stale: LoadedMachine['stale'][number], now: Date): Span {
  return { start: stale.started_at.getTime(), end: (stale.ended_at ?? now).getTime() };
}

/** "00:42" from seconds (hours may exceed 24). */
export function hoursMinutes(value: number): string {
  const minutes = Math.round(value / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function notesOf(loaded: LoadedOee, total: OeeFigures, machines: OeeFigures[]): string[] {
  const notes: string[] = [];
  const { from, to } = loaded.period;
  if (from.getTime() >= loaded.now.getTime()) notes.push(NOTES.notStarted);
  else if (to.getTime() > loaded.now.getTime()) notes.push(NOTES.countedToNow);
  for (const e of exclusions(loaded))
    notes.push(`excluded: ${hoursMinutes(e.seconds)} stale (${e.source}: ${e.reason})`);
  const named = (pick: (f: OeeFigures) => unknown, reason: (f: OeeFigures) => string | null) => {
    const out = machines.flatMap((f, i) =>
      pick(f) === null ? [`${loaded.machines[i]?.machine.code} (${reason(f)})`] : [],
    );
    return out.length > 0 && out.length < machines.length ? out : [];
  };
  const noPerformance = named(
    (f) => f.performance,
    (f) => f.reasons.performance,
  );
  if (noPerformance.length > 0)
    notes.push(
      `performance covers ${machines.length - noPerformance.length} of ${machines.length} machines; left out: ${noPerformance.join(', ')}`,
    );
  const noQuality = named(
    (f) => f.quality,
    (f) => f.reasons.quality,
  );
  if (noQuality.length > 0)
    notes.push(
      `quality covers ${machines.length - noQuality.length} of ${machines.length} machines; left out: ${noQuality.join(', ')}`,
    );
  const fast = machines.flatMap((f, i) =>
    f.performance !== null && f.performance > 1 ? [loaded.machines[i]?.machine.code] : [],
  );
  if (fast.length > 0)
    notes.push(
      `performance above 100 % (${fast.join(', ')}): the ideal cycle time is probably too long; the figure is shown as measured, not capped`,
    );
  const uncounted = uncountedCycles(loaded);
  if (uncounted > 0) notes.push(`${uncounted} cycles outside the planned time asked for are not counted`);
  if (total.quality_source === 'mixed')
    notes.push('quality adds good/reject counters of some machines and test verdicts of others');
  return notes;
}

/** Cycles counted in buckets outside the planned time asked for (other shifts, no shift at all). */
function uncountedCycles(loaded: LoadedOee): number {
  const inPlanned = new Set(viewOf(loaded.buckets, loaded.planned).buckets);
  let count = 0;
  for (const m of loaded.machines)
    for (const [bucket, cells] of m.output.counts)
      if (!inPlanned.has(bucket))
        for (const cell of cells) if (cell.kind === 'cycle' && !cell.excluded) count += cell.delta;
  return count;
}
