import {
  requirePermission,
  requireSite,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type {
  CreateTemplateInput,
  TemplateFilter,
  TemplateOutput,
  UpdateTemplateInput,
} from './checklist.dto.ts';
import {
  sharedTemplateForbidden,
  templateInUse,
  templateNameTaken,
  templateNotFound,
} from './checklist.errors.ts';
import * as templates from './checklist.repository.ts';

/**
 * Checklist templates: ordered steps a maintenance log answers one by one. A template belongs to a
 * site or, with site_id null, is shared by every site (written by admins of all sites). Logs copy
 * the steps' text, so editing a template never changes a log; a used template can be deactivated but
 * not deleted.
 */
export function createChecklistService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;
  const manage = <T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>) => {
    const ctx = requirePermission(request, 'catalog:manage');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  };
  const userOf = (ctx: AuthedContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

  function checkOwner(ctx: AuthedContext, siteId: number | null): void {
    if (siteId === null) {
      if (!ctx.actor.allSites)
        throw sharedTemplateForbidden(
          'Only an administrator of all sites edits shared checklists; give the checklist a site_id',
        );
    } else requireSite(ctx, siteId);
  }

  async function checkName(tx: Tx, siteId: number | null, name: string, exceptId: number | null) {
    if (await templates.nameTaken(tx, siteId, name, exceptId))
      throw templateNameTaken(`A checklist named "${name}" already exists${siteId ? ' on this site' : ''}`, {
        errors: [{ field: 'name', message: 'already used by another checklist' }],
      });
  }

  async function getOrThrow(tx: Tx, id: number): Promise<TemplateOutput> {
    const found = await templates.findTemplate(tx, id);
    if (!found) throw templateNotFound(`No checklist template with id ${id}`);
    return found;
  }

  return {
    list(request: RequestContext, filter: TemplateFilter): Promise<TemplateOutput[]> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), (tx) => templates.listTemplates(tx, filter));
    },

    get(request: RequestContext, id: number): Promise<TemplateOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), (tx) => getOrThrow(tx, id));
    },

    create: (request: RequestContext, input: CreateTemplateInput) =>
      manage(request, async (tx, ctx) => {
        checkOwner(ctx, input.site_id);
        await checkName(tx, input.site_id, input.name, null);
        const id = await templates.insertTemplate(tx, {
          site_id: input.site_id,
          name: input.name,
          description: input.description ?? null,
          applies_to: input.applies_to,
          created_by: userOf(ctx),
        });
        await templates.replaceItems(tx, id, input.site_id, input.items);
        const after = await getOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'checklist_template',
          entityId: id,
          siteId: input.site_id,
          after,
        });
        return after;
      }),

    update: (request: RequestContext, id: number, input: UpdateTemplateInput) =>
      manage(request, async (tx, ctx) => {
        const locked = await templates.lockTemplate(tx, id);
        if (!locked) throw templateNotFound(`No checklist template with id ${id}`);
        checkOwner(ctx, locked.site_id);
        const before = await getOrThrow(tx, id);
        if (input.name !== undefined) await checkName(tx, locked.site_id, input.name, id);
        await templates.updateTemplateRow(tx, id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.applies_to !== undefined ? { applies_to: input.applies_to } : {}),
          ...(input.is_active !== undefined ? { is_active: input.is_active } : {}),
        });
        if (input.items) await templates.replaceItems(tx, id, locked.site_id, input.items);
        const after = await getOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'checklist_template',
          entityId: id,
          siteId: locked.site_id,
          before,
          after,
        });
        return after;
      }),

    remove: (request: RequestContext, id: number) =>
      manage(request, async (tx, ctx) => {
        const locked = await templates.lockTemplate(tx, id);
        if (!locked) throw templateNotFound(`No checklist template with id ${id}`);
        checkOwner(ctx, locked.site_id);
        const before = await getOrThrow(tx, id);
        if (before.used_by_logs > 0 || before.used_by_plans > 0)
          throw templateInUse(
            `This checklist is used by ${before.used_by_logs} log(s) and ${before.used_by_plans} PM plan(s); deactivate it instead`,
            { details: { used_by_logs: before.used_by_logs, used_by_plans: before.used_by_plans } },
          );
        await templates.deleteTemplate(tx, id);
        await recordChange(tx, ctx, {
          action: 'delete',
          entity: 'checklist_template',
          entityId: id,
          siteId: locked.site_id,
          before,
        });
      }),
  };
}
export type ChecklistService = ReturnType<typeof createChecklistService>;
