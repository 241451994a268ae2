import { AppError } from '../errors.ts';

interface PgError {
  code?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

/**
 * A database error that a caller caused (a duplicate, a value out of range) becomes a 4xx with a
 * plain message; anything else stays an internal error. Services should prevent most of these; this
 * is the safety net that keeps them from becoming 500s.
 */
export function translateDatabaseError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint } = error as PgError;
  if (isDatabaseUnavailable(error)) {
    return new AppError(
      'unavailable',
      'DATABASE_UNAVAILABLE',
      'The database is not reachable right now; try again shortly',
      {
        retryAfterSeconds: 5,
        cause: error,
      },
    );
  }
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const on = typeof constraint === 'string' ? ` (${constraint})` : '';
  if (code === '23505')
    return new AppError('conflict', 'ALREADY_EXISTS', `That already exists${on}`, { cause: error });
  if (code === '23503')
    return new AppError(
      'conflict',
      'REFERENCE_CONFLICT',
      `A referenced record is missing or still in use${on}`,
      { cause: error },
    );
  if (code === '23514' || code === '23502')
    return new AppError('invalid', 'VALIDATION_FAILED', `A value breaks a rule${on}`, { cause: error });
  if (code.startsWith('22'))
    return new AppError('invalid', 'VALIDATION_FAILED', 'A value is out of range or malformed', {
      cause: error,
    });
  if (code === '42501')
    return new AppError('forbidden', 'FORBIDDEN', 'Not allowed on that record', { cause: error });
  return undefined;
}

/** Connection refused or lost, server shutting down or starting: worth retrying, not a fault of the request. */
function isDatabaseUnavailable(error: object): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03'].includes(code) ||
      code.startsWith('08'))
  ) {
    return true;
  }
  return (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect/.test(message)
  );
}

/** Worth retrying later: the database is away, overloaded, or the transaction lost a race. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isDatabaseUnavailable(error)) return true;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && (['40001', '40P01', '57014'].includes(code) || code.startsWith('53'));
}
