import { api } from '../../lib/api.ts';

export type Verdict = 'PASS' | 'FAIL' | 'NO_LIMIT';
export type TileColour = 'green' | 'amber' | 'red' | 'grey';

/** A stored test result, as GET /results lists it and /ws/live pushes it (server resultOutput). */
export interface TestResult {
  id: number;
  site_id: number;
  machine_id: number;
  machine_code: string;
  barcode: string;
  product_id: string;
  test_step: string;
  measured_value: number;
  unit: string | null;
  timestamp: string;
  received_at: string;
  verdict: Verdict;
  lower_limit: number | null;
  upper_limit: number | null;
}

/** GET /quality/machines: one tile per active machine; `machine_id` is its plant code. */
export interface MachineTile {
  machine_key: number;
  machine_id: string;
  machine_name: string;
  site_id: number;
  line_id: number;
  line_code: string;
  last_verdict: Verdict | null;
  last_seen: string | null;
  hour_total: number;
  hour_pass: number;
  hour_fail: number;
  /** PASS ÷ (PASS + FAIL) over the last 60 minutes, 0…1; null when nothing was judged. */
  hour_pass_rate: number | null;
  open_alerts: number;
  colour: TileColour;
}

export interface QualityCounts {
  total_tests: number;
  pass_count: number;
  fail_count: number;
  no_limit_count: number;
  /** 0…1; null when nothing was judged. */
  pass_rate: number | null;
}

export interface QualityMetrics extends QualityCounts {
  from: string;
  to: string;
  buckets?: (QualityCounts & { bucket_start: string })[];
}

export interface TopFailure {
  product_id: string;
  test_step: string;
  fail_count: number;
  total: number;
  fail_rate: number;
}

export interface SpcPoint {
  id: number;
  timestamp: string;
  value: number;
  moving_range: number | null;
  barcode: string;
  verdict: Verdict;
}

/** Why Cp/Cpk are null: too_few_points, no_limits, no_variation. */
export interface SpcChart {
  product_id: string;
  test_step: string;
  points: SpcPoint[];
  n: number;
  mean: number | null;
  mr_bar: number | null;
  sigma: number | null;
  ucl: number | null;
  lcl: number | null;
  mr_ucl: number | null;
  cp: number | null;
  cpk: number | null;
  reason: string | null;
  lower_limit: number | null;
  upper_limit: number | null;
  target: number | null;
  unit: string | null;
}

export interface QualityAlert {
  id: number;
  site_id: number;
  machine_id: number;
  machine_code: string;
  test_step: string;
  /** consecutive_fails or low_pass_rate */
  kind: string;
  message: string;
  raised_at: string;
  cleared_at: string | null;
  acknowledged_by: number | null;
  acknowledged_at: string | null;
}

export interface AlertRuleValues {
  consecutive_fails: number;
  /** A percentage, 0…100. */
  min_pass_rate: number;
  min_sample: number;
}

export interface AlertRule extends AlertRuleValues {
  site_id: number;
  is_default: boolean;
}

export interface UnitTrace {
  barcode: string;
  verdict: Verdict;
  first_seen: string | null;
  last_seen: string | null;
  results: TestResult[];
}

export interface MetricsFilter {
  site_id: number;
  machine_id?: string;
  from: string;
  bucket: 'hour';
}

export interface ResultsFilter {
  site_id: number;
  machine_id?: string;
  limit: number;
}

export interface SpcFilter {
  site_id: number;
  product_id: string;
  test_step: string;
  machine_id?: string;
}

/**
 * Every dashboard query sits under 'quality'; those under 'quality', 'live' follow the stream of
 * results (tiles, pass rates, top failures, control chart, alerts) and are refreshed while it flows.
 */
export const qualityKeys = {
  all: ['quality'] as const,
  live: ['quality', 'live'] as const,
  tiles: (siteId: number) => ['quality', 'live', 'tiles', siteId] as const,
  metrics: (filter: MetricsFilter) => ['quality', 'live', 'metrics', filter] as const,
  topFailures: (siteId: number, machine?: string) =>
    ['quality', 'live', 'top-failures', siteId, machine] as const,
  spc: (filter: SpcFilter) => ['quality', 'live', 'spc', filter] as const,
  alerts: (siteId: number) => ['quality', 'live', 'alerts', siteId] as const,
  resultsAll: ['quality', 'results'] as const,
  results: (filter: ResultsFilter) => ['quality', 'results', filter] as const,
  rule: (siteId: number) => ['quality', 'alert-rule', siteId] as const,
  unit: (barcode: string) => ['quality', 'unit', barcode] as const,
};

export const fetchTiles = (siteId: number) =>
  api.get<MachineTile[]>('/quality/machines', { site_id: siteId });
export const fetchMetrics = (filter: MetricsFilter) =>
  api.get<QualityMetrics>('/quality/metrics', { ...filter });
export const fetchTopFailures = (siteId: number, machine?: string) =>
  api.get<TopFailure[]>('/quality/top-failures', { site_id: siteId, machine_id: machine, limit: 10 });
export const fetchSpc = (filter: SpcFilter) => api.get<SpcChart>('/quality/spc', { ...filter });
export const fetchAlerts = (siteId: number) =>
  api.get<QualityAlert[]>('/quality/alerts', { site_id: siteId, open: 'true' });
export const acknowledgeAlert = (id: number) => api.post<void>(`/quality/alerts/${id}/acknowledge`);
export const fetchAlertRule = (siteId: number) => api.get<AlertRule>(`/quality/alert-rules/${siteId}`);
export const saveAlertRule = (siteId: number, rule: AlertRuleValues) =>
  api.put<AlertRule>(`/quality/alert-rules/${siteId}`, rule);
export const fetchResults = (filter: ResultsFilter) =>
  api.get<{ items: TestResult[]; next_cursor: string | null }>('/results', { ...filter });
export const fetchUnit = (barcode: string) => api.get<UnitTrace>(`/units/${encodeURIComponent(barcode)}`);
