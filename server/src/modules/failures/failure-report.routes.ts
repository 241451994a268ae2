import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAppError, malformed, validationFailed } from '../../platform/errors.ts';
import type { HomApp } from '../../platform/http/types.ts';
import { parseInput } from '../../platform/validation.ts';
import { attachmentOutput, uploadOf } from '../files/index.ts';
import * as dto from './failure-report.dto.ts';
import { photoTooLarge } from './failures.errors.ts';
import type { FailureReportService, PhotoUpload } from './failure-report.service.ts';

/** Photos a tablet may send with the report in one request. */
export const MAX_PHOTOS_PER_REPORT = 10;
const PHOTO_FIELDS = new Set(['photos', 'photo', 'file']);
const HOW_TO_SEND =
  'Send JSON, or multipart/form-data with the report as JSON in a field named "report" and up to ' +
  `${MAX_PHOTOS_PER_REPORT} photos in fields named "photos"`;

const photoError = z.object({ filename: z.string().nullable(), error_code: z.string(), message: z.string() });
const createdOutput = dto.failureReportOutput.extend({
  photos: z.array(attachmentOutput),
  photo_errors: z.array(photoError),
});

/** A multipart report: its JSON in "report", photos in "photos"; anything else is refused. */
async function multipartReport(request: FastifyRequest, maxBytes: number) {
  let report: unknown;
  const photos: PhotoUpload[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (!PHOTO_FIELDS.has(part.fieldname)) throw unexpectedPart(part.fieldname);
        photos.push({ filename: part.filename, data: await part.toBuffer() });
      } else if (part.fieldname === 'report') {
        if (report !== undefined) throw unexpectedPart('report');
        try {
          report = JSON.parse(String(part.value));
        } catch {
          throw validationFailed('The "report" field is not JSON', {
            errors: [{ field: 'report', message: 'a JSON object with the report' }],
          });
        }
      } else {
        throw unexpectedPart(part.fieldname);
      }
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw photoTooLarge(`A photo is larger than ${maxBytes / 1024 / 1024} MiB; send a smaller one`, {
        cause: error,
      });
    }
    if (typeof code === 'string' && /^FST_(FILES|FIELDS|PARTS)_LIMIT$/.test(code)) {
      throw validationFailed(`${HOW_TO_SEND}: too many parts`, {
        errors: [{ field: 'photos', message: `at most ${MAX_PHOTOS_PER_REPORT}` }],
      });
    }
    throw malformed(`The multipart body is malformed (${(error as Error).message})`, { cause: error });
  }
  if (report === undefined) {
    throw validationFailed(HOW_TO_SEND, { errors: [{ field: 'report', message: 'required' }] });
  }
  return { input: parseInput(dto.createFailureReportInput, report), photos };
}

const unexpectedPart = (field: string) =>
  validationFailed(`${HOW_TO_SEND}; the part "${field.slice(0, 40)}" is not one of them`, {
    errors: [{ field: field.slice(0, 40) || '(part)', message: 'unexpected part' }],
  });

export function failureReportRoutes(reports: FailureReportService, maxBytes: number) {
  return async function routes(app: HomApp): Promise<void> {
    await app.register(multipart, {
      limits: {
        fileSize: maxBytes,
        files: MAX_PHOTOS_PER_REPORT,
        fields: 2,
        parts: MAX_PHOTOS_PER_REPORT + 2,
        fieldSize: 64 * 1024,
      },
    });
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const report = { config: { access: { permission: 'failure:report' } } } as const;
    const tags = ['failures'];

    app.get(
      '/failure-reports',
      {
        ...read,
        schema: {
          tags,
          summary:
            'Failure reports, latest occurrence first; filters by site, tool, machine, code, severity, status and period',
          querystring: dto.failureReportFilterInput,
          response: { 200: dto.failureReportPage },
        },
      },
      (request) => reports.list(request.ctx, request.query),
    );
    app.get(
      '/failure-reports/:id',
      { ...read, schema: { tags, params: dto.reportIdParam, response: { 200: dto.failureReportOutput } } },
      (request) => reports.get(request.ctx, request.params.id),
    );
    app.post(
      '/failure-reports',
      {
        ...report,
        schema: {
          tags,
          summary: `Report a failure of a tool or machine (JSON body: ${Object.keys(dto.createFailureReportInput.shape).join(', ')}). ${HOW_TO_SEND}; a refused photo is listed in photo_errors and the report is kept. Raises an action item; high and critical failures notify the site's managers and technicians.`,
          consumes: ['application/json', 'multipart/form-data'],
          response: { 201: createdOutput },
        },
      },
      async (request, reply) => {
        if (request.isMultipart()) {
          const { input, photos } = await multipartReport(request, maxBytes);
          return reply.status(201).send(await reports.createWithPhotos(request.ctx, input, photos));
        }
        const input = parseInput(dto.createFailureReportInput, request.body);
        return reply.status(201).send(await reports.createWithPhotos(request.ctx, input, []));
      },
    );
    app.post(
      '/failure-reports/:id/photos',
      {
        ...report,
        schema: {
          tags,
          summary: `Add a photo (JPEG, PNG, WebP, AVIF; re-encoded as JPEG without metadata, with a thumbnail), at most ${maxBytes / 1024 / 1024} MiB, in a multipart field named "file"`,
          consumes: ['multipart/form-data'],
          params: dto.reportIdParam,
          response: { 201: attachmentOutput },
        },
      },
      async (request, reply) => {
        const upload = await uploadOf(request, maxBytes);
        return reply.status(201).send(await reports.addPhoto(request.ctx, request.params.id, upload));
      },
    );
    app.get(
      '/failure-reports/:id/photos',
      {
        ...read,
        schema: { tags, params: dto.reportIdParam, response: { 200: z.array(attachmentOutput) } },
      },
      (request) => reports.photos(request.ctx, request.params.id),
    );
  };
}
