import { api } from '../../lib/api.ts';

export type RepairType = 'scheduled' | 'unscheduled';
export type RepairStatus = 'open' | 'in_progress' | 'closed';
export const repairTypes: RepairType[] = ['unscheduled', 'scheduled'];
export const repairStatuses: RepairStatus[] = ['open', 'in_progress', 'closed'];
export const repairStatusTone = { open: 'bad', in_progress: 'warn', closed: 'good' } as const;

export interface Repair {
  id: number;
  site_id: number;
  machine_id: number;
  machine_code: string;
  line_id: number;
  repair_type: RepairType;
  status: RepairStatus;
  start_datetime: string;
  end_datetime: string | null;
  duration_seconds: number | null;
  description: string;
  failure_code_id: number | null;
  failure_code: string | null;
  failure_name: string | null;
  actions_taken: string | null;
  cost: number | null;
  downtime_id: number | null;
  technicians: { id: number; username: string; full_name: string | null }[];
  parts: { id: number; part: string; quantity: number }[];
  created_by: number | null;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface RepairInput {
  machine_id?: number;
  repair_type?: RepairType;
  status?: RepairStatus;
  start_datetime?: string;
  end_datetime?: string | null;
  description?: string;
  failure_code_id?: number | null;
  actions_taken?: string | null;
  technician_ids?: number[];
  parts?: { part: string; quantity: number }[];
  cost?: number | null;
  downtime_id?: number | null;
}

export interface RepairFilter {
  site_id?: string;
  line_id?: string;
  machine_id?: string;
  status?: string;
  repair_type?: string;
  from?: string;
  to?: string;
  q?: string;
}

export const emptyRepairFilter: RepairFilter = {};

export const repairKeys = {
  all: ['repairs'] as const,
  list: (filter: RepairFilter) => ['repairs', 'list', filter] as const,
  one: (id: number) => ['repairs', 'one', id] as const,
};

export const fetchRepairPage = (filter: RepairFilter, cursor: string | null) =>
  api.get<{ items: Repair[]; next_cursor: string | null }>('/repairs', { ...filter, cursor, limit: 50 });
export const fetchRepair = (id: number) => api.get<Repair>(`/repairs/${id}`);
export const createRepair = (input: RepairInput) => api.post<Repair>('/repairs', input);
export const updateRepair = (id: number, changes: RepairInput) =>
  api.patch<Repair>(`/repairs/${id}`, changes);
