import { requirePermission, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { openExport, type ExportFormat, type ExportLimits, type ExportList } from './export.stream.ts';
import { reportSiteNotFound } from './reports.errors.ts';
import { findSite } from './reports.repository.ts';
import { localDay } from './weekly.week.ts';

/** Exports of lists: `report:read` here, the list's own read permission inside its page function. */
export function createExportService(deps: { db: Pick<Database, 'transaction'> }) {
  return {
    async open(
      request: RequestContext,
      list: ExportList,
      query: Record<string, unknown>,
      format: ExportFormat,
      limits: ExportLimits = {},
    ) {
      const ctx = requirePermission(request, 'report:read');
      const siteId = typeof query.site_id === 'number' ? query.site_id : undefined;
      const onlySite =
        siteId ?? (!ctx.actor.allSites && ctx.actor.siteIds.length === 1 ? ctx.actor.siteIds[0] : undefined);
      const site =
        onlySite === undefined
          ? undefined
          : await deps.db.transaction(scopeOf(ctx), (tx) => findSite(tx, onlySite));
      if (siteId !== undefined && !site) {
        throw reportSiteNotFound(`No site ${siteId} among the sites you can see`, {
          errors: [{ field: 'querystring.site_id', message: 'not a site you can see' }],
        });
      }
      const chunks = await openExport(list, ctx, query, format, limits);
      const date = localDay(new Date(), site?.time_zone ?? 'UTC');
      return { filename: `${list.name}_${site?.code ?? 'all-sites'}_${date}.${format}`, chunks };
    },
  };
}
export type ExportService = ReturnType<typeof createExportService>;
