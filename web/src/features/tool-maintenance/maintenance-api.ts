import { api, apiUpload, type CursorPage } from '../../lib/api.ts';

export type PmState = 'ok' | 'warning' | 'due' | 'overdue';
export const pmStateTone = { ok: 'good', warning: 'warn', due: 'bad', overdue: 'bad' } as const;

export interface PmPlan {
  id: number;
  site_id: number;
  tool_id: number;
  tool_asset_number: string;
  name: string;
  every_shots: number | null;
  every_days: number | null;
  warn_at_share: number;
  checklist_template_id: number | null;
  checklist_template_name: string | null;
  responsible_user_id: number | null;
  responsible_name: string | null;
  is_active: boolean;
  last_done_at: string;
  shots_at_last_done: number;
  state: PmState;
  share: number;
  shots_since: number;
  days_since: number;
  shots_share: number | null;
  days_share: number | null;
  shots_per_day: number | null;
  next_due_at: string | null;
  due_at_shots: number | null;
  action_item_id: number | null;
}

export interface PmPlanInput {
  name?: string;
  every_shots?: number | null;
  every_days?: number | null;
  warn_at_share?: number;
  checklist_template_id?: number | null;
  responsible_user_id?: number | null;
  is_active?: boolean;
}

export type LogKind = 'pm' | 'repair' | 'inspection' | 'cleaning' | 'other';
export const logKinds: LogKind[] = ['pm', 'repair', 'inspection', 'cleaning', 'other'];
export type CheckResult = 'ok' | 'not_ok' | 'na';

export interface MaintenanceLog {
  id: number;
  tool_id: number | null;
  machine_id: number | null;
  pm_plan_id: number | null;
  pm_plan_name: string | null;
  checklist_template_name: string | null;
  kind: LogKind;
  performed_by: number;
  performed_by_name: string;
  started_at: string;
  duration_minutes: number;
  findings: string | null;
  follow_up_required: boolean;
  follow_up: string | null;
  action_item_id: number | null;
  shots_at: number | null;
  checks: { position: number; item: string; required: boolean; result: CheckResult; note: string | null }[];
  not_ok_count: number;
}

export interface LogInput {
  tool_id?: number;
  machine_id?: number;
  pm_plan_id?: number;
  kind?: LogKind;
  started_at: string;
  duration_minutes: number;
  findings?: string | null;
  follow_up_required: boolean;
  follow_up?: string | null;
  checklist_template_id?: number | null;
  checks: { item_id: number; result: CheckResult; note?: string | null }[];
}

export interface ChecklistItem {
  id: number;
  position: number;
  text: string;
  required: boolean;
}

export interface ChecklistTemplate {
  id: number;
  site_id: number | null;
  name: string;
  description: string | null;
  applies_to: string;
  is_active: boolean;
  items: ChecklistItem[];
  used_by_logs: number;
  used_by_plans: number;
}

export interface TemplateInput {
  site_id?: number | null;
  name?: string;
  description?: string | null;
  applies_to?: string;
  is_active?: boolean;
  items?: { text: string; required: boolean }[];
}

export const appliesToValues = [
  'any',
  'tool',
  'machine',
  'mould',
  'die',
  'fixture',
  'gauge',
  'jig',
  'cutting_tool',
  'other',
];

export const maintenanceKeys = {
  all: ['tool-maintenance'] as const,
  /** Under the tools' key: a shot reading or mounting (which invalidate ['tools']) moves a plan's state. */
  plans: (toolId: number) => ['tools', 'pm-plans', toolId] as const,
  allPlans: ['tools', 'pm-plans'] as const,
  logs: (filter: Record<string, number | undefined>) => ['tool-maintenance', 'logs', filter] as const,
  templates: (siteId: number | null, includeInactive: boolean) =>
    ['tool-maintenance', 'templates', siteId, includeInactive] as const,
};

export const fetchToolPlans = (toolId: number) => api.get<PmPlan[]>(`/tools/${toolId}/pm-plans`);
export const createPlan = (toolId: number, input: PmPlanInput) =>
  api.post<PmPlan>(`/tools/${toolId}/pm-plans`, input);
export const updatePlan = (id: number, input: PmPlanInput) => api.patch<PmPlan>(`/pm-plans/${id}`, input);

export const fetchLogs = (filter: { tool_id?: number; machine_id?: number }, cursor: string | null) =>
  api.get<CursorPage<MaintenanceLog>>('/maintenance-logs', {
    ...filter,
    limit: 20,
    ...(cursor ? { cursor } : {}),
  });
export const createLog = (input: LogInput) => api.post<MaintenanceLog>('/maintenance-logs', input);
export const uploadLogPhoto = (logId: number, file: File) => {
  const form = new FormData();
  form.append('file', file);
  return apiUpload<{ id: number }>(`/maintenance-logs/${logId}/photos`, form);
};

export const fetchTemplates = (siteId: number | null, includeInactive = false) =>
  api.get<ChecklistTemplate[]>('/checklist-templates', {
    ...(siteId ? { site_id: siteId } : {}),
    include_inactive: includeInactive || undefined,
  });
export const fetchTemplate = (id: number) => api.get<ChecklistTemplate>(`/checklist-templates/${id}`);
export const createTemplate = (input: TemplateInput) =>
  api.post<ChecklistTemplate>('/checklist-templates', input);
export const updateTemplate = (id: number, input: TemplateInput) =>
  api.patch<ChecklistTemplate>(`/checklist-templates/${id}`, input);
export const deleteTemplate = (id: number) => api.delete(`/checklist-templates/${id}`);
