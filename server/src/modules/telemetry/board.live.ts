import { z } from 'zod';
import { requirePermission, requireSite, type Actor } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { listen, type Listener } from '../../platform/db/listen.ts';
import {
  AUTHED_SOCKET_DEFAULTS,
  authedSockets,
  type AuthedSocket,
  type AuthedSocketOptions,
} from '../../platform/http/authed-socket.ts';
import type { Authenticate } from '../../platform/http/authed-socket.protocol.ts';
import type { HomApp } from '../../platform/http/types.ts';
import type { Logger } from '../../platform/logger.ts';
import { coalesce, parseSignal, type BoardEvent } from './board.events.ts';
import { SIGNAL_CHANNEL } from './signals.types.ts';

export interface BoardLiveOptions extends AuthedSocketOptions {
  /** At most one frame per socket this often: bursts are coalesced into it. */
  flushMs: number;
}

export const BOARD_LIVE_DEFAULTS: BoardLiveOptions = { ...AUTHED_SOCKET_DEFAULTS, flushMs: 250 };

/** Events queued for one socket beyond this are dropped for one `resync` (the client reloads the board). */
const MAX_QUEUED = 2_000;

const filterInput = z
  .object({ site_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() })
  .strict();

type SiteFilter = (siteId: number) => boolean;

/** One admitted viewer's delivery: events wait here for the next coalesced frame. */
interface Client {
  socket: AuthedSocket<SiteFilter>;
  queue: BoardEvent[];
  resync: boolean;
  flushTimer: NodeJS.Timeout | undefined;
  lastFlush: number;
}

/** Which sites' events this viewer gets: plant:read, their sites, narrowed to the one asked for. */
function siteAcceptor(actor: Actor, siteId: number | undefined): SiteFilter {
  const ctx = requirePermission({ actor, requestId: 'ws', clientIp: '', userAgent: undefined }, 'plant:read');
  if (siteId !== undefined) requireSite(ctx, siteId);
  const sites = new Set(actor.siteIds);
  return (site) => (siteId === undefined || site === siteId) && (actor.allSites || sites.has(site));
}

/**
 * GET /ws/machines: the machine board's live feed. Every state change, counter increase and stale
 * source any process stores (NOTIFY hom_machine_signals) reaches the viewers of that site, coalesced
 * to at most one frame per socket every `flushMs`: `{"type":"signals","events":[…]}`; `{"type":"resync"}`
 * after a gap (the LISTEN connection came back, or a client fell behind), when the board is read again.
 * Authentication, renewal, rechecks, heartbeat and close codes are the platform door's (authed-socket.ts).
 */
export function boardLiveRoutes(deps: {
  db: Pick<Database, 'pool'>;
  authenticate: Authenticate;
  options?: Partial<BoardLiveOptions>;
}) {
  const options: BoardLiveOptions = { ...BOARD_LIVE_DEFAULTS, ...deps.options };
  const sockets = authedSockets({
    authenticate: deps.authenticate,
    component: 'board',
    options,
    // What GET /ws/machines has always said.
    reasons: {
      authTimeout: 'authentication timed out: send {"type":"auth","authorization":"Bearer <token>"}',
      tooSlow: 'too slow: reconnect and read faster',
    },
  });
  const clients = new Set<Client>();

  function flush(client: Client): void {
    client.flushTimer = undefined;
    if (!client.socket.open) return;
    const frame = client.resync ? { type: 'resync' } : { type: 'signals', events: coalesce(client.queue) };
    if (!client.socket.send(JSON.stringify(frame))) return;
    client.lastFlush = Date.now();
    client.queue = [];
    client.resync = false;
  }

  function schedule(client: Client): void {
    if (client.flushTimer) return;
    const wait = Math.max(0, client.lastFlush + options.flushMs - Date.now());
    client.flushTimer = setTimeout(() => flush(client), wait);
  }

  function deliver(event: BoardEvent | 'resync'): void {
    for (const client of clients) {
      if (event === 'resync') client.resync = true;
      else if (!client.socket.access(event.site_id)) continue;
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
    app.addHook('onClose', async () => {
      await listener?.close();
    });
    await sockets.register(app);
    sockets.route(app, {
      url: '/ws/machines',
      schema: {
        tags: ['telemetry'],
        summary: 'Live machine board events over WebSocket (docs/machine-board.md)',
      },
      connect: (request) => {
        const parsed = filterInput.safeParse(request.query);
        if (!parsed.success)
          return { invalid: 'invalid filter: only site_id (a positive integer) is allowed' };
        const siteId = parsed.data.site_id;
        let client: Client | undefined;
        return {
          access: (actor) => siteAcceptor(actor, siteId),
          // `ready` once the LISTEN is in place, so the viewer misses nothing stored after it.
          admitted: (socket) =>
            ensureListening().then(() => {
              if (!socket.open) return;
              client = { socket, queue: [], resync: false, flushTimer: undefined, lastFlush: 0 };
              clients.add(client);
            }),
          left: () => {
            if (!client) return;
            clients.delete(client);
            clearTimeout(client.flushTimer);
          },
        };
      },
    });
  }

  return { register, clients: () => clients.size };
}
