import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type {
  CreateFailureCodeInput,
  CreateReasonInput,
  UpdateFailureCodeInput,
  UpdateReasonInput,
} from './catalog.dto.ts';
import * as catalog from './catalog.repository.ts';
import { unknownFailureCode, unknownReason } from './maintenance.errors.ts';

/** Reason codes for stops and failure codes for repairs: one catalog for every site, edited by admins. */
export function createCatalogService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;
  const read = <T>(request: RequestContext, work: (tx: Tx) => Promise<T>) =>
    db.transaction(scopeOf(requirePermission(request, 'plant:read')), work);
  const manage = <T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>) => {
    const ctx = requirePermission(request, 'catalog:manage');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  };

  return {
    reasons: (request: RequestContext, includeInactive = false) =>
      read(request, (tx) => catalog.listReasons(tx, includeInactive)),
    categories: (request: RequestContext) => read(request, (tx) => catalog.listCategories(tx)),
    failureCodes: (request: RequestContext, includeInactive = false) =>
      read(request, (tx) => catalog.listFailureCodes(tx, includeInactive)),

    createReason: (request: RequestContext, input: CreateReasonInput) =>
      manage(request, async (tx, ctx) => {
        const id = await catalog.insertReason(tx, input);
        const after = await catalog.findReason(tx, id);
        await recordChange(tx, ctx, { action: 'create', entity: 'downtime_reason', entityId: id, after });
        return after!;
      }),

    updateReason: (request: RequestContext, id: number, input: UpdateReasonInput) =>
      manage(request, async (tx, ctx) => {
        const before = await catalog.findReason(tx, id);
        if (!before) throw unknownReason(`No downtime reason with id ${id}`);
        await catalog.updateReasonRow(tx, id, input);
        const after = await catalog.findReason(tx, id);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'downtime_reason',
          entityId: id,
          before,
          after,
        });
        return after!;
      }),

    createFailureCode: (request: RequestContext, input: CreateFailureCodeInput) =>
      manage(request, async (tx, ctx) => {
        const after = await catalog.insertFailureCode(tx, input);
        await recordChange(tx, ctx, { action: 'create', entity: 'failure_code', entityId: after.id, after });
        return after;
      }),

    updateFailureCode: (request: RequestContext, id: number, input: UpdateFailureCodeInput) =>
      manage(request, async (tx, ctx) => {
        const before = await catalog.findFailureCode(tx, id);
        if (!before) throw unknownFailureCode(`No failure code with id ${id}`);
        const after = await catalog.updateFailureCodeRow(tx, id, input);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'failure_code',
          entityId: id,
          before,
          after,
        });
        return after!;
      }),
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
