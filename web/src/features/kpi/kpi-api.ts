import { api } from '../../lib/api.ts';

export type KpiScope = { site_id: number } | { line_id: number } | { machine_id: number };

export interface ParetoEntry {
  reason: { code: string; name: string; name_ru: string | null; category_code: string } | null;
  seconds: number;
  count: number;
  share: number;
  cumulative_share: number;
}

export interface Kpis {
  planned_seconds: number;
  downtime: { total_seconds: number; count: number; planned_seconds: number; unplanned_seconds: number };
  failures: number;
  mttr_hours: number | null;
  mtbf_hours: number | null;
  availability: number | null;
  notes: string[];
  pareto: ParetoEntry[];
}

const DAY_MS = 24 * 3600 * 1000;

/** [from, to) of the last `days` days ending now, `offset` periods back. */
export function lastDays(days: number, offset = 0, now = Date.now()) {
  const to = now - offset * days * DAY_MS;
  return { from: new Date(to - days * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

export const kpiKeys = {
  all: ['kpis'] as const,
  scope: (scope: KpiScope, from: string, to: string) => ['kpis', scope, from, to] as const,
};

export const fetchKpis = (scope: KpiScope, from: string, to: string) =>
  api.get<Kpis>('/kpis', { ...scope, from, to });
