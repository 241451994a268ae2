/**
 * The events behind one machine's OEE (GET /kpi/oee/drilldown): each stop with the seconds it counted,
 * each stale period with the planned time it removed, counts per local hour, the ideal cycle times
 * used and the verdicts.
 */
import type { Tx } from '../../platform/db/database.ts';
import { machineFigures, viewOf, type OeeFigures, type QualitySource } from './oee.calculations.ts';
import { intersect, seconds, spanOf, subtract, union, type Span } from './oee.intervals.ts';
import type { LoadedMachine, LoadedOee } from './oee.load.ts';
import { countCells } from './oee.cells.repository.ts';
import { staleSpan } from './oee.report.ts';

export interface DrilldownStop {
  id: number;
  start: Date;
  end: Date | null;
  planned: boolean;
  source: string;
  comment: string | null;
  reason: {
    code: string;
    name: string;
    name_ru: string | null;
    category_code: string;
    is_failure: boolean;
  } | null;
  /** Unplanned: seconds of production time it took; planned: planned seconds it removed. */
  counted_seconds: number;
}

export interface HourOfCounts {
  hour: Date;
  cycles: number;
  good: number;
  reject: number;
  ideal_seconds: number;
  /** Left out: the increase covers stale time. */
  excluded_cycles: number;
  /** Not counted: outside the planned time asked for. */
  uncounted_cycles: number;
}

export interface OeeDrilldown {
  machine: { id: number; code: string; name: string; line_id: number };
  period: LoadedOee['period'];
  time_zone: string;
  figures: OeeFigures;
  planned_windows: { start: Date; end: Date }[];
  downtimes: DrilldownStop[];
  stale_periods: {
    source: string;
    reason: string;
    start: Date;
    end: Date | null;
    excluded_seconds: number;
  }[];
  counts_per_hour: HourOfCounts[];
  ideal_times: {
    start: Date;
    end: Date;
    ideal_cycle_seconds: number | null;
    source: 'tool' | 'machine' | null;
    tool: { id: number; code: string } | null;
    cycles: number;
    ideal_seconds: number;
  }[];
  verdicts: { source: QualitySource | null; pass: number; fail: number; no_limit: number; excluded: number };
}

export async function drilldownOf(tx: Tx, loaded: LoadedOee): Promise<OeeDrilldown> {
  const m = loaded.machines[0] as LoadedMachine;
  const view = viewOf(loaded.buckets, loaded.planned);
  const inView = new Set(view.buckets);
  const observed = subtract(loaded.planned, union(m.time.stale));
  const production = subtract(observed, union(m.time.plannedStops));
  const hourly = await countCells(tx, {
    machineIds: [m.machine.id],
    from: loaded.period.from,
    until: loaded.period.effective_to,
    now: loaded.now,
    bucketStarts: loaded.buckets.slice(1).map((b) => new Date(b.start)),
    idealStarts: m.ideal.slice(1).map((s) => ({ machine_id: m.machine.id, at: new Date(s.start) })),
    hourlyIn: loaded.calendar.time_zone,
  });

  const hours = new Map<number, HourOfCounts>();
  const segments = m.ideal.map((s) => ({ ...s, cycles: 0, ideal_seconds: 0 }));
  for (const cell of hourly) {
    const at = cell.hour?.getTime() ?? 0;
    const hour = hours.get(at) ?? {
      hour: new Date(at),
      cycles: 0,
      good: 0,
      reject: 0,
      ideal_seconds: 0,
      excluded_cycles: 0,
      uncounted_cycles: 0,
    };
    hours.set(at, hour);
    if (cell.kind === 'cycle' && cell.excluded) hour.excluded_cycles += cell.delta;
    else if (cell.kind === 'cycle' && !inView.has(cell.bucket)) hour.uncounted_cycles += cell.delta;
    else if (!cell.excluded && inView.has(cell.bucket)) {
      if (cell.kind !== 'cycle') hour[cell.kind] += cell.delta;
      else {
        const segment = segments[cell.ideal];
        const ideal = (segment?.ideal_cycle_seconds ?? 0) * cell.delta;
        hour.cycles += cell.delta;
        hour.ideal_seconds += ideal;
        if (segment) {
          segment.cycles += cell.delta;
          segment.ideal_seconds += ideal;
        }
      }
    }
  }

  const verdicts = { pass: 0, fail: 0, no_limit: 0, excluded: 0 };
  for (const bucket of view.buckets)
    for (const cell of m.output.verdicts.get(bucket) ?? []) {
      if (cell.excluded) verdicts.excluded += cell.pass + cell.fail + cell.no_limit;
      else {
        verdicts.pass += cell.pass;
        verdicts.fail += cell.fail;
        verdicts.no_limit += cell.no_limit;
      }
    }

  const counted = (span: Span, within: Span[]) => seconds(intersect(within, [span]));
  return {
    machine: { id: m.machine.id, code: m.machine.code, name: m.machine.name, line_id: m.machine.line_id },
    period: loaded.period,
    time_zone: loaded.calendar.time_zone,
    figures: machineFigures(m.time, m.output, view),
    planned_windows: loaded.planned.map((s) => ({ start: new Date(s.start), end: new Date(s.end) })),
    downtimes: m.downtimes.map((d) => ({
      id: d.id,
      start: d.start_at,
      end: d.end_at,
      planned: d.planned,
      source: d.source,
      comment: d.comment,
      reason:
        d.reason_code === null
          ? null
          : {
              code: d.reason_code,
              name: d.reason_name ?? d.reason_code,
              name_ru: d.reason_name_ru,
              category_code: d.category_code ?? '',
              is_failure: d.is_failure ?? true,
            },
      counted_seconds: counted(spanOf(d.start_at, d.end_at, loaded.now), d.planned ? observed : production),
    })),
    stale_periods: m.stale.map((s) => ({
      source: s.source,
      reason: s.reason,
      start: s.started_at,
      end: s.ended_at,
      excluded_seconds: counted(staleSpan(s, loaded.now), loaded.planned),
    })),
    counts_per_hour: [...hours.values()].sort((a, b) => a.hour.getTime() - b.hour.getTime()),
    ideal_times: segments.map((s) => ({
      start: new Date(s.start),
      end: new Date(s.end),
      ideal_cycle_seconds: s.ideal_cycle_seconds,
      source: s.source,
      tool: s.tool,
      cycles: s.cycles,
      ideal_seconds: s.ideal_seconds,
    })),
    verdicts: { source: m.output.qualitySource, ...verdicts },
  };
}
