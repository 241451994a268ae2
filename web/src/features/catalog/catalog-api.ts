import { api } from '../../lib/api.ts';
import { localName } from '../../lib/format.ts';

export interface DowntimeReason {
  id: number;
  code: string;
  name: string;
  name_ru: string | null;
  is_active: boolean;
  category_id: number;
  category_code: string;
  category_name: string;
  category_name_ru: string | null;
  is_failure: boolean;
}

export interface ReasonInput {
  category_id?: number;
  code?: string;
  name?: string;
  name_ru?: string | null;
  is_active?: boolean;
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const severities: Severity[] = ['low', 'medium', 'high', 'critical'];

export interface FailureCode {
  id: number;
  code: string;
  name: string;
  description: string | null;
  default_severity: Severity;
  is_active: boolean;
}

export interface FailureCodeInput {
  code?: string;
  name?: string;
  description?: string | null;
  default_severity?: Severity;
  is_active?: boolean;
}

export const catalogKeys = {
  reasons: (includeInactive: boolean) => ['catalog', 'reasons', includeInactive] as const,
  failureCodes: (includeInactive: boolean) => ['catalog', 'failure-codes', includeInactive] as const,
  all: ['catalog'] as const,
};

export const fetchReasons = (includeInactive = false) =>
  api.get<DowntimeReason[]>('/catalog/downtime-reasons', { include_inactive: includeInactive || undefined });
export const createReason = (input: ReasonInput) =>
  api.post<DowntimeReason>('/catalog/downtime-reasons', input);
export const updateReason = (id: number, changes: ReasonInput) =>
  api.patch<DowntimeReason>(`/catalog/downtime-reasons/${id}`, changes);

export const fetchFailureCodes = (includeInactive = false) =>
  api.get<FailureCode[]>('/catalog/failure-codes', { include_inactive: includeInactive || undefined });
export const createFailureCode = (input: FailureCodeInput) =>
  api.post<FailureCode>('/catalog/failure-codes', input);
export const updateFailureCode = (id: number, changes: FailureCodeInput) =>
  api.patch<FailureCode>(`/catalog/failure-codes/${id}`, changes);

export const reasonLabel = (reason: Pick<DowntimeReason, 'name' | 'name_ru'>) =>
  localName(reason.name, reason.name_ru);
export const categoryLabel = (reason: Pick<DowntimeReason, 'category_name' | 'category_name_ru'>) =>
  localName(reason.category_name, reason.category_name_ru);

export interface ReasonCategory {
  id: number;
  code: string;
  name: string;
  name_ru: string | null;
  is_failure: boolean;
}

/** The categories seen in the reason list (there is no separate endpoint for them). */
export function categoriesOf(reasons: DowntimeReason[]): ReasonCategory[] {
  const seen = new Map<number, ReasonCategory>();
  for (const reason of reasons) {
    if (!seen.has(reason.category_id)) {
      seen.set(reason.category_id, {
        id: reason.category_id,
        code: reason.category_code,
        name: reason.category_name,
        name_ru: reason.category_name_ru,
        is_failure: reason.is_failure,
      });
    }
  }
  return [...seen.values()];
}
