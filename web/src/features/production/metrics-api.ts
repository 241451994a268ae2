import { api } from '../../lib/api.ts';
import type { StageStatus, WorkOrderStatus } from './production-api.ts';

/** Why some figures are null: not_started, not_finished, no_planned_window, zero_actual_duration. */
export interface Metrics {
  planned_minutes: number | null;
  actual_minutes: number | null;
  delay_minutes: number | null;
  efficiency_pct: number | null;
  on_time: boolean | null;
  reason: string | null;
}

export interface WorkOrderMetrics extends Metrics {
  work_order_id: number;
  status: WorkOrderStatus;
  stages: (Metrics & { stage_id: number; stage_name: string })[];
}

export interface StageMetrics extends Metrics {
  stage_id: number;
  work_order_id: number;
  status: StageStatus;
}

export interface MetricsSummary {
  finished: number;
  with_windows: number;
  on_time: number;
  on_time_pct: number | null;
  avg_delay_minutes: number | null;
  efficiency_pct: number | null;
}

export interface ProductionMetrics extends MetricsSummary {
  from: string;
  to: string;
  level: 'work_order' | 'stage';
  reason: string | null;
  buckets: (MetricsSummary & { bucket_start: string })[];
}

export interface ProductionMetricsFilter {
  site_id?: number;
  line_id?: number;
  from: string;
  to: string;
  level?: 'work_order' | 'stage';
  bucket?: 'day' | 'week';
}

export const metricsKeys = {
  workOrder: (workOrderId: number) => ['production', 'work-order-metrics', workOrderId] as const,
  production: (filter: ProductionMetricsFilter) => ['production', 'metrics', filter] as const,
};

export const fetchWorkOrderMetrics = (workOrderId: number) =>
  api.get<WorkOrderMetrics>(`/workorders/${workOrderId}/metrics`);
export const fetchProductionMetrics = (filter: ProductionMetricsFilter) =>
  api.get<ProductionMetrics>('/production/metrics', { ...filter });
