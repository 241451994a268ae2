import { api, type CursorPage } from '../../lib/api.ts';
import type { Downtime } from '../downtime/downtime-api.ts';

/** What made HOM open the stop: the machine's state then, or no cycle for too long. */
export type StopCause = 'stopped' | 'fault' | 'idle' | 'setup' | 'no_cycle';

export interface UnexplainedStop {
  id: number;
  site_id: number;
  machine_id: number;
  machine_code: string;
  machine_name: string;
  line_id: number;
  start_datetime: string;
  end_datetime: string | null;
  duration_seconds: number;
  open: boolean;
  cause: StopCause | null;
  planned: boolean;
  comment: string | null;
  split_from_id: number | null;
}

export interface UnexplainedFilter {
  site_id?: number;
  line_id?: number;
  machine_id?: number;
}

export interface SplitPartInput {
  until?: string;
  reason_id: number | null;
  comment?: string | null;
}

export interface MicroStopSummary {
  from: string;
  to: string;
  count: number;
  total_seconds: number;
  machines: {
    machine_id: number;
    machine_code: string;
    machine_name: string;
    count: number;
    total_seconds: number;
    threshold_seconds: number;
  }[];
}

export const unexplainedKeys = {
  all: ['unexplained-stops'] as const,
  list: (filter: UnexplainedFilter) => ['unexplained-stops', filter] as const,
  microStops: (siteId: number | undefined, from: string) =>
    ['unexplained-stops', 'micro-stops', siteId ?? null, from] as const,
};

export const fetchUnexplained = (filter: UnexplainedFilter, cursor: string | null) =>
  api.get<CursorPage<UnexplainedStop>>('/downtimes/unexplained', {
    ...filter,
    ...(cursor ? { cursor } : {}),
    limit: 50,
  });

export const explainStop = (id: number, input: { reason_id: number; comment?: string | null }) =>
  api.post<Downtime>(`/downtimes/${id}/explain`, input);

export const splitStop = (id: number, parts: SplitPartInput[]) =>
  api.post<{ parts: Downtime[] }>(`/downtimes/${id}/split`, { parts });

export const fetchMicroStops = (siteId: number | undefined, from: string) =>
  api.get<MicroStopSummary>('/micro-stops', { ...(siteId ? { site_id: siteId } : {}), from });

/** The start of today on the reader's clock, as ISO 8601. */
export function startOfToday(): string {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.toISOString();
}
