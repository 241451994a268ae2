import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import type { ExportService } from './export.service.ts';
import {
  CONTENT_TYPES,
  EXPORT_FORMATS,
  exportStream,
  parseFormat,
  type ExportList,
} from './export.stream.ts';
import * as dto from './reports.dto.ts';
import type { WeeklyReportService } from './weekly.service.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const access = { config: { access: { permission: 'report:read' } } } as const;

/** GET /exports/<list>?format=csv|json&<the list's filters>: every matching row, no page limit. */
export function exportRoutes(exports: ExportService, lists: readonly ExportList[]) {
  return async function routes(app: HomApp): Promise<void> {
    for (const list of lists) {
      app.get(
        `/exports/${list.name}`,
        {
          ...access,
          schema: {
            tags: ['reports'],
            summary: `Every ${list.name.replace('-', ' ')} row the list's filters match, as CSV or a JSON array (no page limit)`,
            description: `Filters, as on the list: ${list.filters.join(', ')}.`,
            querystring: z.looseObject({
              format: z
                .string()
                .max(20)
                .optional()
                .describe(`${EXPORT_FORMATS.join(' or ')} (default csv)`),
            }),
          },
        },
        async (request, reply) => {
          const { format: rawFormat, ...raw } = request.query as Record<string, unknown>;
          const format = parseFormat(rawFormat);
          const query = list.parse(raw);
          const { filename, chunks } = await exports.open(request.ctx, list, query, format);
          return reply
            .header('content-type', CONTENT_TYPES[format])
            .header('content-disposition', `attachment; filename="${filename}"`)
            .header('cache-control', 'no-store')
            .send(exportStream(chunks));
        },
      );
    }
  };
}

export function weeklyReportRoutes(weekly: WeeklyReportService) {
  return async function routes(app: HomApp): Promise<void> {
    const tags = ['reports'];
    app.get(
      '/reports/weekly',
      {
        ...access,
        schema: {
          tags,
          summary: 'Weekly maintenance reports, newest week first; filter by site',
          querystring: dto.weeklyReportFilterInput,
          response: {
            200: z.object({ items: z.array(dto.weeklyReportOutput), next_cursor: z.string().nullable() }),
          },
        },
      },
      (request) => weekly.list(request.ctx, request.query),
    );
    app.get(
      '/reports/weekly/:id.pdf',
      { ...access, schema: { tags, summary: 'The report as a PDF file', params: idParam } },
      async (request, reply) => {
        const { filename, pdf } = await weekly.pdf(request.ctx, request.params.id);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .send(pdf);
      },
    );
    app.get(
      '/reports/weekly/:id',
      { ...access, schema: { tags, params: idParam, response: { 200: dto.weeklyReportOutput } } },
      (request) => weekly.get(request.ctx, request.params.id),
    );
    app.post(
      '/reports/weekly',
      {
        ...access,
        schema: {
          tags,
          summary:
            "Generate the site's report for the week holding `week` (default: last complete week) now, replacing an earlier one of that week",
          body: dto.generateWeeklyReportInput,
          response: { 201: dto.weeklyReportOutput },
        },
      },
      async (request, reply) => reply.status(201).send(await weekly.generate(request.ctx, request.body)),
    );
  };
}
