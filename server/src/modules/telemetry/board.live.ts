import type { FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { requirePermission, requireSite, type Actor } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { listen, type Listener } from '../../platform/db/listen.ts';
import { isAppError, unauthenticated } from '../../platform/errors.ts';
import type { HomApp } from '../../platform/http/types.ts';
import type { Logger } from '../../platform/logger.ts';
import { coalesce, parseSignal, type BoardEvent } from './board.events.ts';
import { SIGNAL_CHANNEL } from './signals.types.ts';

type Credentials = { authorization?: string | undefined; apiKey?: string | undefined };
/** Identity's authenticator (the one the HTTP onRequest hook uses). */
export type Authenticate = (credentials: Credentials) => Promise<Actor | null>;

export interface BoardLiveOptions {
  authTimeoutMs: number;
  /** At most one frame per socket this often: bursts are coalesced into it. */
  flushMs: number;
  /** A client with more unsent bytes than this is closed with 1013 instead of buffering more. */
  maxBufferedBytes: number;
  /** Credentials are checked again this often (sign-out, revoked key, lost site). */
  recheckMs: number;
  heartbeatMs: number;
}

export const BOARD_LIVE_DEFAULTS: BoardLiveOptions = {
  authTimeoutMs: 5_000,
  flushMs: 250,
  maxBufferedBytes: 1_048_576,
  recheckMs: 60_000,
  heartbeatMs: 30_000,
};

/** Close codes of GET /ws/machines (the same as GET /ws/live's). */
export const BOARD_CLOSE = {
  goingAway: 1001,
  internalError: 1011,
  tooSlow: 1013,
  invalidFilter: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
} as const;

/** Events queued for one socket beyond this are dropped for one `resync` (the client reloads the board). */
const MAX_QUEUED = 2_000;

const filterInput = z
  .object({ site_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() })
  .strict();
const authMessage = z.object({ type: z.literal('auth'), authorization: z.string().max(4096) });

interface Client {
  socket: WebSocket;
  sees: (siteId: number) => boolean;
  queue: BoardEvent[];
  resync: boolean;
  flushTimer: NodeJS.Timeout | undefined;
  lastFlush: number;
  alive: boolean;
  dropped: boolean;
  recheck: NodeJS.Timeout;
}

function closeReason(reason: string): string {
  let cut = reason;
  while (Buffer.byteLength(cut) > 123) cut = cut.slice(0, -1);
  return cut;
}

function refusal(error: unknown): [number, string] {
  if (isAppError(error)) {
    if (error.kind === 'unauthenticated') return [BOARD_CLOSE.unauthenticated, error.message];
    if (error.kind === 'forbidden') return [BOARD_CLOSE.forbidden, error.message];
  }
  return [BOARD_CLOSE.internalError, 'internal error'];
}

/** Which sites' events this viewer gets: plant:read, their sites, narrowed to the one asked for. */
function siteAcceptor(actor: Actor, siteId: number | undefined): (siteId: number) => boolean {
  const ctx = requirePermission({ actor, requestId: 'ws', clientIp: '', userAgent: undefined }, 'plant:read');
  if (siteId !== undefined) requireSite(ctx, siteId);
  const sites = new Set(actor.siteIds);
  return (site) => (siteId === undefined || site === siteId) && (actor.allSites || sites.has(site));
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function authorizationIn(text: string): string | undefined {
  try {
    const parsed = authMessage.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.authorization : undefined;
  } catch {
    return undefined;
  }
}

function headerCredentials(request: FastifyRequest): Credentials {
  const apiKey = request.headers['x-api-key'];
  return { authorization: request.headers.authorization, apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey };
}

/**
 * GET /ws/machines: the machine board's live feed. Every state change, counter increase and stale
 * source any process stores (NOTIFY hom_machine_signals) reaches the viewers of that site, coalesced
 * to at most one frame per socket every `flushMs`: `{"type":"signals","events":[…]}`; `{"type":"resync"}`
 * after a gap (the LISTEN connection came back, or a client fell behind), when the board is read again.
 */
export function boardLiveRoutes(deps: {
  db: Pick<Database, 'pool'>;
  authenticate: Authenticate;
  options?: Partial<BoardLiveOptions>;
}) {
  const options: BoardLiveOptions = { ...BOARD_LIVE_DEFAULTS, ...deps.options };
  const clients = new Set<Client>();

  function drop(client: Client, code: number, reason: string): void {
    if (client.dropped) return;
    client.dropped = true;
    clients.delete(client);
    clearInterval(client.recheck);
    clearTimeout(client.flushTimer);
    client.socket.close(code, closeReason(reason));
  }

  function flush(client: Client): void {
    client.flushTimer = undefined;
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > options.maxBufferedBytes) {
      const socket = client.socket;
      drop(client, BOARD_CLOSE.tooSlow, 'too slow: reconnect and read faster');
      setTimeout(() => socket.terminate(), 5_000).unref();
      return;
    }
    client.lastFlush = Date.now();
    const frame = client.resync ? { type: 'resync' } : { type: 'signals', events: coalesce(client.queue) };
    client.queue = [];
    client.resync = false;
    client.socket.send(JSON.stringify(frame));
  }

  function schedule(client: Client): void {
    if (client.flushTimer) return;
    const wait = Math.max(0, client.lastFlush + options.flushMs - Date.now());
    client.flushTimer = setTimeout(() => flush(client), wait);
  }

  function deliver(event: BoardEvent | 'resync'): void {
    for (const client of clients) {
      if (event === 'resync') client.resync = true;
      else if (!client.sees(event.site_id)) continue;
      else if (client.queue.length >= MAX_QUEUED) client.resync = true;
      else client.queue.push(event);
      schedule(client);
    }
  }

  async function register(app: HomApp): Promise<void> {
    const log = app.log as unknown as Logger;
    let listener: Listener | undefined;
    let listening: Promise<void> | undefined;
    /**
     * LISTEN starts with the first viewer (and stays): a process nobody watches holds no subscription.
     * Resolves once the LISTEN is in place, so a viewer told `ready` misses nothing stored after it.
     */
    const ensureListening = () =>
      (listening ??= new Promise<void>((resolve) => {
        let listenedBefore = false;
        listener = listen(
          deps.db.pool,
          SIGNAL_CHANNEL,
          (payload) => {
            const event = parseSignal(payload);
            if (event) deliver(event);
            else log.warn({ payload: payload.slice(0, 200) }, 'machine board: unreadable signal');
          },
          log,
          {
            // After a reconnect notifications may have been missed: the boards read themselves again.
            onListening: () => {
              if (listenedBefore) deliver('resync');
              listenedBefore = true;
              resolve();
            },
          },
        );
      }));
    const heartbeat = setInterval(() => {
      for (const client of clients) {
        if (!client.alive) {
          client.dropped = true;
          clients.delete(client);
          clearInterval(client.recheck);
          clearTimeout(client.flushTimer);
          client.socket.terminate();
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
    }, options.heartbeatMs).unref();
    app.addHook('onClose', async () => {
      clearInterval(heartbeat);
      for (const client of clients) drop(client, BOARD_CLOSE.goingAway, 'server shutting down');
      await listener?.close();
    });

    app.get(
      '/ws/machines',
      {
        websocket: true,
        // Browsers cannot set headers on a WebSocket: the first message may carry the credentials, so
        // the HTTP guard lets the upgrade through and the handler checks plant:read itself.
        config: { access: 'public' },
        schema: {
          tags: ['telemetry'],
          summary: 'Live machine board events over WebSocket (docs/machine-board.md)',
        },
      },
      (socket, request) => {
        const parsed = filterInput.safeParse(request.query);
        if (!parsed.success) {
          socket.close(
            BOARD_CLOSE.invalidFilter,
            'invalid filter: only site_id (a positive integer) is allowed',
          );
          return;
        }
        const siteId = parsed.data.site_id;
        let client: Client | undefined;
        let credentials: Credentials = {};
        let authenticating = false;
        let pending: string | undefined;
        const timer = request.ctx.actor
          ? undefined
          : setTimeout(
              () =>
                socket.close(
                  BOARD_CLOSE.unauthenticated,
                  `authentication timed out: send {"type":"auth","authorization":"Bearer <token>"}`,
                ),
              options.authTimeoutMs,
            );

        const refuse = (error: unknown) => {
          const [code, reason] = refusal(error);
          if (code === BOARD_CLOSE.internalError) request.log.error({ err: error }, 'board client refused');
          if (client) drop(client, code, reason);
          else socket.close(code, closeReason(reason));
        };

        const admit = (actor: Actor, given: Credentials) => {
          if (socket.readyState !== socket.OPEN) return;
          let sees: Client['sees'];
          try {
            sees = siteAcceptor(actor, siteId);
          } catch (error) {
            refuse(error);
            return;
          }
          credentials = given;
          if (client) {
            client.sees = sees;
            return;
          }
          clearTimeout(timer);
          const admitted: Client = {
            socket,
            sees,
            queue: [],
            resync: false,
            flushTimer: undefined,
            lastFlush: 0,
            alive: true,
            dropped: false,
            recheck: setInterval(() => void recheck(), options.recheckMs).unref(),
          };
          client = admitted;
          socket.on('pong', () => (admitted.alive = true));
          void ensureListening().then(() => {
            if (admitted.dropped || socket.readyState !== socket.OPEN) return;
            clients.add(admitted);
            socket.send(JSON.stringify({ type: 'ready' }));
          });
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

        const recheck = async () => {
          if (authenticating) return;
          try {
            const actor = await deps.authenticate(credentials);
            if (actor) admit(actor, credentials);
            else refuse(unauthenticated('Credentials are no longer valid'));
          } catch (error) {
            // A database hiccup is not a refusal: keep the client and try again next time.
            if (refusal(error)[0] === BOARD_CLOSE.internalError)
              request.log.warn({ err: error }, 'board client: recheck failed');
            else refuse(error);
          }
        };

        socket.on('close', () => {
          clearTimeout(timer);
          if (client) drop(client, BOARD_CLOSE.goingAway, 'closed');
        });
        // An auth message lets a browser in; once in, another one renews its credentials.
        socket.on('message', (data: RawData, isBinary: boolean) => {
          const authorization = isBinary ? undefined : authorizationIn(rawText(data));
          if (authorization === undefined) {
            if (!client)
              socket.close(
                BOARD_CLOSE.unauthenticated,
                'the first message must be {"type":"auth","authorization":"Bearer <token>"}',
              );
            return;
          }
          if (authenticating) pending = authorization;
          else authenticate({ authorization });
        });

        if (request.ctx.actor) admit(request.ctx.actor, headerCredentials(request));
      },
    );
  }

  return { register, clients: () => clients.size };
}
