/**
 * Loads what OEE needs for machines of one site over one period, in the caller's transaction: a
 * handful of statements whatever the number of machines (stops, stale periods, mountings, which
 * counters exist, counter increases and verdicts summed per bucket in SQL).
 */
import type { Tx } from '../../platform/db/database.ts';
import { effectiveEnd } from './kpi.calculations.ts';
import {
  indexOutput,
  type Bucket,
  type IdealSegment,
  type IndexedOutput,
  type MachineTime,
} from './oee.calculations.ts';
import { intersect, spanOf, type Span } from './oee.intervals.ts';
import { cutHours, idealSegments } from './oee.output.ts';
import { countCellsByHour, verdictCells } from './oee.cells.repository.ts';
import {
  downtimesOf,
  mountingsOf,
  signalPresence,
  stalePeriodsOf,
  type OeeDowntimeRow,
  type OeeMachineRow,
  type OeeStaleRow,
  type Window,
} from './oee.repository.ts';
import {
  buildBuckets,
  namedWindows,
  plannedSpans,
  type NamedWindows,
  type SiteCalendar,
} from './oee.shifts.ts';

export interface LoadedMachine {
  machine: OeeMachineRow;
  time: MachineTime;
  output: IndexedOutput;
  ideal: IdealSegment[];
  downtimes: OeeDowntimeRow[];
  stale: OeeStaleRow[];
}

export interface LoadedOee {
  period: { from: Date; to: Date; effective_to: Date };
  now: Date;
  calendar: SiteCalendar;
  /** Shift names with their windows in the period; null when the site produces around the clock. */
  named: NamedWindows[] | null;
  /** Planned time of the site in the period (only the asked shift's when one was asked). */
  planned: Span[];
  buckets: Bucket[];
  machines: LoadedMachine[];
}

/** The pieces of one site's period that OEE is computed from (shift: only that shift name's windows). */
export async function loadOee(
  tx: Tx,
  input: {
    machines: readonly OeeMachineRow[];
    calendar: SiteCalendar;
    period: { from: Date; to: Date };
    now: Date;
    shift?: string | undefined;
  },
): Promise<LoadedOee> {
  const { calendar, now } = input;
  const until = effectiveEnd(input.period, now);
  const span: Span = { start: input.period.from.getTime(), end: until.getTime() };
  const named = namedWindows(calendar, span);
  const sitePlanned = plannedSpans(named, span);
  // A shift asked for: only its windows (the service has checked that the calendar names it).
  const planned =
    input.shift === undefined
      ? sitePlanned
      : intersect(sitePlanned, named?.find((n) => n.name === input.shift)?.spans ?? []);
  const buckets = buildBuckets(span, named, calendar.time_zone);
  const w: Window = { machineIds: input.machines.map((m) => m.id), from: input.period.from, until, now };

  const [downtimes, stale, mountings, presence] = await Promise.all([
    downtimesOf(tx, w),
    stalePeriodsOf(tx, w),
    mountingsOf(tx, w),
    signalPresence(tx, w),
  ]);
  const ideal = new Map(
    input.machines.map((m) => [
      m.id,
      idealSegments(
        m.ideal_cycle_seconds,
        mountings.filter((row) => row.machine_id === m.id),
        span,
      ),
    ]),
  );
  const bucketStarts = buckets.slice(1).map((b) => new Date(b.start));
  const idealStarts = [...ideal].flatMap(([machine_id, segments]) =>
    segments.slice(1).map((s) => ({ machine_id, at: new Date(s.start) })),
  );
  // Hours that a bucket or ideal segment starts inside of are read value by value (oee.output.ts).
  const cut = input.machines.flatMap((m) =>
    cutHours(span, [
      ...buckets.slice(1).map((b) => b.start),
      ...(ideal.get(m.id) ?? []).slice(1).map((segment) => segment.start),
    ]).map((hour) => ({ machine_id: m.id, hour: new Date(hour) })),
  );
  const [counts, verdicts] = await Promise.all([
    countCellsByHour(tx, { ...w, bucketStarts, idealStarts, cutHours: cut }),
    verdictCells(tx, { ...w, bucketStarts }),
  ]);

  return {
    period: { from: input.period.from, to: input.period.to, effective_to: until },
    now,
    calendar,
    named,
    planned,
    buckets,
    machines: input.machines.map((machine) => {
      const own = <T extends { machine_id: number }>(rows: readonly T[]) =>
        rows.filter((row) => row.machine_id === machine.id);
      const stops = own(downtimes);
      const has = presence.find((p) => p.machine_id === machine.id);
      const spans = (rows: readonly OeeDowntimeRow[]) => rows.map((d) => spanOf(d.start_at, d.end_at, now));
      return {
        machine,
        time: {
          stale: own(stale).map((s) => spanOf(s.started_at, s.ended_at, now)),
          plannedStops: spans(stops.filter((d) => d.planned)),
          unplannedStops: spans(stops.filter((d) => !d.planned)),
        },
        output: indexOutput({
          ideal: ideal.get(machine.id) ?? [],
          counts: own(counts),
          verdicts: own(verdicts),
          counters: {
            cycle: has?.cycle_counter ?? false,
            good: has?.good_counter ?? false,
            reject: has?.reject_counter ?? false,
          },
          qualitySource: has?.quality_counts ? 'counters' : has?.verdicts ? 'verdicts' : null,
        }),
        ideal: ideal.get(machine.id) ?? [],
        downtimes: stops,
        stale: own(stale),
      };
    }),
  };
}
