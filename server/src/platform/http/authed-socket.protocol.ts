import type { FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { isAppError } from '../errors.ts';

/** The wire of HOM's authenticated WebSockets (docs/live.md): credentials, close codes and reasons. */

export interface SocketCredentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}
/** Identity's authenticator, the one the HTTP `onRequest` hook uses. */
export type Authenticate = (credentials: SocketCredentials) => Promise<Actor | null>;

/** Close codes of the authenticated sockets (docs/live.md). */
export const SOCKET_CLOSE = {
  goingAway: 1001,
  internalError: 1011,
  tooSlow: 1013,
  invalidFilter: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
} as const;

/** A close reason fits in 123 bytes of UTF-8 (RFC 6455); longer text is cut. */
export function closeReason(reason: string): string {
  let cut = reason;
  while (Buffer.byteLength(cut) > 123) cut = cut.slice(0, -1);
  return cut;
}

/** The close code and reason for a refusal: coded errors say what went wrong, anything else is ours. */
export function refusal(error: unknown): [number, string] {
  if (isAppError(error)) {
    if (error.kind === 'unauthenticated') return [SOCKET_CLOSE.unauthenticated, error.message];
    if (error.kind === 'forbidden') return [SOCKET_CLOSE.forbidden, error.message];
    if (error.kind === 'invalid') return [SOCKET_CLOSE.invalidFilter, error.message];
  }
  return [SOCKET_CLOSE.internalError, 'internal error'];
}

const authMessage = z.object({ type: z.literal('auth'), authorization: z.string().max(4096) });

/** The credentials of an `auth` message; undefined for anything else. */
export function authorizationIn(data: RawData, isBinary: boolean): string | undefined {
  if (isBinary) return undefined;
  try {
    const parsed = authMessage.safeParse(JSON.parse(rawText(data)));
    return parsed.success ? parsed.data.authorization : undefined;
  } catch {
    return undefined;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

export function headerCredentials(request: FastifyRequest): SocketCredentials {
  const apiKey = request.headers['x-api-key'];
  return { authorization: request.headers.authorization, apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey };
}
