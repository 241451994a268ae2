import { api, apiUpload, type CursorPage } from '../../lib/api.ts';

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const severities: Severity[] = ['low', 'medium', 'high', 'critical'];
/** Colours of a severity: the same in the list, the detail page and the form. */
export const severityTone = { low: 'neutral', medium: 'info', high: 'warn', critical: 'bad' } as const;

export interface FailurePhoto {
  id: number;
  kind: 'image' | 'document';
  original_name: string;
  url: string;
  thumbnail_url: string | null;
  width: number | null;
  height: number | null;
  created_at: string;
}

export interface FailureReport {
  id: number;
  site_id: number;
  tool_id: number | null;
  tool_asset_number: string | null;
  tool_name: string | null;
  machine_id: number | null;
  machine_code: string | null;
  machine_name: string | null;
  failure_code_id: number;
  failure_code: string;
  failure_name: string;
  severity: Severity;
  description: string;
  occurred_at: string;
  containment_action: string | null;
  reported_by: number | null;
  reported_by_name: string | null;
  reported_at: string;
  status: 'open' | 'closed';
  action_item_id: number | null;
  action_status: string | null;
  action_assignee_id: number | null;
  action_due_at: string | null;
  photo_count: number;
}

export interface CreatedFailureReport extends FailureReport {
  photos: FailurePhoto[];
  photo_errors: { filename: string | null; error_code: string; message: string }[];
}

export interface FailureReportInput {
  tool_id?: number | null;
  machine_id?: number | null;
  failure_code_id: number;
  severity?: Severity;
  description: string;
  occurred_at?: string;
  containment_action?: string | null;
  assignee_id?: number | null;
  due_at?: string | null;
}

export interface FailureFilter {
  tool_id?: number;
  machine_id?: number;
  failure_code_id?: number;
  severity?: Severity;
  status?: 'open' | 'closed';
  from?: string;
  to?: string;
}

export interface FailureCode {
  id: number;
  code: string;
  name: string;
  description: string | null;
  default_severity: Severity;
  is_active: boolean;
}

export const failureKeys = {
  all: ['failure-reports'] as const,
  list: (filter: FailureFilter) => ['failure-reports', 'list', filter] as const,
  one: (id: number) => ['failure-reports', id] as const,
  photos: (id: number) => ['failure-reports', id, 'photos'] as const,
};

export const fetchFailurePage = (filter: FailureFilter, cursor: string | null) =>
  api.get<CursorPage<FailureReport>>('/failure-reports', { ...filter, cursor, limit: 50 });
export const fetchFailure = (id: number) => api.get<FailureReport>(`/failure-reports/${id}`);
export const fetchFailurePhotos = (id: number) => api.get<FailurePhoto[]>(`/failure-reports/${id}/photos`);
export const fetchFailureCodes = () => api.get<FailureCode[]>('/catalog/failure-codes');
export const fetchMachineOptions = () =>
  api.get<{ id: number; code: string; name: string; site_id: number }[]>('/machines');
export const fetchToolOptions = () =>
  api.get<CursorPage<{ id: number; asset_number: string; name: string; site_id: number }>>('/tools', {
    limit: 500,
  });
export const fetchAssignees = () =>
  api.get<{ id: number; username: string; full_name: string | null; role: string; is_active: boolean }[]>(
    '/auth/users',
  );

/** The report and its photos in one multipart request (the tablet may be on a weak network). */
export function createFailureReport(
  input: FailureReportInput,
  photos: File[],
  onProgress?: (share: number) => void,
): Promise<CreatedFailureReport> {
  const form = new FormData();
  form.append('report', JSON.stringify(input));
  for (const photo of photos) form.append('photos', photo, photo.name);
  return apiUpload<CreatedFailureReport>('/failure-reports', form, onProgress);
}
