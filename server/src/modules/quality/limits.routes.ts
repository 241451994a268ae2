import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defineError, validationFailed } from '../../platform/errors.ts';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './limits.dto.ts';
import { MAX_CSV_BYTES } from './limits-csv.ts';
import type { LimitService } from './limits.service.ts';

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

/** Spec limits: read with plant:read, changed with quality:manage; CSV import and export. */
export function limitRoutes(limits: LimitService) {
  return async function register(app: HomApp): Promise<void> {
    // Only the import takes multipart and CSV bodies; the JSON routes keep answering them 415.
    await app.register(async (csv: HomApp) => {
      await csv.register(multipart, { limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 10, parts: 11 } });
      csv.addContentTypeParser(
        'text/csv',
        { parseAs: 'buffer', bodyLimit: MAX_CSV_BYTES },
        (_request, body, done) => done(null, body),
      );
      registerImport(csv, limits);
    });
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const manage = { config: { access: { permission: 'quality:manage' } } } as const;
    const tags = ['quality'];

    app.get(
      '/quality/limits',
      {
        ...read,
        schema: {
          tags,
          summary:
            'Spec limits: the version in force per product × test step, or with history=true every version',
          description:
            'in_force marks the version that applies at `at` (default now): the latest effective_from ≤ at. ' +
            'With history=true every version comes, newest first within each product and step.',
          querystring: dto.listLimitsInput,
          response: { 200: z.array(dto.limitOutput) },
        },
      },
      (request) => limits.list(request.ctx, request.query),
    );
    app.post(
      '/quality/limits',
      {
        ...manage,
        schema: {
          tags,
          summary:
            'A new version of the limits of a product × test step, in force from effective_from (default now)',
          description:
            'At least one of lower_limit and upper_limit; lower ≤ upper; target inside the limits. An ' +
            'effective_from without an offset is read in the site’s time zone. 409 when a version from the ' +
            'same instant exists: versions are never edited.',
          body: dto.createLimitInput,
          response: { 201: dto.limitOutput },
        },
      },
      async (request, reply) => reply.status(201).send(await limits.create(request.ctx, request.body)),
    );
    app.delete(
      '/quality/limits/:id',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Delete a version not yet in force (409 once in force: results were judged by it)',
          params: dto.idParam,
        },
      },
      async (request, reply) => {
        await limits.remove(request.ctx, request.params.id);
        return reply.status(204).send();
      },
    );
    app.get(
      '/quality/limits/export',
      {
        ...read,
        schema: {
          tags,
          summary: 'Every version of a site’s limits (default: all your sites) as CSV',
          querystring: dto.siteQuery,
        },
      },
      async (request, reply) => {
        const { filename, csv } = await limits.exportCsv(request.ctx, request.query.site_id);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .send(csv);
      },
    );
  };
}

function registerImport(app: HomApp, limits: LimitService): void {
  const manage = { config: { access: { permission: 'quality:manage' } } } as const;
  const tags = ['quality'];
  app.post(
    '/quality/limits/import',
    {
      ...manage,
      schema: {
        tags,
        summary: 'New limit versions from a CSV: every row is checked, all or nothing',
        description:
          'Columns: site_code or site_id (or ?site_id for every row), product_id, test_step, lower_limit, ' +
          'upper_limit, target, unit, effective_from (blank: now; without an offset: the site’s time zone). ' +
          'A row equal to a stored version is counted as unchanged.',
        consumes: ['multipart/form-data', 'text/csv'],
        querystring: dto.siteQuery,
        response: { 200: dto.importSummary },
      },
    },
    async (request) => limits.importCsv(request.ctx, request.query.site_id, await csvBytes(request)),
  );
}
