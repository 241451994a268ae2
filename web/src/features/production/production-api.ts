import { api, apiCursorPage } from '../../lib/api.ts';

export type WorkOrderStatus = 'planned' | 'in_progress' | 'done';
export type StageStatus = 'planned' | 'in_progress' | 'done';
export const workOrderStatuses: WorkOrderStatus[] = ['planned', 'in_progress', 'done'];
export const progressTone = { planned: 'neutral', in_progress: 'info', done: 'good' } as const;

/** What the server answers for a work order (server/src/modules/production/production.dto.ts). */
export interface WorkOrder {
  id: number;
  site_id: number;
  line_id: number | null;
  line_code: string | null;
  product_code: string;
  lot_no: string;
  qty: number;
  planned_start: string;
  planned_end: string;
  actual_start: string | null;
  actual_end: string | null;
  status: WorkOrderStatus;
  stage_count: number;
  stages_done: number;
  open_issues: number;
  notes: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface Assignee {
  user_id: number;
  username: string;
  full_name: string | null;
}

export interface Stage {
  id: number;
  work_order_id: number;
  site_id: number;
  position: number;
  stage_name: string;
  machine_id: number | null;
  machine_code: string | null;
  planned_start: string | null;
  planned_end: string | null;
  actual_start: string | null;
  actual_end: string | null;
  status: StageStatus;
  started_by: number | null;
  finished_by: number | null;
  assignees: Assignee[];
  open_issues: number;
  product_code: string;
  lot_no: string;
  qty: number;
}

export interface WorkOrderInput {
  product_code?: string;
  lot_no?: string;
  qty?: number;
  planned_start?: string;
  planned_end?: string;
  site_id?: number;
  line_id?: number | null;
  notes?: string | null;
}

export interface StageChanges {
  stage_name?: string;
  planned_start?: string | null;
  planned_end?: string | null;
  machine_id?: number | null;
}

export interface WorkOrderFilter {
  site_id?: number;
  line_id?: number;
  status?: WorkOrderStatus;
  from?: string;
  to?: string;
  q?: string;
}

/** Every production query sits under 'production', so one invalidation refreshes them all. */
export const productionKeys = {
  all: ['production'] as const,
  workOrders: (filter: WorkOrderFilter) => ['production', 'work-orders', filter] as const,
  workOrder: (id: number) => ['production', 'work-order', id] as const,
  stages: (workOrderId: number) => ['production', 'stages', workOrderId] as const,
  myStages: (date: string | null) => ['production', 'my-stages', date] as const,
};

export const fetchWorkOrderPage = (filter: WorkOrderFilter, cursor: string | null) =>
  apiCursorPage<WorkOrder>('/workorders/', { ...filter, cursor, limit: 30 });
export const fetchWorkOrder = (id: number) => api.get<WorkOrder>(`/workorders/${id}`);
export const createWorkOrder = (input: WorkOrderInput) => api.post<WorkOrder>('/workorders/', input);
export const updateWorkOrder = (id: number, changes: WorkOrderInput) =>
  api.patch<WorkOrder>(`/workorders/${id}`, changes);
export const deleteWorkOrder = (id: number) => api.delete(`/workorders/${id}`);

export const fetchStages = (workOrderId: number) => api.get<Stage[]>(`/workorders/${workOrderId}/stages`);
export const fetchMyStages = (date: string | null) => api.get<Stage[]>('/stages/mine', { date });
export const updateStage = (id: number, changes: StageChanges) => api.patch<Stage>(`/stages/${id}`, changes);
export const startStage = (id: number) => api.post<Stage>(`/stages/${id}/start`, {});
export const finishStage = (id: number) => api.post<Stage>(`/stages/${id}/done`, {});

export const assignToStage = (stageId: number, userId: number) =>
  api.post<Assignee[]>(`/stages/${stageId}/assignments`, { user_id: userId });
export const unassignFromStage = (stageId: number, userId: number) =>
  api.delete(`/stages/${stageId}/assignments/${userId}`);

/** True once any stage has started: the work order can no longer be deleted. */
export const hasStarted = (workOrder: WorkOrder) =>
  workOrder.status !== 'planned' || workOrder.actual_start !== null;
