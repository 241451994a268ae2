import { api } from '../../lib/api.ts';

export type ExportFormat = 'csv' | 'json';
export const exportFormats: ExportFormat[] = ['csv', 'json'];

/** The lists GET /exports/<list> can write, in the order the reports page shows them. */
export const exportLists = [
  'repairs',
  'downtimes',
  'tools',
  'shot-readings',
  'maintenance-logs',
  'failure-reports',
  'action-items',
] as const;
export type ExportListName = (typeof exportLists)[number];

/** Lists whose period filter is `from`/`to` (action items filter on their due date instead). */
const periodFilters: Record<ExportListName, [string, string] | null> = {
  repairs: ['from', 'to'],
  downtimes: ['from', 'to'],
  tools: null,
  'shot-readings': ['from', 'to'],
  'maintenance-logs': ['from', 'to'],
  'failure-reports': ['from', 'to'],
  'action-items': ['due_after', 'due_before'],
};

export interface WeeklyReport {
  id: number;
  site_id: number;
  site_code: string;
  site_name: string;
  week_start: string;
  period_from: string;
  period_to: string;
  status: 'ready' | 'failed';
  size_bytes: number | null;
  error: string | null;
  trigger: 'job' | 'request';
  requested_by: number | null;
  generated_at: string;
  emailed_at: string | null;
  email_recipients: number | null;
}

export const reportKeys = {
  all: ['weekly-reports'] as const,
  list: (siteId: string) => ['weekly-reports', 'list', siteId] as const,
};

export const fetchWeeklyReports = (siteId: string, cursor: string | null) =>
  api.get<{ items: WeeklyReport[]; next_cursor: string | null }>('/reports/weekly', {
    site_id: siteId || undefined,
    cursor,
    limit: 20,
  });

export const generateWeeklyReport = (siteId: number, week: string | undefined) =>
  api.post<WeeklyReport>('/reports/weekly', { site_id: siteId, ...(week ? { week } : {}) });

export type ExportQuery = Record<string, string | undefined>;

/** GET /exports/<list>?format=…&<filters>: the same filters as the list page, every row. */
export function exportPath(list: ExportListName, format: ExportFormat, filters: ExportQuery): string {
  const params = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return `/exports/${list}?${params.toString()}`;
}

/** A site and a period, mapped onto the list's own filter names. */
export function commonFilters(
  list: ExportListName,
  filter: { site_id?: string; from?: string; to?: string },
): ExportQuery {
  const period = periodFilters[list];
  return {
    site_id: filter.site_id,
    ...(period ? { [period[0]]: filter.from, [period[1]]: filter.to } : {}),
  };
}
