import type { DowntimeInterval, KpiPeriod, KpiReason } from '../kpi.calculations.ts';

const H = 3600;
const at = (iso: string) => new Date(`${iso}Z`);

export function reason(code: string, category_code: string, is_failure: boolean): KpiReason {
  return { code, name: code, name_ru: null, category_code, is_failure };
}

export interface ExampleStop extends DowntimeInterval {
  machine: 'M1' | 'M2';
}

/**
 * The worked example of docs/kpis.md: a line with two machines over one day, asked for the next noon.
 * Reasons are codes of the default catalog (migrations/0004); the API test inserts the same stops.
 */
export const WORKED_EXAMPLE = {
  period: { from: at('2025-03-03T06:00'), to: at('2025-03-04T06:00') } satisfies KpiPeriod,
  now: at('2025-03-04T12:00'),
  machines: 2,
  stops: [
    // A: began before the period; 06:00–07:30 counts.
    {
      machine: 'M1',
      start: at('2025-03-03T04:00'),
      end: at('2025-03-03T07:30'),
      planned: false,
      reason: reason('MECH_BREAKDOWN', 'mechanical', true),
    },
    // B
    {
      machine: 'M2',
      start: at('2025-03-03T10:00'),
      end: at('2025-03-03T12:30'),
      planned: false,
      reason: reason('ELEC_FAULT', 'electrical', true),
    },
    // C: material is not a failure.
    {
      machine: 'M1',
      start: at('2025-03-03T13:00'),
      end: at('2025-03-03T13:30'),
      planned: false,
      reason: reason('MAT_SHORTAGE', 'material', false),
    },
    // D: planned.
    {
      machine: 'M2',
      start: at('2025-03-03T14:00'),
      end: at('2025-03-03T18:00'),
      planned: true,
      reason: reason('PLANNED_MAINTENANCE', 'planned', false),
    },
    // E: still open, no reason yet; 04:00–06:00 counts.
    { machine: 'M1', start: at('2025-03-04T04:00'), end: null, planned: false, reason: null },
    // F: runs past the period's end; 05:00–06:00 counts.
    {
      machine: 'M2',
      start: at('2025-03-04T05:00'),
      end: at('2025-03-04T07:00'),
      planned: false,
      reason: reason('MECH_JAM', 'mechanical', true),
    },
    // G: before the period.
    {
      machine: 'M1',
      start: at('2025-03-02T10:00'),
      end: at('2025-03-02T11:00'),
      planned: false,
      reason: reason('MECH_JAM', 'mechanical', true),
    },
  ] satisfies ExampleStop[],
  expected: {
    planned_seconds: 48 * H,
    downtime: { total_seconds: 11.5 * H, count: 6, planned_seconds: 4 * H, unplanned_seconds: 7.5 * H },
    failures: 4,
    mttr_hours: 1.75,
    mtbf_hours: 10.125,
    availability: 0.84375,
    pareto: [
      ['ELEC_FAULT', 2.5 * H, 1],
      [null, 2 * H, 1],
      ['MECH_BREAKDOWN', 1.5 * H, 1],
      ['MECH_JAM', 1 * H, 1],
      ['MAT_SHORTAGE', 0.5 * H, 1],
    ],
    shares: [1 / 3, 4 / 15, 1 / 5, 2 / 15, 1 / 15],
    cumulative: [1 / 3, 3 / 5, 4 / 5, 14 / 15, 1],
  },
};
