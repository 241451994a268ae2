import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defineError, isAppError, malformed, validationFailed } from '../../platform/errors.ts';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './files.dto.ts';
import { fileTooLarge } from './files.errors.ts';
import type { Download, FileService, Upload } from './files.service.ts';

const notMultipart = defineError('unsupported_media_type', 'UNSUPPORTED_MEDIA_TYPE');
const HOW_TO_SEND = 'Send the file as multipart/form-data in a field named "file"';

/**
 * The one uploaded file, read into memory up to the limit (beyond it, 413). Every part is read, so a
 * second file is refused rather than silently dropped; a body that is not valid multipart is a 400.
 */
export async function uploadOf(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart()) throw notMultipart(HOW_TO_SEND);
  let upload: Upload | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file' || upload) throw oneFileOnly();
      upload = { filename: part.filename, data: await part.toBuffer() };
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw fileTooLarge(`The file is larger than ${maxBytes / 1024 / 1024} MiB; send a smaller one`, {
        cause: error,
      });
    }
    if (typeof code === 'string' && /^FST_(FILES|FIELDS|PARTS)_LIMIT$/.test(code)) throw oneFileOnly();
    throw malformed(`The multipart body is malformed (${(error as Error).message})`, { cause: error });
  }
  if (!upload) throw oneFileOnly();
  return upload;
}

const oneFileOnly = () =>
  validationFailed(`${HOW_TO_SEND}, one file per request`, {
    errors: [{ field: 'file', message: 'exactly one file required' }],
  });

function sendDownload(reply: FastifyReply, download: Download) {
  if (download.sizeBytes !== null) void reply.header('content-length', String(download.sizeBytes));
  return reply
    .header('content-type', download.contentType)
    .header('content-disposition', download.contentDisposition)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    .header('cache-control', 'private, max-age=3600')
    .send(download.stream);
}

export function fileRoutes(files: FileService) {
  return async function routes(app: HomApp): Promise<void> {
    const maxBytes = files.limits.maxBytes;
    await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } });
    // Whatever a browser guesses from the bytes, it uses the type HOM sends.
    app.addHook('onSend', async (_request, reply) => {
      void reply.header('x-content-type-options', 'nosniff');
    });
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const write = { config: { access: { permission: 'repair:write' } } } as const;
    const tags = ['files'];
    const repairOwner = (repairId: number) => ({ owner_type: 'repair', owner_id: repairId }) as const;

    app.post(
      '/repairs/:repair_id/attachments',
      {
        ...write,
        schema: {
          tags,
          summary: `Attach a photo (JPEG, PNG, WebP, AVIF: re-encoded as JPEG without metadata) or a PDF, at most ${maxBytes / 1024 / 1024} MiB`,
          consumes: ['multipart/form-data'],
          params: dto.repairIdParam,
          response: { 201: dto.attachmentOutput },
        },
      },
      async (request, reply) => {
        const upload = await uploadOf(request, maxBytes);
        const created = await files.attach(request.ctx, repairOwner(request.params.repair_id), upload);
        return reply.status(201).send(created);
      },
    );
    app.get(
      '/repairs/:repair_id/attachments',
      {
        ...read,
        schema: { tags, params: dto.repairIdParam, response: { 200: z.array(dto.attachmentOutput) } },
      },
      (request) => files.list(request.ctx, repairOwner(request.params.repair_id)),
    );
    app.get(
      '/attachments/:id',
      {
        ...read,
        schema: {
          tags,
          summary:
            'The file (images inline, documents as a download); ?thumbnail=true for an image thumbnail',
          params: dto.attachmentIdParam,
          querystring: dto.downloadQuery,
        },
      },
      async (request, reply) =>
        sendDownload(
          reply,
          await files.download(request.ctx, request.params.id, { thumbnail: request.query.thumbnail }),
        ),
    );
    app.delete(
      '/attachments/:id',
      { ...write, schema: { tags, params: dto.attachmentIdParam } },
      async (request, reply) => {
        await files.remove(request.ctx, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
