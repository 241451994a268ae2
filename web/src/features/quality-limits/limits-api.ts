import { api, apiRaw } from '../../lib/api.ts';

/** One version of the limits of a product × test step (GET /quality/limits). */
export interface SpecLimit {
  id: number;
  site_id: number;
  product_id: string;
  test_step: string;
  lower_limit: number | null;
  upper_limit: number | null;
  target: number | null;
  unit: string | null;
  effective_from: string;
  created_by: number | null;
  created_at: string;
  in_force: boolean;
}

export interface NewSpecLimit {
  site_id: number;
  product_id: string;
  test_step: string;
  lower_limit: number | null;
  upper_limit: number | null;
  target: number | null;
  unit: string | null;
  /** ISO 8601; absent: in force from now. */
  effective_from?: string;
}

export interface LimitImportSummary {
  created: number;
  unchanged: number;
  rows: number;
}

export const limitKeys = {
  all: ['spec-limits'] as const,
  history: (siteId: number) => ['spec-limits', siteId, 'history'] as const,
};

/** Every version of the site's limits, newest first per product and step, with `in_force` marked. */
export const fetchLimitHistory = (siteId: number) =>
  api.get<SpecLimit[]>('/quality/limits', { site_id: siteId, history: true });
export const createLimit = (input: NewSpecLimit) => api.post<SpecLimit>('/quality/limits', input);
export const deleteLimit = (id: number) => api.delete(`/quality/limits/${id}`);

export async function importLimits(siteId: number, file: File): Promise<LimitImportSummary> {
  const form = new FormData();
  form.append('file', file);
  const response = await apiRaw('POST', `/quality/limits/import?site_id=${siteId}`, form);
  return (await response.json()) as LimitImportSummary;
}

export const exportLimits = (siteId: number) => apiRaw('GET', `/quality/limits/export?site_id=${siteId}`);

/** The versions of one product × test step, newest first. */
export interface LimitGroup {
  key: string;
  product_id: string;
  test_step: string;
  versions: SpecLimit[];
  /** The version in force now; null while every version is still to come. */
  current: SpecLimit | null;
  /** The next version to take effect after now, if one is planned. */
  next: SpecLimit | null;
}

/** Groups a history list (newest first per product and step) into one entry per product × step. */
export function groupLimits(limits: readonly SpecLimit[], now: number): LimitGroup[] {
  const groups = new Map<string, LimitGroup>();
  for (const limit of limits) {
    const key = `${limit.product_id}\u0000${limit.test_step}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        product_id: limit.product_id,
        test_step: limit.test_step,
        versions: [],
        current: null,
        next: null,
      };
      groups.set(key, group);
    }
    group.versions.push(limit);
    if (limit.in_force) group.current = limit;
    // Newest first: the last future version seen is the one that comes next.
    if (isUpcoming(limit, now)) group.next = limit;
  }
  return [...groups.values()].sort(
    (a, b) => a.product_id.localeCompare(b.product_id) || a.test_step.localeCompare(b.test_step),
  );
}

/** Not yet in force: takes effect after `now`. */
export const isUpcoming = (limit: SpecLimit, now: number) =>
  !limit.in_force && Date.parse(limit.effective_from) > now;
