import { api, type CursorPage } from '../../lib/api.ts';

export type ActionStatus = 'open' | 'in_progress' | 'completed' | 'cancelled';
export type ActionPriority = 'low' | 'medium' | 'high' | 'critical';
export type ActionSource = 'failure_report' | 'maintenance_log' | 'pm_plan' | 'quality_alert' | 'manual';
export const actionStatuses: ActionStatus[] = ['open', 'in_progress', 'completed', 'cancelled'];
export const actionPriorities: ActionPriority[] = ['low', 'medium', 'high', 'critical'];
export const actionSources: ActionSource[] = [
  'failure_report',
  'maintenance_log',
  'pm_plan',
  'quality_alert',
  'manual',
];
export const statusTone = {
  open: 'info',
  in_progress: 'warn',
  completed: 'good',
  cancelled: 'neutral',
} as const;
export const priorityTone = { low: 'neutral', medium: 'info', high: 'warn', critical: 'bad' } as const;

/** An action item (server/src/modules/actions/action-item.dto.ts). */
export interface ActionItem {
  id: number;
  site_id: number;
  site_code: string | null;
  title: string;
  description: string | null;
  source: ActionSource;
  source_id: number | null;
  machine_id: number | null;
  machine_code: string | null;
  tool_id: number | null;
  tool_asset_number: string | null;
  priority: ActionPriority;
  assignee_id: number | null;
  assignee_name: string | null;
  due_at: string | null;
  status: ActionStatus;
  resolution: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  escalation_level: number;
  overdue: boolean;
}

export interface ActionEvent {
  id: number;
  at: string;
  actor_user_id: number | null;
  actor_name: string | null;
  kind: 'created' | 'edited' | 'assigned' | 'rescheduled' | 'status' | 'escalated' | 'comment';
  from_value: string | null;
  to_value: string | null;
  note: string | null;
}

export interface ActionDetail extends ActionItem {
  events: ActionEvent[];
  allowed_transitions: ActionStatus[];
  can_manage: boolean;
}

export interface ActionFilter {
  status?: string;
  assignee?: 'mine' | 'none' | number;
  site_id?: number;
  source?: ActionSource;
  machine_id?: number;
  tool_id?: number;
  overdue?: boolean;
}

export interface NewAction {
  site_id?: number;
  title: string;
  description?: string | null;
  priority: ActionPriority;
  assignee_id?: number | null;
  due_at?: string | null;
  machine_id?: number | null;
  tool_id?: number | null;
}

export interface ActionChanges {
  title?: string;
  description?: string | null;
  priority?: ActionPriority;
  assignee_id?: number | null;
  due_at?: string | null;
}

export const actionKeys = {
  all: ['actions'] as const,
  list: (filter: ActionFilter) => ['actions', 'list', filter] as const,
  detail: (id: number) => ['actions', 'detail', id] as const,
};

export const fetchActionPage = (filter: ActionFilter, cursor: string | null, limit = 100) =>
  api.get<CursorPage<ActionItem>>('/action-items', { ...filter, cursor, limit });
export const fetchAction = (id: number) => api.get<ActionDetail>(`/action-items/${id}`);
export const createAction = (input: NewAction) => api.post<ActionDetail>('/action-items', input);
export const updateAction = (id: number, changes: ActionChanges) =>
  api.patch<ActionDetail>(`/action-items/${id}`, changes);
export const moveAction = (id: number, status: ActionStatus, note?: string) =>
  api.post<ActionDetail>(`/action-items/${id}/status`, { status, ...(note ? { note } : {}) });
export const commentAction = (id: number, note: string) =>
  api.post<ActionDetail>(`/action-items/${id}/comments`, { note });

/** How late an open item is, in whole hours or days (null when it is not overdue). */
export function lateness(
  item: Pick<ActionItem, 'due_at' | 'overdue'>,
  now = Date.now(),
): { days: number; hours: number } | null {
  if (!item.overdue || !item.due_at) return null;
  const hours = Math.max(1, Math.floor((now - new Date(item.due_at).getTime()) / 3_600_000));
  return { days: Math.floor(hours / 24), hours };
}
