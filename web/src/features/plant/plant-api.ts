import { api } from '../../lib/api.ts';

export type LineStatus = 'working' | 'maintenance' | 'stopped';
export type MachineStatus = 'operational' | 'broken' | 'maintenance';
export type Criticality = 'A' | 'B' | 'C';

export const lineStatuses: LineStatus[] = ['working', 'maintenance', 'stopped'];
export const machineStatuses: MachineStatus[] = ['operational', 'broken', 'maintenance'];
export const criticalities: Criticality[] = ['A', 'B', 'C'];

export interface PlantLine {
  id: number;
  site_id: number;
  code: string;
  name: string;
  description: string | null;
  status: LineStatus;
  notes: string | null;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface PlantMachine {
  id: number;
  site_id: number;
  line_id: number;
  code: string;
  name: string;
  asset_number: string | null;
  serial_number: string | null;
  manufacturer: string | null;
  model: string | null;
  machine_type: string | null;
  status: MachineStatus;
  criticality: Criticality;
  commissioned_on: string | null;
  notes: string | null;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface LineInput {
  site_id?: number;
  code?: string;
  name?: string;
  description?: string | null;
  status?: LineStatus;
  notes?: string | null;
  is_active?: boolean;
}

export type MachineInput = Partial<Omit<PlantMachine, 'id' | 'site_id' | 'created_at' | 'updated_at'>>;

export interface LineFilter {
  site_id?: number;
  include_inactive?: boolean;
}

export interface MachineFilter {
  site_id?: number;
  line_id?: number;
  status?: MachineStatus;
  search?: string;
  include_inactive?: boolean;
}

export interface ImportSummary {
  lines_created: number;
  machines_created: number;
  lines_updated: number;
  machines_updated: number;
}

export const plantKeys = {
  all: ['plant'] as const,
  lines: (filter: LineFilter) => ['plant', 'lines', filter] as const,
  line: (id: number) => ['plant', 'line', id] as const,
  machines: (filter: MachineFilter) => ['plant', 'machines', filter] as const,
  machine: (id: number) => ['plant', 'machine', id] as const,
};

export const fetchLines = (filter: LineFilter = {}) => api.get<PlantLine[]>('/lines', { ...filter });
export const fetchLine = (id: number) => api.get<PlantLine>(`/lines/${id}`);
export const createLine = (line: LineInput) => api.post<PlantLine>('/lines', line);
export const updateLine = (id: number, changes: LineInput) => api.patch<PlantLine>(`/lines/${id}`, changes);

export const fetchMachines = (filter: MachineFilter = {}) =>
  api.get<PlantMachine[]>('/machines', { ...filter });
export const fetchMachine = (id: number) => api.get<PlantMachine>(`/machines/${id}`);
export const createMachine = (machine: MachineInput) => api.post<PlantMachine>('/machines', machine);
export const updateMachine = (id: number, changes: MachineInput) =>
  api.patch<PlantMachine>(`/machines/${id}`, changes);

export const lineStatusTone = { working: 'good', maintenance: 'warn', stopped: 'bad' } as const;
export const machineStatusTone = { operational: 'good', maintenance: 'warn', broken: 'bad' } as const;
