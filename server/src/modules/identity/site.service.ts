import { requirePermission, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type { CreateSiteInput, SiteOutput, UpdateSiteInput } from './identity.dto.ts';
import { siteCodeTaken, siteNotFound } from './identity.errors.ts';
import * as sites from './site.repository.ts';

export function createSiteService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;
  return {
    /** Row-level security narrows this to the caller's sites; admins see all. */
    async list(request: RequestContext): Promise<SiteOutput[]> {
      const ctx = requirePermission(request, 'site:read');
      return db.transaction(scopeOf(ctx), (tx) => sites.listSites(tx));
    },

    async get(request: RequestContext, id: number): Promise<SiteOutput> {
      const ctx = requirePermission(request, 'site:read');
      const site = await db.transaction(scopeOf(ctx), (tx) => sites.findSite(tx, id));
      if (!site) throw siteNotFound(`No site with id ${id}`);
      return site;
    },

    /** For GraphQL's DataLoader: many ids, one query, in the caller's scope. */
    async getMany(request: RequestContext, ids: readonly number[]): Promise<SiteOutput[]> {
      const ctx = requirePermission(request, 'site:read');
      return db.transaction(scopeOf(ctx), (tx) => sites.findSitesByIds(tx, ids));
    },

    async create(request: RequestContext, input: CreateSiteInput): Promise<SiteOutput> {
      const ctx = requirePermission(request, 'site:manage');
      return db.transaction(scopeOf(ctx), async (tx) => {
        if (await sites.siteCodeExists(tx, input.code)) {
          throw siteCodeTaken(`A site with code "${input.code}" exists`, {
            errors: [{ field: 'code', message: 'already used' }],
          });
        }
        const site = await sites.insertSite(tx, input);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'site',
          entityId: site.id,
          siteId: site.id,
          after: site,
        });
        return site;
      });
    },

    async update(request: RequestContext, id: number, input: UpdateSiteInput): Promise<SiteOutput> {
      const ctx = requirePermission(request, 'site:manage');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await sites.findSite(tx, id);
        if (!before) throw siteNotFound(`No site with id ${id}`);
        if (Object.keys(input).length === 0) return before;
        const after = await sites.updateSiteRow(tx, id, input);
        if (!after) throw siteNotFound(`No site with id ${id}`);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'site',
          entityId: id,
          siteId: id,
          before,
          after,
        });
        return after;
      });
    },
  };
}
export type SiteService = ReturnType<typeof createSiteService>;
