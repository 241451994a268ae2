import { useQuery } from '@tanstack/react-query';
import { api, apiCursorPage } from '../../lib/api.ts';
import { localName } from '../../lib/format.ts';

export type IssueStatus = 'open' | 'acknowledged' | 'resolved';
export const issueStatuses: IssueStatus[] = ['open', 'acknowledged', 'resolved'];
export const issueStatusTone = { open: 'bad', acknowledged: 'warn', resolved: 'good' } as const;

/** A problem a worker raised on a stage (server/src/modules/production/production.dto.ts). */
export interface ProductionIssue {
  id: number;
  site_id: number;
  work_order_stage_id: number;
  work_order_id: number;
  stage_name: string;
  product_code: string;
  lot_no: string;
  type: string;
  description: string;
  status: IssueStatus;
  machine_id: number | null;
  downtime_id: number | null;
  created_by: number | null;
  created_by_name: string | null;
  created_at: string;
  acknowledged_by: number | null;
  acknowledged_at: string | null;
  resolved_by: number | null;
  resolved_at: string | null;
  resolution_note: string | null;
}

export interface IssueType {
  code: string;
  name: string;
  name_ru: string | null;
  is_active: boolean;
  sort_order: number;
}

export interface IssueTypeInput {
  code?: string;
  name?: string;
  name_ru?: string | null;
  is_active?: boolean;
  sort_order?: number;
}

export interface IssueFilter {
  site_id?: number;
  status?: IssueStatus;
  type?: string;
  work_order_id?: number;
}

export const issueKeys = {
  list: (filter: IssueFilter) => ['production', 'issues', filter] as const,
  workOrder: (workOrderId: number) => ['production', 'work-order-issues', workOrderId] as const,
  types: (includeInactive: boolean) => ['production', 'issue-types', includeInactive] as const,
  typesAll: ['production', 'issue-types'] as const,
};

export const fetchIssuePage = (filter: IssueFilter, cursor: string | null) =>
  apiCursorPage<ProductionIssue>('/issues', { ...filter, cursor, limit: 50 });
export const fetchWorkOrderIssues = (workOrderId: number) =>
  api.get<ProductionIssue[]>(`/workorders/${workOrderId}/issues`);
export const raiseIssue = (stageId: number, input: { type: string; description: string }) =>
  api.post<ProductionIssue>(`/stages/${stageId}/issue`, input);
export const updateIssue = (
  issue: ProductionIssue,
  change: { status: 'acknowledged' | 'resolved'; note?: string },
) => api.patch<ProductionIssue>(`/stages/${issue.work_order_stage_id}/issues/${issue.id}`, change);

export const fetchIssueTypes = (includeInactive = false) =>
  api.get<IssueType[]>('/issue-types', { include_inactive: includeInactive || undefined });
export const createIssueType = (input: IssueTypeInput) => api.post<IssueType>('/issue-types', input);
export const updateIssueType = (code: string, changes: IssueTypeInput) =>
  api.patch<IssueType>(`/issue-types/${encodeURIComponent(code)}`, changes);

/** Every issue type (retired ones too, so old issues keep their names) and a label lookup. */
export function useIssueTypes() {
  const types = useQuery({ queryKey: issueKeys.types(true), queryFn: () => fetchIssueTypes(true) });
  const label = (code: string) => {
    const type = types.data?.find((entry) => entry.code === code);
    return type ? localName(type.name, type.name_ru) : code;
  };
  const active = (types.data ?? []).filter((type) => type.is_active);
  return { types, active, label };
}
