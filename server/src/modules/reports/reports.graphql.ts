import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './reports.dto.ts';
import type { WeeklyReportService } from './weekly.service.ts';

/**
 * Weekly reports over GraphQL (camelCase): list, one, generate now. The PDF itself and the list
 * exports are files: GET /reports/weekly/{id}.pdf and GET /exports/{list} (docs/reports.md).
 */
export function registerReportsGraphql(builder: Builder, weekly: WeeklyReportService): void {
  const access = { permission: 'report:read' } as const;
  const WeeklyReport = builder.objectRef<dto.WeeklyReportRow>('WeeklyReport').implement({
    description: "A site's weekly maintenance report; the PDF is at pdfUrl (same token)",
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (row) => row.site_id }),
      siteCode: t.string({ resolve: (row) => row.site_code }),
      siteName: t.string({ resolve: (row) => row.site_name }),
      weekStart: t.string({ description: 'The Monday, YYYY-MM-DD', resolve: (row) => row.week_start }),
      periodFrom: t.field({ type: 'DateTime', resolve: (row) => row.period_from }),
      periodTo: t.field({ type: 'DateTime', resolve: (row) => row.period_to }),
      status: t.exposeString('status'),
      sizeBytes: t.int({ nullable: true, resolve: (row) => row.size_bytes }),
      error: t.string({ nullable: true, resolve: (row) => row.error }),
      trigger: t.exposeString('trigger'),
      generatedAt: t.field({ type: 'DateTime', resolve: (row) => row.generated_at }),
      emailedAt: t.field({ type: 'DateTime', nullable: true, resolve: (row) => row.emailed_at }),
      emailRecipients: t.int({ nullable: true, resolve: (row) => row.email_recipients }),
      pdfUrl: t.string({ resolve: (row) => `/reports/weekly/${row.id}.pdf` }),
    }),
  });
  const WeeklyReportPage = builder
    .objectRef<{ items: dto.WeeklyReportRow[]; next_cursor: string | null }>('WeeklyReportPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [WeeklyReport], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });

  builder.queryFields((t) => ({
    weeklyReports: t.field({
      type: WeeklyReportPage,
      description: 'Weekly maintenance reports, newest week first',
      args: { siteId: t.arg.id(), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        access,
        (_p, args: { siteId?: string | number | null; first?: number | null; after?: string | null }, c) =>
          weekly.list(
            c.caller,
            parseInput(dto.weeklyReportFilterInput, {
              ...(args.siteId != null ? { site_id: args.siteId } : {}),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
    weeklyReport: t.field({
      type: WeeklyReport,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(access, (_p, args: { id: string | number }, c) =>
        weekly.get(c.caller, parseInput(dto.weeklyReportIdInput, { id: args.id }).id),
      ),
    }),
  }));
  builder.mutationFields((t) => ({
    generateWeeklyReport: t.field({
      type: WeeklyReport,
      description:
        "Generate a site's report now for the week holding `week` (YYYY-MM-DD; default last week), replacing an earlier one",
      args: { siteId: t.arg.id({ required: true }), week: t.arg.string() },
      ...withAccess(access, (_p, args: { siteId: string | number; week?: string | null }, c) =>
        weekly.generate(c.caller, {
          site_id: Number(args.siteId),
          ...(args.week != null ? { week: args.week } : {}),
        }),
      ),
    }),
  }));
}
