import { api, apiUpload, apiRaw, type CursorPage } from '../../lib/api.ts';

export type ToolKind = 'mould' | 'die' | 'fixture' | 'gauge' | 'jig' | 'cutting_tool' | 'other';
export type ToolStatus = 'active' | 'maintenance' | 'retired';
export type PhotoAngle = 'front' | 'rear' | 'core' | 'cavity' | 'other';
export const toolKinds: ToolKind[] = ['mould', 'die', 'fixture', 'gauge', 'jig', 'cutting_tool', 'other'];
export const toolStatuses: ToolStatus[] = ['active', 'maintenance', 'retired'];
export const photoAngles: PhotoAngle[] = ['front', 'rear', 'core', 'cavity', 'other'];
export const toolStatusTone = { active: 'good', maintenance: 'warn', retired: 'neutral' } as const;

export interface Tool {
  id: number;
  site_id: number;
  asset_number: string;
  name: string;
  kind: ToolKind;
  manufacturer: string | null;
  cavity_count: number;
  status: ToolStatus;
  storage_location: string | null;
  life_limit_shots: number | null;
  counter_max: number | null;
  /** Seconds per cycle at full speed (OEE, no-cycle stops); null: the machine's applies. */
  ideal_cycle_seconds: number | null;
  notes: string | null;
  total_shots: number;
  life_used_percent: number | null;
  near_life_limit: boolean;
  last_reading_at: string | null;
  mounted: {
    mounting_id: number;
    machine_id: number;
    machine_code: string;
    machine_name: string;
    position: string;
    mounted_at: string;
  } | null;
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ToolInput {
  site_id?: number;
  asset_number?: string;
  name?: string;
  kind?: ToolKind;
  manufacturer?: string | null;
  cavity_count?: number;
  status?: 'active' | 'maintenance';
  storage_location?: string | null;
  life_limit_shots?: number | null;
  counter_max?: number | null;
  ideal_cycle_seconds?: number | null;
  notes?: string | null;
}

export interface ToolFilter {
  site_id?: string;
  kind?: string;
  status?: string;
  q?: string;
  near_limit?: string;
}

export interface Mounting {
  id: number;
  tool_id: number;
  tool_asset_number: string;
  machine_id: number;
  machine_code: string;
  machine_name: string;
  position: string;
  mounted_at: string;
  removed_at: string | null;
}

export interface ShotReading {
  id: number;
  taken_at: string;
  source: 'manual' | 'csv' | 'machine';
  kind: 'counter' | 'delta';
  counter_value: number | null;
  shots: number | null;
  delta: number;
  is_reset: boolean;
  is_rollover: boolean;
  note: string | null;
}

export interface ShotsSummary {
  tool_id: number;
  total_shots: number;
  life_limit_shots: number | null;
  life_used_percent: number | null;
  shots_per_day: number;
  shots_last_30_days: number;
  readings: ShotReading[];
  daily: { date: string; shots: number; cumulative: number }[];
}

export interface ToolPhoto {
  id: number;
  tag: string | null;
  original_name: string;
  url: string;
  thumbnail_url: string | null;
  created_at: string;
}

export type ShotReadingInput =
  | { kind: 'counter'; counter_value: number; taken_at?: string; note?: string | null }
  | { kind: 'delta'; shots: number; taken_at?: string; note?: string | null };

export const toolKeys = {
  all: ['tools'] as const,
  list: (filter: ToolFilter) => ['tools', 'list', filter] as const,
  one: (id: number) => ['tools', 'one', id] as const,
  mountings: (id: number) => ['tools', 'mountings', id] as const,
  shots: (id: number) => ['tools', 'shots', id] as const,
  photos: (id: number) => ['tools', 'photos', id] as const,
};

const clean = (filter: ToolFilter) =>
  Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined && value !== ''));

export const fetchToolPage = (filter: ToolFilter, cursor: string | null) =>
  api.get<CursorPage<Tool>>('/tools', { ...clean(filter), ...(cursor ? { cursor } : {}) });
export const fetchTool = (id: number) => api.get<Tool>(`/tools/${id}`);
export const createTool = (input: ToolInput) => api.post<Tool>('/tools', input);
export const updateTool = (id: number, input: ToolInput) => api.patch<Tool>(`/tools/${id}`, input);
export const retireTool = (id: number) => api.post<Tool>(`/tools/${id}/retire`);
export const fetchMountings = (id: number) => api.get<Mounting[]>(`/tools/${id}/mountings`);
export const mountTool = (id: number, input: { machine_id: number; position: string; at?: string }) =>
  api.post<Mounting>(`/tools/${id}/mount`, input);
export const unmountTool = (id: number, input: { at?: string }) =>
  api.post<Mounting>(`/tools/${id}/unmount`, input);
export const fetchShots = (id: number) => api.get<ShotsSummary>(`/tools/${id}/shots`);
export const recordShots = (id: number, input: ShotReadingInput) =>
  api.post<{ reading: ShotReading; created: boolean; total_shots: number }>(`/tools/${id}/shots`, input);
export const fetchPhotos = (id: number) => api.get<ToolPhoto[]>(`/tools/${id}/photos`);

export function uploadPhoto(id: number, angle: PhotoAngle, file: File, onProgress?: (share: number) => void) {
  const form = new FormData();
  form.append('angle', angle);
  form.append('file', file, file.name);
  return apiUpload<ToolPhoto>(`/tools/${id}/photos`, form, onProgress);
}

export async function importShotsCsv(siteId: number | undefined, file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await apiRaw('POST', `/tools/shots/import${siteId ? `?site_id=${siteId}` : ''}`, form);
  return (await response.json()) as { rows: number; created: number; duplicates: number; tools: number };
}
