import {
  requirePermission,
  requireSite,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pageOf } from '../../platform/pagination.ts';
import { recordChange } from '../audit/index.ts';
import * as tools from './tool.repository.ts';
import type { CreateToolInput, ToolFilter, ToolOutput, UpdateToolInput } from './tools.dto.ts';
import { duplicateAssetNumber, siteRequired, toolNotFound, toolRetired } from './tools.errors.ts';

export const READ_PERMISSION = 'plant:read';
export const MANAGE_PERMISSION = 'tool:manage';

export function userIdOf(ctx: AuthedContext): number | null {
  return ctx.actor.kind === 'user' ? ctx.actor.id : null;
}

export async function toolOrThrow(tx: Tx, id: number): Promise<ToolOutput> {
  const found = await tools.findTool(tx, id);
  if (!found) throw toolNotFound(`No tool with id ${id}`);
  return found;
}

async function checkAssetNumber(tx: Tx, siteId: number, assetNumber: string, exceptId?: number) {
  const existing = await tools.assetNumberTaken(tx, siteId, assetNumber, exceptId);
  if (existing !== undefined) {
    throw duplicateAssetNumber(`Asset number ${assetNumber} is already tool ${existing} on this site`, {
      errors: [{ field: 'asset_number', message: `already used by tool ${existing}` }],
    });
  }
}

/** The site a new record goes to: the one named, or the caller's only site. */
export function siteOfNew(ctx: AuthedContext, siteId: number | undefined, what: string): number {
  const chosen = siteId ?? (ctx.actor.siteIds.length === 1 ? ctx.actor.siteIds[0] : undefined);
  if (chosen === undefined) {
    throw siteRequired(`Say which site this ${what} is for: you are a member of several sites`, {
      errors: [{ field: 'site_id', message: 'required when you are a member of several sites' }],
    });
  }
  requireSite(ctx, chosen);
  return chosen;
}

/** The tool registry: create, edit, retire (never delete), list with filters, one tool. */
export function createToolService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;

  function manage<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>) {
    const ctx = requirePermission(request, MANAGE_PERMISSION);
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }
  function read<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>) {
    const ctx = requirePermission(request, READ_PERMISSION);
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }

  return {
    async list(request: RequestContext, filter: ToolFilter) {
      const rows = await read(request, (tx) => tools.listTools(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({ created_at: row.created_at.toISOString(), id: row.id }));
    },

    get: (request: RequestContext, id: number) => read(request, (tx) => toolOrThrow(tx, id)),

    create: (request: RequestContext, input: CreateToolInput) =>
      manage(request, async (tx, ctx) => {
        const siteId = siteOfNew(ctx, input.site_id, 'tool');
        await checkAssetNumber(tx, siteId, input.asset_number);
        const id = await tools.insertTool(tx, {
          site_id: siteId,
          asset_number: input.asset_number,
          name: input.name,
          kind: input.kind,
          manufacturer: input.manufacturer ?? null,
          cavity_count: input.cavity_count,
          status: input.status,
          storage_location: input.storage_location ?? null,
          life_limit_shots: input.life_limit_shots ?? null,
          counter_max: input.counter_max ?? null,
          ideal_cycle_seconds: input.ideal_cycle_seconds ?? null,
          notes: input.notes ?? null,
          created_by: userIdOf(ctx),
        });
        const created = await toolOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'tool',
          entityId: id,
          siteId,
          after: created,
        });
        return created;
      }),

    update: (request: RequestContext, id: number, input: UpdateToolInput) =>
      manage(request, async (tx, ctx) => {
        const before = await toolOrThrow(tx, id);
        if (input.asset_number !== undefined)
          await checkAssetNumber(tx, before.site_id, input.asset_number, id);
        const values: Parameters<typeof tools.updateTool>[2] = {};
        for (const key of [
          'asset_number',
          'name',
          'kind',
          'manufacturer',
          'cavity_count',
          'storage_location',
          'life_limit_shots',
          'counter_max',
          'ideal_cycle_seconds',
          'notes',
        ] as const) {
          if (input[key] !== undefined) Object.assign(values, { [key]: input[key] });
        }
        if (input.status !== undefined) {
          values.status = input.status;
          values.retired_at = null;
        }
        await tools.updateTool(tx, id, values);
        const after = await toolOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: before.status === 'retired' && after.status !== 'retired' ? 'reinstate' : 'update',
          entity: 'tool',
          entityId: id,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      }),

    /** Retires a tool (it is never deleted: its history stays). A mounted tool is taken off first. */
    retire: (request: RequestContext, id: number) =>
      manage(request, async (tx, ctx) => {
        const before = await toolOrThrow(tx, id);
        if (before.status === 'retired') throw toolRetired(`Tool ${before.asset_number} is already retired`);
        if (before.mounted) {
          throw toolRetired(
            `Tool ${before.asset_number} is mounted on ${before.mounted.machine_code} (${before.mounted.position}): take it off first`,
            { details: { machine_id: before.mounted.machine_id, position: before.mounted.position } },
          );
        }
        await tools.updateTool(tx, id, { status: 'retired', retired_at: new Date() });
        const after = await toolOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'retire',
          entity: 'tool',
          entityId: id,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      }),
  };
}
export type ToolService = ReturnType<typeof createToolService>;
