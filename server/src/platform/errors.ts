/**
 * Coded errors. Domain code throws these; it never knows about HTTP or GraphQL.
 * The REST error handler and the GraphQL error formatter translate `kind` at the edge.
 */
export type ErrorKind =
  | 'malformed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'invalid'
  | 'rejected'
  | 'throttled'
  | 'unavailable'
  /** Another system HOM talks to for this request (an OPC-UA server) refused or failed: 502. */
  | 'bad_gateway'
  /** Another system HOM talks to for this request did not answer in time: 504. */
  | 'gateway_timeout'
  | 'internal';

export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  errors?: FieldError[];
  /** Machine-readable facts about the refusal, e.g. a state machine's current state and allowed moves. */
  details?: Record<string, unknown>;
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly errors: FieldError[] | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ErrorKind, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.errors = options.errors;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Declares one error code of a module: `const userNotFound = defineError('not_found', 'USER_NOT_FOUND')`. */
export function defineError(kind: ErrorKind, code: string) {
  return (message: string, options?: AppErrorOptions) => new AppError(kind, code, message, options);
}

export const unauthenticated = defineError('unauthenticated', 'UNAUTHENTICATED');
export const forbidden = defineError('forbidden', 'FORBIDDEN');
export const notFound = defineError('not_found', 'NOT_FOUND');
export const conflict = defineError('conflict', 'CONFLICT');
export const validationFailed = defineError('invalid', 'VALIDATION_FAILED');
export const malformed = defineError('malformed', 'MALFORMED_REQUEST');
export const unavailable = defineError('unavailable', 'SERVICE_UNAVAILABLE');

export const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  malformed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  invalid: 422,
  // A well-formed request the record's current state does not allow (clients of the production API expect 400).
  rejected: 400,
  throttled: 429,
  unavailable: 503,
  bad_gateway: 502,
  gateway_timeout: 504,
  internal: 500,
};

/** Kinds whose message speaks of another system, not of HOM's own failure: a client sees it. */
export const UPSTREAM_KINDS: ReadonlySet<ErrorKind> = new Set(['bad_gateway', 'gateway_timeout']);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
