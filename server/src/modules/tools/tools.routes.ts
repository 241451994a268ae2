import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defineError, isAppError, malformed, validationFailed } from '../../platform/errors.ts';
import type { HomApp } from '../../platform/http/types.ts';
import type { AttachmentOutput, FileService } from '../files/index.ts';
import type { MountingService } from './mounting.service.ts';
import { MAX_SHOTS_CSV_BYTES } from './shots.csv.ts';
import type { ShotsService } from './shots.service.ts';
import type { ToolService } from './tool.service.ts';
import * as dto from './tools.dto.ts';

export interface ToolServices {
  tools: ToolService;
  mountings: MountingService;
  shots: ShotsService;
}

/** The files a tool's photos go through (attach and list by owner, checked and re-encoded there). */
export type ToolFiles = Pick<FileService, 'attach' | 'list' | 'limits'>;

const unsupportedMediaType = defineError('unsupported_media_type', 'UNSUPPORTED_MEDIA_TYPE');
const tooLarge = defineError('too_large', 'PAYLOAD_TOO_LARGE');
const HOW_TO_SEND_PHOTO =
  'Send the photo as multipart/form-data: a field "angle" (front, rear, core, cavity or other) and one file in "file"';
const HOW_TO_SEND_CSV = 'Send the CSV as multipart/form-data in a field named "file", or as a text/csv body';

const attachmentOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  owner_type: z.string(),
  owner_id: z.number(),
  tag: z.string().nullable(),
  kind: z.enum(['image', 'document']),
  original_name: z.string(),
  content_type: z.string(),
  size_bytes: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  url: z.string(),
  thumbnail_url: z.string().nullable(),
  uploaded_by: z.number().nullable(),
  created_at: z.date(),
});

/** One photo and its angle from a multipart body; a second file or an unknown angle is refused. */
async function photoOf(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ filename: string | undefined; data: Buffer; tag: dto.PhotoAngle }> {
  if (!request.isMultipart()) throw unsupportedMediaType(HOW_TO_SEND_PHOTO);
  let file: { filename: string | undefined; data: Buffer } | undefined;
  let angle: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file)
          throw validationFailed(HOW_TO_SEND_PHOTO, {
            errors: [{ field: 'file', message: 'exactly one file required' }],
          });
        file = { filename: part.filename, data: await part.toBuffer() };
      } else if (part.fieldname === 'angle') angle = String(part.value).trim().toLowerCase();
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw tooLarge(`The photo is larger than ${maxBytes / 1024 / 1024} MiB; send a smaller one`, {
        cause: error,
      });
    }
    if (typeof code === 'string' && /^FST_(FILES|FIELDS|PARTS)_LIMIT$/.test(code)) {
      throw validationFailed(HOW_TO_SEND_PHOTO, {
        errors: [{ field: 'file', message: 'exactly one file required' }],
      });
    }
    throw malformed(`The multipart body is malformed (${(error as Error).message})`, { cause: error });
  }
  const parsedAngle = dto.photoQuery.shape.angle.safeParse(angle ?? 'other');
  if (!parsedAngle.success || !parsedAngle.data) {
    throw validationFailed(HOW_TO_SEND_PHOTO, {
      errors: [{ field: 'angle', message: `one of ${dto.PHOTO_ANGLES.join(', ')}` }],
    });
  }
  if (!file)
    throw validationFailed(HOW_TO_SEND_PHOTO, {
      errors: [{ field: 'file', message: 'exactly one file required' }],
    });
  return { ...file, tag: parsedAngle.data };
}

async function csvBytes(request: FastifyRequest): Promise<Buffer> {
  if (Buffer.isBuffer(request.body)) return request.body;
  if (!request.isMultipart()) throw unsupportedMediaType(HOW_TO_SEND_CSV);
  try {
    const part = await request.file();
    if (!part || part.fieldname !== 'file') {
      throw validationFailed(HOW_TO_SEND_CSV, { errors: [{ field: 'file', message: 'required' }] });
    }
    return await part.toBuffer();
  } catch (error) {
    if (isAppError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || (error as { statusCode?: unknown }).statusCode === 413) {
      throw tooLarge(`Send one CSV file of at most ${MAX_SHOTS_CSV_BYTES / 1024 / 1024} MiB`, {
        cause: error,
      });
    }
    throw malformed(`The multipart body is malformed (${(error as Error).message})`, { cause: error });
  }
}

export function toolRoutes(services: ToolServices, files: ToolFiles) {
  const { tools, mountings, shots } = services;
  return async function register(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const manage = { config: { access: { permission: 'tool:manage' } } } as const;
    const record = { config: { access: { permission: 'shots:record' } } } as const;
    const tags = ['tools'];
    const toolOwner = (id: number) => ({ owner_type: 'tool', owner_id: id }) as const;

    app.get(
      '/tools',
      {
        ...read,
        schema: {
          tags,
          summary:
            'Tools, newest first (retired ones only with status=retired); filters by site, kind, status, text, near life limit, machine',
          querystring: dto.toolFilterInput,
          response: { 200: dto.toolPageOutput },
        },
      },
      (request) => tools.list(request.ctx, request.query),
    );
    app.post(
      '/tools',
      { ...manage, schema: { tags, body: dto.createToolInput, response: { 201: dto.toolOutput } } },
      async (request, reply) => reply.status(201).send(await tools.create(request.ctx, request.body)),
    );
    app.get(
      '/tools/:id',
      { ...read, schema: { tags, params: dto.toolIdParam, response: { 200: dto.toolOutput } } },
      (request) => tools.get(request.ctx, request.params.id),
    );
    app.patch(
      '/tools/:id',
      {
        ...manage,
        schema: {
          tags,
          params: dto.toolIdParam,
          body: dto.updateToolInput,
          response: { 200: dto.toolOutput },
        },
      },
      (request) => tools.update(request.ctx, request.params.id, request.body),
    );
    app.post(
      '/tools/:id/retire',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Retire a tool (tools are never deleted; PATCH status=active brings it back)',
          params: dto.toolIdParam,
          response: { 200: dto.toolOutput },
        },
      },
      (request) => tools.retire(request.ctx, request.params.id),
    );

    app.get(
      '/tools/:id/mountings',
      {
        ...read,
        schema: {
          tags,
          summary: 'Where the tool has been mounted, newest first (removed_at null = mounted now)',
          params: dto.toolIdParam,
          response: { 200: z.array(dto.mountingOutput) },
        },
      },
      (request) => mountings.ofTool(request.ctx, request.params.id),
    );
    app.post(
      '/tools/:id/mount',
      {
        ...manage,
        schema: {
          tags,
          summary:
            'Mount the tool on a machine position (409 when the tool is mounted or the position is taken)',
          params: dto.toolIdParam,
          body: dto.mountInput,
          response: { 201: dto.mountingOutput },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await mountings.mount(request.ctx, request.params.id, request.body)),
    );
    app.post(
      '/tools/:id/unmount',
      {
        ...manage,
        schema: {
          tags,
          params: dto.toolIdParam,
          body: dto.unmountInput.optional(),
          response: { 200: dto.mountingOutput },
        },
      },
      (request) => mountings.unmount(request.ctx, request.params.id, request.body ?? {}),
    );
    app.get(
      '/machines/:machine_id/tools',
      {
        ...read,
        schema: {
          tags,
          summary: 'The tools mounted on the machine now, by position',
          params: z.object({ machine_id: dto.toolIdParam.shape.id }),
          response: { 200: z.array(dto.mountingOutput) },
        },
      },
      (request) => mountings.onMachine(request.ctx, request.params.machine_id),
    );

    app.post(
      '/tools/:id/shots',
      {
        ...record,
        schema: {
          tags,
          summary:
            'Record a shot reading: {kind:"counter", counter_value} read off the machine, or {kind:"delta", shots} since the last reading',
          params: dto.toolIdParam,
          body: dto.shotReadingInput,
          response: { 201: dto.recordedReadingOutput, 200: dto.recordedReadingOutput },
        },
      },
      async (request, reply) => {
        const result = await shots.record(request.ctx, request.params.id, request.body);
        return reply.status(result.created ? 201 : 200).send(result);
      },
    );
    app.get(
      '/tools/:id/shots',
      {
        ...read,
        schema: {
          tags,
          summary: 'Readings, running total, shots per day (last 30 days), life used and a daily series',
          params: dto.toolIdParam,
          querystring: dto.shotsQuery,
          response: { 200: dto.shotsSummaryOutput },
        },
      },
      (request) => shots.summary(request.ctx, request.params.id, request.query),
    );
    // Uploads (photos, CSV) in their own scope: the JSON routes keep refusing multipart bodies with 415.
    await app.register(async (uploads: HomApp) => {
      const maxBytes = Math.max(files.limits.maxBytes, MAX_SHOTS_CSV_BYTES);
      await uploads.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } });
      uploads.addContentTypeParser(
        'text/csv',
        { parseAs: 'buffer', bodyLimit: MAX_SHOTS_CSV_BYTES },
        (_request, body, done) => done(null, body),
      );
      uploads.post(
        '/tools/:tool_id/photos',
        {
          ...manage,
          schema: {
            tags,
            summary:
              'Add a photo of the tool from an angle (front, rear, core, cavity, other); thumbnails at /attachments/:id?thumbnail=true',
            consumes: ['multipart/form-data'],
            params: dto.toolPhotoParam,
            response: { 201: attachmentOutput },
          },
        },
        async (request, reply) => {
          const photo = await photoOf(request, files.limits.maxBytes);
          const created = await files.attach(request.ctx, toolOwner(request.params.tool_id), photo);
          return reply.status(201).send(created);
        },
      );
      uploads.get(
        '/tools/:tool_id/photos',
        {
          ...read,
          schema: {
            tags,
            summary: 'Photos of the tool, optionally of one angle',
            params: dto.toolPhotoParam,
            querystring: dto.photoQuery,
            response: { 200: z.array(attachmentOutput) },
          },
        },
        async (request): Promise<AttachmentOutput[]> => {
          const all = await files.list(request.ctx, toolOwner(request.params.tool_id));
          const angle = request.query.angle;
          return angle ? all.filter((photo) => photo.tag === angle) : all;
        },
      );

      uploads.post(
        '/tools/shots/import',
        {
          ...record,
          schema: {
            tags,
            summary:
              'Shot readings from a CSV (asset_number, taken_at, counter_value or shots, note): all rows checked, all or nothing',
            consumes: ['multipart/form-data', 'text/csv'],
            querystring: z.object({ site_id: dto.toolIdParam.shape.id.optional() }),
            response: { 200: dto.csvImportOutput },
          },
        },
        async (request) => shots.importCsv(request.ctx, request.query.site_id, await csvBytes(request)),
      );
    });
  };
}
