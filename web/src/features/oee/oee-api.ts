import { api } from '../../lib/api.ts';

export type OeeScope = { site_id: number } | { line_id: number } | { machine_id: number };
export type Factor = 'availability' | 'performance' | 'quality';
export const FACTORS: Factor[] = ['availability', 'performance', 'quality'];

export interface OeeFigures {
  oee: number | null;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  reasons: Record<'oee' | Factor, string | null>;
  planned_seconds: number;
  excluded_seconds: number;
  planned_stop_seconds: number;
  production_seconds: number;
  unplanned_downtime_seconds: number;
  run_seconds: number;
  cycles: number;
  ideal_seconds: number;
  cycles_without_ideal_time: number;
  excluded_cycles: number;
  quality_source: 'counters' | 'verdicts' | 'mixed' | null;
  good: number;
  total: number;
}

export interface OeeReport extends OeeFigures {
  scope: { kind: 'site' | 'line' | 'machine'; id: number };
  period: { from: string; to: string; effective_to: string };
  time_zone: string;
  around_the_clock: boolean;
  shift: string | null;
  excluded: { source: string; reason: string; seconds: number; machines: number }[];
  machines: (OeeFigures & { machine_id: number; code: string; name: string; line_id: number })[];
  shifts: (OeeFigures & { name: string })[];
  days: (OeeFigures & { day: string })[];
  notes: string[];
}

export interface OeeDrilldown {
  machine: { id: number; code: string; name: string; line_id: number };
  period: { from: string; to: string; effective_to: string };
  time_zone: string;
  figures: OeeFigures;
  planned_windows: { start: string; end: string }[];
  downtimes: {
    id: number;
    start: string;
    end: string | null;
    planned: boolean;
    source: string;
    comment: string | null;
    reason: { code: string; name: string; name_ru: string | null; category_code: string } | null;
    counted_seconds: number;
  }[];
  stale_periods: {
    source: string;
    reason: string;
    start: string;
    end: string | null;
    excluded_seconds: number;
  }[];
  counts_per_hour: {
    hour: string;
    cycles: number;
    good: number;
    reject: number;
    ideal_seconds: number;
    excluded_cycles: number;
    uncounted_cycles: number;
  }[];
  ideal_times: {
    start: string;
    end: string;
    ideal_cycle_seconds: number | null;
    source: 'tool' | 'machine' | null;
    tool: { id: number; code: string } | null;
    cycles: number;
    ideal_seconds: number;
  }[];
  verdicts: {
    source: 'counters' | 'verdicts' | null;
    pass: number;
    fail: number;
    no_limit: number;
    excluded: number;
  };
}

export interface Period {
  from: string;
  to: string;
}

/** The longest period the drill-down lists (days). */
export const DRILLDOWN_MAX_DAYS = 31;

export const oeeKeys = {
  all: ['oee'] as const,
  report: (scope: OeeScope, period: Period, shift: string) =>
    ['oee', 'report', scope, period, shift] as const,
  drilldown: (machineId: number, period: Period, shift: string) =>
    ['oee', 'drilldown', machineId, period, shift] as const,
};

export const fetchOee = (scope: OeeScope, period: Period, shift: string) =>
  api.get<OeeReport>('/kpi/oee', { ...scope, ...period, shift: shift || undefined });

export const fetchDrilldown = (machineId: number, period: Period, shift: string) =>
  api.get<OeeDrilldown>('/kpi/oee/drilldown', {
    machine_id: machineId,
    ...period,
    shift: shift || undefined,
  });

/** The server's reasons for a null figure, as translation keys (other texts are shown as they come). */
export const REASON_KEYS: Record<string, string> = {
  'no planned production time in the period': 'oee.reasons.noPlannedTime',
  'all planned time was excluded as stale data': 'oee.reasons.allStale',
  'planned stops filled the planned time': 'oee.reasons.allPlannedStops',
  'no run time (the machine was down all of its production time)': 'oee.reasons.noRunTime',
  'no cycle counter': 'oee.reasons.noCycleCounter',
  'no ideal cycle time (neither the machine nor the mounted tool has one)': 'oee.reasons.noIdealTime',
  'good counts but no reject counter': 'oee.reasons.noRejectCounter',
  'reject counts but no good counter': 'oee.reasons.noGoodCounter',
  'no parts counted': 'oee.reasons.noPartsCounted',
  'no good/reject counts or test verdicts': 'oee.reasons.noQualityData',
  'no PASS/FAIL test verdicts': 'oee.reasons.noVerdicts',
  'no machines': 'oee.reasons.noMachines',
};

/** Notes of the server that do not vary, as translation keys (the others are shown as they come). */
export const NOTE_KEYS: Record<string, string> = {
  'the period ends after now: it is counted up to now': 'oee.notesText.countedToNow',
  'the period has not started yet': 'oee.notesText.notStarted',
  'quality adds good/reject counters of some machines and test verdicts of others':
    'oee.notesText.mixedQuality',
};

export type PeriodPreset = 'today' | 'yesterday' | 'last7' | 'last30' | 'custom';
export const PERIOD_PRESETS: PeriodPreset[] = ['today', 'yesterday', 'last7', 'last30', 'custom'];

const DAY_MS = 86_400_000;

/** A local calendar day "2025-03-03" as the instant of its midnight in the browser's zone. */
export function dayStart(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1);
}

export function localDay(at: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** [from, to) of a preset (whole local days), or of the custom days chosen (to inclusive). */
export function periodOf(
  preset: PeriodPreset,
  custom: { from: string; to: string },
  now = new Date(),
): Period {
  const today = dayStart(localDay(now));
  const daysBack = (days: number) => new Date(today.getTime() - days * DAY_MS);
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  switch (preset) {
    case 'today':
      return { from: today.toISOString(), to: tomorrow.toISOString() };
    case 'yesterday':
      return { from: daysBack(1).toISOString(), to: today.toISOString() };
    case 'last7':
      return { from: daysBack(6).toISOString(), to: tomorrow.toISOString() };
    case 'last30':
      return { from: daysBack(29).toISOString(), to: tomorrow.toISOString() };
    case 'custom': {
      const end = dayStart(custom.to);
      return {
        from: dayStart(custom.from).toISOString(),
        to: new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1).toISOString(),
      };
    }
  }
}

export function periodDays(period: Period): number {
  return (Date.parse(period.to) - Date.parse(period.from)) / DAY_MS;
}
