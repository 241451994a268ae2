import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, HTTP_STATUS_BY_KIND, UPSTREAM_KINDS, type FieldError } from '../errors.ts';
import { translateDatabaseError } from '../db/errors.ts';

/** The one REST error body (kept from the production-tracking API its mobile client reads). */
export interface ErrorBody {
  success: false;
  message: string;
  error_code: string;
  timestamp: string;
  errors?: FieldError[];
  details?: Record<string, unknown>;
  request_id: string;
}

const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'MALFORMED_REQUEST' },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is too large',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    message: 'The request body is empty; send JSON',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    message: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send a Content-Type header',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'MALFORMED_REQUEST', message: 'The URL is malformed' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'URI_TOO_LONG', message: 'A path parameter is too long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'MALFORMED_REQUEST' },
};

export function errorBody(
  request: FastifyRequest,
  code: string,
  message: string,
  errors?: FieldError[],
): ErrorBody {
  return {
    success: false,
    message,
    error_code: code,
    timestamp: new Date().toISOString(),
    ...(errors && errors.length > 0 ? { errors } : {}),
    request_id: String(request.id),
  };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const coded = error instanceof AppError ? error : translateDatabaseError(error);
    const mapped = toResponse(error, request);
    if (mapped.status >= 500 && !(coded && UPSTREAM_KINDS.has(coded.kind)))
      request.log.error({ err: error }, 'request failed');
    else request.log.info({ error_code: mapped.body.error_code, status: mapped.status }, mapped.body.message);
    if (coded?.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(coded.retryAfterSeconds));
    return reply.status(mapped.status).send(mapped.body);
  });

  app.setNotFoundHandler((request, reply) =>
    sendNotFound(
      request,
      reply,
      `No ${request.method} ${request.url.split('?')[0]} here; see /docs for the API`,
    ),
  );
}

/**
 * For Fastify's `frameworkErrors` option: errors found while routing (a bad percent-encoding, an
 * over-long path parameter) happen before any hook or error handler runs, and without this Fastify
 * answers them with its own body.
 */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const mapped = toResponse(error, request);
  request.log.info({ error_code: mapped.body.error_code, status: mapped.status }, mapped.body.message);
  return reply.header('x-request-id', String(request.id)).status(mapped.status).send(mapped.body);
}

/** A Fastify 4xx (content type, body size) as our code and message, for the GraphQL formatter. */
export function describeClientError(error: unknown): { code: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, code, message } = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  const known = typeof code === 'string' ? FASTIFY_CODES[code] : undefined;
  return { code: known?.code ?? 'BAD_REQUEST', message: known?.message ?? String(message) };
}

export function sendNotFound(request: FastifyRequest, reply: FastifyReply, message: string) {
  return reply.status(404).send(errorBody(request, 'NOT_FOUND', message));
}

function toResponse(error: FastifyError, request: FastifyRequest): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const status = HTTP_STATUS_BY_KIND[error.kind];
    const told = status < 500 || UPSTREAM_KINDS.has(error.kind);
    const message = told ? error.message : 'Something went wrong on our side; it has been logged';
    const body = errorBody(request, error.code, message, error.errors);
    return { status, body: error.details && told ? { ...body, details: error.details } : body };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      field: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'invalid',
    }));
    const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return {
      status: 422,
      body: errorBody(request, 'VALIDATION_FAILED', `Invalid input: ${summary}`, errors),
    };
  }
  const database = translateDatabaseError(error);
  if (database) return toResponse(database as unknown as FastifyError, request);
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known)
    return { status: known.status, body: errorBody(request, known.code, known.message ?? error.message) };
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: errorBody(request, 'BAD_REQUEST', error.message) };
  }
  return {
    status: 500,
    body: errorBody(request, 'INTERNAL_ERROR', 'Something went wrong on our side; it has been logged'),
  };
}
