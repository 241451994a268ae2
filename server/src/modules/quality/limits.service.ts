import {
  requirePermission,
  requireSite,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import type { FieldError } from '../../platform/errors.ts';
import { recordChange } from '../audit/index.ts';
import type { CreateLimitInput, LimitImportSummary, LimitOutput, ListLimitsInput } from './limits.dto.ts';
import {
  decodeCsv,
  exportRow,
  instantIn,
  invalidFile,
  parseCsv,
  toCsv,
  validateRows,
  type LimitCsvRow,
} from './limits-csv.ts';
import * as repo from './limits.repository.ts';
import { limitExists, limitInForce, limitNotFound, limitSiteNotFound } from './quality.errors.ts';

const ENTITY = 'spec_limit';

/** The key of a version: one per site, product, step and instant. */
const keyOf = (limit: { site_id: number; product_id: string; test_step: string; effective_from: Date }) =>
  `${limit.site_id}\u0000${limit.product_id}\u0000${limit.test_step}\u0000${limit.effective_from.getTime()}`;

const sameValues = (a: repo.LimitRow, b: Omit<repo.NewLimit, 'created_by'>) =>
  a.lower_limit === b.lower_limit &&
  a.upper_limit === b.upper_limit &&
  a.target === b.target &&
  a.unit === b.unit;

/** YYYY-MM-DD of `at` on the zone's clock. */
const localDate = (at: Date, timeZone: string) => at.toLocaleDateString('sv-SE', { timeZone });

/**
 * Spec limits per site, product and test step, versioned by effective_from: a result is judged by
 * the version in force when it was measured (results.writer.ts). Versions are never edited; a new
 * one replaces the old from its effective_from on. Only a version not yet in force may be deleted.
 */
export function createLimitService(deps: { db: Pick<Database, 'transaction'>; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  const read = <T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>) => {
    const ctx = requirePermission(request, 'plant:read');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  };
  const manage = <T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>) => {
    const ctx = requirePermission(request, 'quality:manage');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  };

  async function siteOrThrow(tx: Tx, ctx: AuthedContext, siteId: number): Promise<repo.SiteRef> {
    requireSite(ctx, siteId);
    const site = await repo.findSite(tx, siteId);
    if (!site) throw limitSiteNotFound(`No site with id ${siteId}`);
    return site;
  }

  /** Where each row's site comes from: its site_id or site_code, else the one asked for or the caller's only one. */
  async function siteResolver(tx: Tx, ctx: AuthedContext, fallbackId: number | undefined) {
    const sites = await repo.visibleSites(tx);
    const member = (site: repo.SiteRef) => ctx.actor.allSites || ctx.actor.siteIds.includes(site.id);
    const byId = new Map(sites.filter(member).map((site) => [site.id, site]));
    const byCode = new Map(sites.filter(member).map((site) => [site.code.toLowerCase(), site]));
    const only = byId.size === 1 ? [...byId.values()][0] : undefined;
    const fallback = fallbackId !== undefined ? byId.get(fallbackId) : only;
    if (fallbackId !== undefined && !fallback) throw limitSiteNotFound(`No site with id ${fallbackId}`);
    return (row: LimitCsvRow): { site?: repo.SiteRef; error?: FieldError } => {
      const field = `row ${row.line}: ${row.site_id !== undefined ? 'site_id' : 'site_code'}`;
      if (row.site_id !== undefined) {
        const site = byId.get(row.site_id);
        if (!site) return { error: { field, message: `no site ${row.site_id} on your sites` } };
        if (row.site_code !== undefined && row.site_code.toLowerCase() !== site.code.toLowerCase()) {
          return { error: { field, message: `site ${row.site_id} is ${site.code}, not ${row.site_code}` } };
        }
        return { site };
      }
      if (row.site_code !== undefined) {
        const site = byCode.get(row.site_code.toLowerCase());
        return site ? { site } : { error: { field, message: `no site ${row.site_code} on your sites` } };
      }
      if (fallback) return { site: fallback };
      return { error: { field, message: 'required: give site_code or site_id (or ?site_id=…)' } };
    };
  }

  return {
    /** The versions in force at `at` (default now) per product and step; with `history`, every version. */
    list: (request: RequestContext, filter: ListLimitsInput): Promise<LimitOutput[]> =>
      read(request, (tx, ctx) => {
        if (filter.site_id) requireSite(ctx, filter.site_id);
        return repo.listLimits(tx, { ...filter, at: filter.at ?? now() });
      }),

    create: (request: RequestContext, input: CreateLimitInput): Promise<LimitOutput> =>
      manage(request, async (tx, ctx) => {
        const site = await siteOrThrow(tx, ctx, input.site_id);
        const at = now();
        const effectiveFrom = input.effective_from ? instantIn(input.effective_from, site.time_zone) : at;
        const created = await repo.insertLimit(tx, {
          site_id: site.id,
          product_code: input.product_id,
          test_step: input.test_step,
          lower_limit: input.lower_limit ?? null,
          upper_limit: input.upper_limit ?? null,
          target: input.target ?? null,
          unit: input.unit,
          effective_from: effectiveFrom,
          created_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
        });
        if (!created) {
          throw limitExists(
            `${input.product_id} / ${input.test_step} already has a version from ${effectiveFrom.toISOString()}; ` +
              'versions are not edited: add one with another effective_from',
            { errors: [{ field: 'effective_from', message: 'a version from this instant exists' }] },
          );
        }
        await recordChange(tx, ctx, {
          action: 'create',
          entity: ENTITY,
          entityId: created.id,
          siteId: site.id,
          after: created,
        });
        const current = await repo.listLimits(tx, {
          site_id: site.id,
          product_id: created.product_id,
          test_step: created.test_step,
          at,
          history: false,
        });
        return { ...created, in_force: current.some((limit) => limit.id === created.id) };
      }),

    /** Only a version not yet in force (and not yet used to judge a result) may go. */
    remove: (request: RequestContext, id: number): Promise<void> =>
      manage(request, async (tx, ctx) => {
        const limit = await repo.findLimit(tx, id);
        if (!limit) throw limitNotFound(`No spec limit with id ${id}`);
        requireSite(ctx, limit.site_id);
        const inForceSince = limit.effective_from.getTime() <= now().getTime();
        if (inForceSince || (await repo.judgedBy(tx, limit))) {
          throw limitInForce(
            inForceSince
              ? `This version has been in force since ${limit.effective_from.toISOString()}; its history is kept ` +
                  'because results were judged by it. Add a new version to change the limits.'
              : 'Results were already judged by this version, so its history is kept. Add a new version instead.',
            { details: { effective_from: limit.effective_from.toISOString() } },
          );
        }
        await repo.deleteLimit(tx, id);
        await recordChange(tx, ctx, {
          action: 'delete',
          entity: ENTITY,
          entityId: id,
          siteId: limit.site_id,
          before: limit,
        });
      }),

    /** Every version of the site (or of every site the caller sees), oldest first per product and step. */
    exportCsv: (request: RequestContext, siteId?: number): Promise<{ filename: string; csv: string }> =>
      read(request, async (tx, ctx) => {
        const sites = siteId ? [await siteOrThrow(tx, ctx, siteId)] : await repo.visibleSites(tx);
        const byId = new Map(sites.map((site) => [site.id, site]));
        const limits = await repo.limitsOfSites(tx, [...byId.keys()]);
        const rows = limits.map((limit) => exportRow(limit, byId.get(limit.site_id)!));
        const [first] = sites;
        const name = siteId && first ? first.code.replace(/[^A-Za-z0-9_.-]/g, '_') : 'all';
        const date = localDate(now(), siteId && first ? first.time_zone : 'UTC');
        return { filename: `spec-limits-${name}-${date}.csv`, csv: toCsv(rows) };
      }),

    /**
     * Checks every row before it writes anything, then stores the new versions in one transaction.
     * A row that repeats a stored version exactly is counted as unchanged (an export imports again
     * cleanly); one that differs from a stored version of the same instant is an error.
     */
    importCsv(
      request: RequestContext,
      siteId: number | undefined,
      file: Buffer,
    ): Promise<LimitImportSummary> {
      const ctx = requirePermission(request, 'quality:manage');
      if (siteId !== undefined) requireSite(ctx, siteId);
      const { rows, errors } = validateRows(parseCsv(decodeCsv(file)));
      return db.transaction(scopeOf(ctx), async (tx) => {
        const siteOf = await siteResolver(tx, ctx, siteId);
        const at = now();
        const planned: (Omit<repo.NewLimit, 'created_by'> & { line: number })[] = [];
        for (const row of rows) {
          const { site, error } = siteOf(row);
          if (!site) {
            errors.push(error!);
            continue;
          }
          planned.push({
            line: row.line,
            site_id: site.id,
            product_code: row.product_id,
            test_step: row.test_step,
            lower_limit: row.lower_limit ?? null,
            upper_limit: row.upper_limit ?? null,
            target: row.target ?? null,
            unit: row.unit,
            effective_from: row.effective_from ? instantIn(row.effective_from, site.time_zone) : at,
          });
        }

        const siteIds = [...new Set(planned.map((row) => row.site_id))];
        const stored = new Map((await repo.limitsOfSites(tx, siteIds)).map((limit) => [keyOf(limit), limit]));
        const inFile = new Map<string, number>();
        const fresh: typeof planned = [];
        let unchanged = 0;
        for (const row of planned) {
          const key = keyOf({ ...row, product_id: row.product_code });
          const when = row.effective_from.toISOString();
          const earlier = inFile.get(key);
          if (earlier !== undefined) {
            errors.push({
              field: `row ${row.line}: effective_from`,
              message: `${row.product_code} / ${row.test_step} from ${when} is also on row ${earlier}; give each version one row`,
            });
            continue;
          }
          inFile.set(key, row.line);
          const existing = stored.get(key);
          if (!existing) fresh.push(row);
          else if (sameValues(existing, row)) unchanged += 1;
          else {
            errors.push({
              field: `row ${row.line}: effective_from`,
              message: `a version of ${row.product_code} / ${row.test_step} from ${when} is stored with other values; versions are not edited: give this row another effective_from`,
            });
          }
        }
        if (errors.length > 0) throw invalidFile(errors.toSorted((a, b) => lineOf(a) - lineOf(b)));

        const createdBy = ctx.actor.kind === 'user' ? ctx.actor.id : null;
        const created = await repo.insertLimits(
          tx,
          fresh.map(({ line: _line, ...row }) => ({ ...row, created_by: createdBy })),
        );
        for (const limit of created) {
          await recordChange(tx, ctx, {
            action: 'import_create',
            entity: ENTITY,
            entityId: limit.id,
            siteId: limit.site_id,
            after: limit,
          });
        }
        return { created: created.length, unchanged, rows: rows.length };
      });
    },
  };
}
export type LimitService = ReturnType<typeof createLimitService>;

/** "row 12: unit" → 12; file-wide problems first. */
function lineOf(error: FieldError): number {
  return Number(/^row (\d+)/.exec(error.field)?.[1] ?? 0);
}
