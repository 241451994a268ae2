import { api } from '../../lib/api.ts';

export interface Downtime {
  id: number;
  site_id: number;
  machine_id: number;
  machine_code: string;
  line_id: number;
  start_datetime: string;
  end_datetime: string | null;
  duration_seconds: number;
  planned: boolean;
  reason_id: number | null;
  reason_code: string | null;
  reason_name: string | null;
  comment: string | null;
  source: string;
  reported_by: number | null;
  repair_ids: number[];
  created_at: string;
  updated_at: string;
}

export interface DowntimePage {
  items: Downtime[];
  next_cursor: string | null;
}

export interface DowntimeFilter {
  site_id?: number;
  line_id?: number;
  machine_id?: number;
  open?: boolean;
  planned?: boolean;
  reason_id?: number;
  unexplained?: boolean;
  from?: string;
  to?: string;
  cursor?: string | null;
  limit?: number;
}

export interface DowntimeInput {
  machine_id?: number;
  start_datetime?: string;
  end_datetime?: string | null;
  planned?: boolean;
  reason_id?: number | null;
  comment?: string | null;
}

export const downtimeKeys = {
  all: ['downtimes'] as const,
  list: (filter: DowntimeFilter) => ['downtimes', filter] as const,
  one: (id: number) => ['downtimes', 'one', id] as const,
};

export const fetchDowntimes = (filter: DowntimeFilter) => api.get<DowntimePage>('/downtimes', { ...filter });
export const fetchDowntime = (id: number) => api.get<Downtime>(`/downtimes/${id}`);
export const startDowntime = (input: DowntimeInput) => api.post<Downtime>('/downtimes', input);
export const updateDowntime = (id: number, changes: DowntimeInput) =>
  api.patch<Downtime>(`/downtimes/${id}`, changes);
export const endDowntime = (id: number, endDatetime?: string) =>
  api.post<Downtime>(`/downtimes/${id}/end`, endDatetime ? { end_datetime: endDatetime } : {});
