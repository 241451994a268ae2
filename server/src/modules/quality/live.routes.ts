import { z } from 'zod';
import { requirePermission, requireSite, type Actor } from '../../platform/auth/actor.ts';
import {
  AUTHED_SOCKET_DEFAULTS,
  authedSockets,
  type AuthedSocket,
  type AuthedSocketOptions,
} from '../../platform/http/authed-socket.ts';
import type { Authenticate } from '../../platform/http/authed-socket.protocol.ts';
import type { HomApp } from '../../platform/http/types.ts';
import { VERDICTS, type ResultOutput } from './ingest.dto.ts';
import type { LiveBus } from './live-bus.ts';
import type { StoredResult } from './results.writer.ts';

/** GET /ws/live's limits are the door's (docs/live.md). */
export type LiveOptions = AuthedSocketOptions;
export const LIVE_DEFAULTS: LiveOptions = AUTHED_SOCKET_DEFAULTS;

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
  const sockets = authedSockets({
    authenticate: deps.authenticate,
    component: 'live',
    options: deps.options,
  });
  const viewers = new Set<AuthedSocket<(result: StoredResult) => boolean>>();

  /** One listener for all clients: each result is serialised once, whoever receives it. */
  function deliver(results: readonly StoredResult[]): void {
    if (viewers.size === 0) return;
    const frames: (string | undefined)[] = [];
    for (const viewer of viewers) {
      for (let i = 0; i < results.length; i += 1) {
        const result = results[i]!;
        if (!viewer.open) break;
        if (!viewer.access(result)) continue;
        if (!viewer.send((frames[i] ??= JSON.stringify(toResultOutput(result))))) break;
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
    app.addHook('onClose', async () => unsubscribe());
    await sockets.register(app);
    sockets.route(app, {
      url: '/ws/live',
      schema: { tags: ['quality'], summary: 'Live test results over WebSocket (docs/live.md)' },
      connect: (request) => {
        const parsed = liveFilterInput.safeParse(request.query);
        if (!parsed.success) {
          const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
          return { invalid: `invalid filter: ${problems.join('; ')}` };
        }
        const filter = parsed.data;
        return {
          access: (actor) => liveAcceptor(actor, filter),
          admitted: (viewer, actor) => {
            viewers.add(viewer);
            request.log.debug({ component: 'live', actor: actor.name, filter }, 'live client subscribed');
          },
          left: (viewer) => viewers.delete(viewer),
        };
      },
    });
  }

  return {
    register,
    /** Clients receiving results now (authenticated and subscribed). */
    clients: () => viewers.size,
  };
}
