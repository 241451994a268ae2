import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defineError, validationFailed } from '../../platform/errors.ts';
import type { HomApp } from '../../platform/http/types.ts';
import { MAX_CSV_BYTES } from './plant-csv.format.ts';
import type { PlantCsvService } from './plant-csv.service.ts';

const siteQuery = z.object({
  site_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
const importSummary = z.object({
  lines_created: z.number(),
  lines_updated: z.number(),
  machines_created: z.number(),
  machines_updated: z.number(),
  rows: z.number(),
});

const unsupportedMediaType = defineError('unsupported_media_type', 'UNSUPPORTED_MEDIA_TYPE');
const fileTooLarge = defineError('too_large', 'PAYLOAD_TOO_LARGE');
const HOW_TO_SEND = 'Send the CSV as multipart/form-data in a field named "file", or as a text/csv body';

/** The uploaded bytes: a multipart field "file" or a raw text/csv body (parsed to a Buffer below). */
async function csvBytes(request: FastifyRequest): Promise<Buffer> {
  if (Buffer.isBuffer(request.body)) return request.body;
  if (!request.isMultipart()) throw unsupportedMediaType(HOW_TO_SEND);
  try {
    const part = await request.file();
    if (!part || part.fieldname !== 'file') {
      throw validationFailed(HOW_TO_SEND, { errors: [{ field: 'file', message: 'required' }] });
    }
    return await part.toBuffer();
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status !== 413) throw error;
    throw fileTooLarge(`Send one CSV file of at most ${MAX_CSV_BYTES / 1024 / 1024} MiB`, { cause: error });
  }
}

export function plantCsvRoutes(csv: PlantCsvService) {
  return async function routes(app: HomApp): Promise<void> {
    await app.register(multipart, { limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 10, parts: 11 } });
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'buffer', bodyLimit: MAX_CSV_BYTES },
      (_request, body, done) => done(null, body),
    );
    const tags = ['plant'];

    app.get(
      '/plant/export.csv',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          tags,
          summary:
            'Lines and machines of a site as CSV (cells that look like formulas get a leading apostrophe)',
          querystring: siteQuery,
        },
      },
      async (request, reply) => {
        const { filename, csv: body } = await csv.exportCsv(request.ctx, request.query.site_id);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .send(body);
      },
    );

    app.post(
      '/plant/import',
      {
        config: { access: { permission: 'plant:manage' } },
        schema: {
          tags,
          summary: 'Create and update lines and machines from a CSV: every row is checked, all or nothing',
          consumes: ['multipart/form-data', 'text/csv'],
          querystring: siteQuery,
          response: { 200: importSummary },
        },
      },
      async (request) => csv.importCsv(request.ctx, request.query.site_id, await csvBytes(request)),
    );
  };
}
