import type { FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { requirePermission, requireSite, type Actor } from '../../platform/auth/actor.ts';
import { isAppError, unauthenticated } from '../../platform/errors.ts';
import type { HomApp } from '../../platform/http/types.ts';
import { VERDICTS, type ResultOutput } from './ingest.dto.ts';
import type { LiveBus } from './live-bus.ts';
import type { StoredResult } from './results.writer.ts';

type Credentials = { authorization?: string | undefined; apiKey?: string | undefined };

/** The same authenticator the HTTP `onRequest` hook uses (identity's). */
export type Authenticate = (credentials: Credentials) => Promise<Actor | null>;

export interface LiveOptions {
  /** How long a client without credential headers has to send its `auth` message. */
  authTimeoutMs: number;
  /** A client whose unsent frames exceed this is closed with 1013 instead of buffering more. */
  maxBufferedBytes: number;
  /** Credentials are checked again this often: a sign-out, a revoked key or a lost site counts. */
  recheckMs: number;
  /** A ping this often; a client that did not answer the previous one is cut. */
  heartbeatMs: number;
}

export const LIVE_DEFAULTS: LiveOptions = {
  authTimeoutMs: 5_000,
  maxBufferedBytes: 1_048_576,
  recheckMs: 60_000,
  heartbeatMs: 30_000,
};

/** Close codes of GET /ws/live (docs/live.md). */
export const LIVE_CLOSE = {
  goingAway: 1001,
  internalError: 1011,
  tooSlow: 1013,
  invalidFilter: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
} as const;

/** How long a closed slow client may take to read the close frame before its connection is cut. */
const SLOW_CLOSE_GRACE_MS = 5_000;

const text = (max: number) => z.string().trim().min(1).max(max);

/** What a live viewer narrows the feed to: query string of /ws/live, `filter` of `testResults`. */
export const liveFilterInput = z
  .object({
    site_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    /** The machine's plant code (any case) or its numeric id. */
    machine_id: text(60).optional(),
    product_id: text(60).optional(),
    test_step: text(80).optional(),
    verdict: z.enum(VERDICTS).optional(),
  })
  .strict();
export type LiveFilter = z.output<typeof liveFilterInput>;

/**
 * Checks the viewer may watch with this filter (plant:read, and the filter's site is theirs) and
 * answers which results they see: their sites' (every site for an all-sites actor), matching the filter.
 */
export function liveAcceptor(actor: Actor, filter: LiveFilter): (result: StoredResult) => boolean {
  const ctx = requirePermission(
    { actor, requestId: 'live', clientIp: '', userAgent: undefined },
    'plant:read',
  );
  if (filter.site_id !== undefined) requireSite(ctx, filter.site_id);
  const sites = new Set(actor.siteIds);
  const machine = filter.machine_id?.toLowerCase();
  return (result) =>
    (actor.allSites || sites.has(result.site_id)) &&
    (filter.site_id === undefined || result.site_id === filter.site_id) &&
    (machine === undefined ||
      result.machine_code.toLowerCase() === machine ||
      String(result.machine_id) === machine) &&
    (filter.product_id === undefined || result.product_id === filter.product_id) &&
    (filter.test_step === undefined || result.test_step === filter.test_step) &&
    (filter.verdict === undefined || result.verdict === filter.verdict);
}

/** A stored result as GET /results shows it (`resultOutput`), field by field: nothing else leaks. */
export function toResultOutput(result: StoredResult): ResultOutput {
  return {
    id: result.id,
    site_id: result.site_id,
    machine_id: result.machine_id,
    machine_code: result.machine_code,
    barcode: result.barcode,
    product_id: result.product_id,
    test_step: result.test_step,
    measured_value: result.measured_value,
    unit: result.unit,
    timestamp: result.timestamp,
    received_at: result.received_at,
    verdict: result.verdict,
    lower_limit: result.lower_limit,
    upper_limit: result.upper_limit,
  };
}

/** A close reason fits in 123 bytes of UTF-8 (RFC 6455); longer text is cut. */
function closeReason(reason: string): string {
  let cut = reason;
  while (Buffer.byteLength(cut) > 123) cut = cut.slice(0, -1);
  return cut;
}

/** The close code and reason for a refusal: coded errors say what went wrong, anything else is ours. */
function refusal(error: unknown): [number, string] {
  if (isAppError(error)) {
    if (error.kind === 'unauthenticated') return [LIVE_CLOSE.unauthenticated, error.message];
    if (error.kind === 'forbidden') return [LIVE_CLOSE.forbidden, error.message];
    if (error.kind === 'invalid') return [LIVE_CLOSE.invalidFilter, error.message];
  }
  return [LIVE_CLOSE.internalError, 'internal error'];
}

const authMessage = z.object({ type: z.literal('auth'), authorization: z.string().max(4096) });

/** The credentials of an `auth` message; undefined for anything else. */
function authorizationIn(text: string): string | undefined {
  try {
    const parsed = authMessage.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.authorization : undefined;
  } catch {
    return undefined;
  }
}

interface LiveClient {
  socket: WebSocket;
  accepts: (result: StoredResult) => boolean;
  /** Answered the last ping. */
  alive: boolean;
  recheck: NodeJS.Timeout;
}

/**
 * GET /ws/live: each stored result the viewer may see and asked for, one JSON text frame each,
 * shaped like GET /results' items. Fed by this process's live bus, which hears every API process's
 * results (in-process, or through RabbitMQ's fan-out exchange). docs/live.md is the client's guide.
 */
export function liveRoutes(deps: {
  live: LiveBus;
  authenticate: Authenticate;
  options?: Partial<LiveOptions>;
}) {
  const options: LiveOptions = { ...LIVE_DEFAULTS, ...deps.options };
  const clients = new Set<LiveClient>();

  function drop(client: LiveClient, code: number, reason: string): void {
    if (!clients.delete(client)) return;
    clearInterval(client.recheck);
    client.socket.close(code, closeReason(reason));
  }

  /** One listener for all clients: each result is serialised once, whoever receives it. */
  function deliver(results: readonly StoredResult[]): void {
    if (clients.size === 0) return;
    const frames: (string | undefined)[] = [];
    for (const client of clients) {
      for (let i = 0; i < results.length; i += 1) {
        const result = results[i]!;
        if (client.socket.readyState !== client.socket.OPEN) break;
        if (!client.accepts(result)) continue;
        if (client.socket.bufferedAmount > options.maxBufferedBytes) {
          drop(
            client,
            LIVE_CLOSE.tooSlow,
            `too slow: more than ${options.maxBufferedBytes} bytes waiting to be sent; reconnect and read faster`,
          );
          const socket = client.socket;
          setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
          break;
        }
        client.socket.send((frames[i] ??= JSON.stringify(toResultOutput(result))));
      }
    }
  }

  async function register(app: HomApp): Promise<void> {
    const unsubscribe = deps.live.subscribe((results) => {
      try {
        deliver(results);
      } catch (error) {
        // The writer publishes: a fault here must never fail its batch.
        app.log.error({ err: error }, 'live results: delivery failed');
      }
    });
    const heartbeat = setInterval(() => {
      for (const client of clients) {
        if (!client.alive) {
          clients.delete(client);
          clearInterval(client.recheck);
          client.socket.terminate();
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
    }, options.heartbeatMs).unref();
    app.addHook('onClose', async () => {
      unsubscribe();
      clearInterval(heartbeat);
      for (const client of clients) drop(client, LIVE_CLOSE.goingAway, 'server shutting down');
    });

    app.get(
      '/ws/live',
      {
        websocket: true,
        // Browsers cannot set headers on a WebSocket: credentials may come in the first message, so the
        // HTTP guard lets the upgrade through and the handler checks plant:read itself.
        config: { access: 'public' },
        schema: { tags: ['quality'], summary: 'Live test results over WebSocket (docs/live.md)' },
      },
      (socket, request) => {
        const log = request.log.child({ component: 'live' });
        const parsed = liveFilterInput.safeParse(request.query);
        if (!parsed.success) {
          const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
          socket.close(LIVE_CLOSE.invalidFilter, closeReason(`invalid filter: ${problems.join('; ')}`));
          return;
        }
        const filter = parsed.data;
        let client: LiveClient | undefined;
        let credentials: Credentials = {};
        let authenticating = false;
        // Credentials that arrived while others were being checked: checked next, the latest wins.
        let pending: string | undefined;
        // Browsers cannot set headers: their first message carries the credentials, in time.
        const timer = request.ctx.actor
          ? undefined
          : setTimeout(
              () =>
                socket.close(
                  LIVE_CLOSE.unauthenticated,
                  closeReason(
                    `authentication timed out: send {"type":"auth","authorization":"Bearer <token>"} within ${options.authTimeoutMs} ms`,
                  ),
                ),
              options.authTimeoutMs,
            );

        const refuse = (error: unknown) => {
          const [code, reason] = refusal(error);
          if (code === LIVE_CLOSE.internalError)
            log.error({ err: error }, 'live client: authentication failed');
          if (client) drop(client, code, reason);
          else socket.close(code, closeReason(reason));
        };

        /** Lets the viewer in, or, once in, takes their renewed credentials; a refusal closes the socket. */
        const admit = (actor: Actor, given: Credentials) => {
          if (socket.readyState !== socket.OPEN) return;
          let accepts: LiveClient['accepts'];
          try {
            accepts = liveAcceptor(actor, filter);
          } catch (error) {
            refuse(error);
            return;
          }
          credentials = given;
          if (client) {
            client.accepts = accepts;
            return;
          }
          clearTimeout(timer);
          const admitted: LiveClient = {
            socket,
            accepts,
            alive: true,
            recheck: setInterval(() => void recheck(), options.recheckMs).unref(),
          };
          client = admitted;
          clients.add(admitted);
          socket.on('pong', () => (admitted.alive = true));
          socket.send(JSON.stringify({ type: 'ready' }));
          log.debug({ actor: actor.name, filter }, 'live client subscribed');
        };

        const authenticate = (given: Credentials) => {
          authenticating = true;
          deps
            .authenticate(given)
            .then((actor) => {
              if (actor) admit(actor, given);
              else refuse(unauthenticated('Credentials are no longer valid'));
            }, refuse)
            .finally(() => {
              authenticating = false;
              const next = pending;
              pending = undefined;
              if (next !== undefined && socket.readyState === socket.OPEN)
                authenticate({ authorization: next });
            });
        };

        // A sign-out, a revoked key, a changed role or site counts within one recheck period.
        const recheck = async () => {
          if (authenticating) return;
          try {
            const actor = await deps.authenticate(credentials);
            if (actor) admit(actor, credentials);
            else refuse(unauthenticated('Credentials are no longer valid'));
          } catch (error) {
            // A database hiccup is not a refusal: keep the client and try again next time.
            if (refusal(error)[0] === LIVE_CLOSE.internalError)
              log.warn({ err: error }, 'live client: recheck failed');
            else refuse(error);
          }
        };

        socket.on('close', () => {
          clearTimeout(timer);
          if (client) drop(client, LIVE_CLOSE.goingAway, 'closed');
        });
        // An auth message lets a browser in; once in, another one renews its credentials (a refreshed
        // token) on the open socket. Anything else before it is refused, after it ignored.
        socket.on('message', (data: RawData, isBinary: boolean) => {
          const authorization = isBinary ? undefined : authorizationIn(rawText(data));
          if (authorization === undefined) {
            if (!client)
              socket.close(
                LIVE_CLOSE.unauthenticated,
                'the first message must be {"type":"auth","authorization":"Bearer <token>"}',
              );
            return;
          }
          if (authenticating) pending = authorization;
          else authenticate({ authorization });
        });

        // Non-browser clients: the onRequest hook already authenticated the headers (a bad one got 401).
        if (request.ctx.actor) admit(request.ctx.actor, headerCredentials(request));
      },
    );
  }

  return {
    register,
    /** Clients receiving results now (authenticated and subscribed). */
    clients: () => clients.size,
  };
}

function headerCredentials(request: FastifyRequest): Credentials {
  const apiKey = request.headers['x-api-key'];
  return {
    authorization: request.headers.authorization,
    apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey,
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
