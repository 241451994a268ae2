import { requirePermission, requireSite, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type { RouteOutput, SaveRouteInput } from './production.dto.ts';
import { routeNotFound } from './production.errors.ts';
import { BUILT_IN_ROUTE } from './production.rules.ts';
import * as routes from './route.repository.ts';

export function builtInRoute(siteId: number): RouteOutput {
  return {
    id: null,
    site_id: siteId,
    product_code: null,
    name: 'Default route (built in)',
    built_in: true,
    steps: BUILT_IN_ROUTE.map((step) => ({ ...step })),
    updated_at: null,
  };
}

export function createRouteService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;
  return {
    /** Every route of the sites asked for; a site without a default route shows the built-in one. */
    list: (request: RequestContext, siteId?: number): Promise<RouteOutput[]> => {
      const ctx = requirePermission(request, 'production:read');
      if (siteId) requireSite(ctx, siteId);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const rows = await routes.listRoutes(tx, siteId);
        const siteIds = siteId
          ? [siteId]
          : ctx.actor.allSites
            ? [...new Set(rows.map((r) => r.site_id))]
            : ctx.actor.siteIds;
        const withDefault = new Set(rows.filter((r) => r.product_code === null).map((r) => r.site_id));
        const builtIns = siteIds.filter((id) => !withDefault.has(id)).map(builtInRoute);
        return [...builtIns, ...rows];
      });
    },

    /** Creates or replaces the route of a site and product (no product: the site's default). */
    save: (request: RequestContext, input: SaveRouteInput): Promise<RouteOutput> => {
      const ctx = requirePermission(request, 'workorder:plan');
      requireSite(ctx, input.site_id);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const existing = await routes.routeIdOf(tx, input.site_id, input.product_code ?? null);
        const before = existing ? await routes.findRoute(tx, existing) : undefined;
        const id = await routes.saveRoute(tx, input);
        const after = await routes.findRoute(tx, id);
        if (!after) throw routeNotFound(`Route ${id} vanished while saving`);
        await recordChange(tx, ctx, {
          action: before ? 'update' : 'create',
          entity: 'production_route',
          entityId: id,
          siteId: input.site_id,
          before,
          after,
        });
        return after;
      });
    },

    remove: (request: RequestContext, id: number): Promise<void> => {
      const ctx = requirePermission(request, 'workorder:plan');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await routes.findRoute(tx, id);
        if (!before) throw routeNotFound(`No route with id ${id}`);
        await routes.deleteRouteRow(tx, id);
        await recordChange(tx, ctx, {
          action: 'delete',
          entity: 'production_route',
          entityId: id,
          siteId: before.site_id,
          before,
        });
      });
    },
  };
}
export type RouteService = ReturnType<typeof createRouteService>;
