import { requirePermission, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pageOf } from '../../platform/pagination.ts';
import { recordChange } from '../audit/index.ts';
import { findReason } from './catalog.repository.ts';
import type { DowntimeOutput } from './downtime.dto.ts';
import * as downtimes from './downtime.repository.ts';
import { downtimeAlreadyExplained, downtimeNotFound, unknownReason } from './maintenance.errors.ts';
import type { ExplainInput, SplitInput, UnexplainedFilter } from './unexplained.dto.ts';
import * as unexplained from './unexplained.repository.ts';
import { planSplit } from './unexplained.split.ts';

/**
 * The queue of stops HOM opened by itself without a reason (docs/auto-downtime.md): operators give each
 * a reason, or split one into consecutive parts with their own reasons.
 */
export function createUnexplainedService(deps: { db: Pick<Database, 'transaction'>; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function getOrThrow(tx: Tx, id: number): Promise<DowntimeOutput> {
    const found = await downtimes.findDowntime(tx, id);
    if (!found) throw downtimeNotFound(`No downtime with id ${id}`);
    return found;
  }

  async function checkReason(tx: Tx, reasonId: number | null, field: string): Promise<void> {
    if (reasonId !== null && !(await findReason(tx, reasonId))) {
      throw unknownReason(`No downtime reason with id ${reasonId}`, {
        errors: [{ field, message: 'unknown reason' }],
      });
    }
  }

  return {
    async list(request: RequestContext, filter: UnexplainedFilter) {
      const ctx = requirePermission(request, 'plant:read');
      const rows = await db.transaction(scopeOf(ctx), (tx) => unexplained.listUnexplained(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({
        start_at: row.start_datetime.toISOString(),
        id: row.id,
      }));
    },

    /**
     * Gives a stop without a reason its reason. A stop that has one already is refused (two operators
     * answering the same stop); to change a reason, PATCH /downtimes/{id} with reason_id.
     */
    async explain(request: RequestContext, id: number, input: ExplainInput): Promise<DowntimeOutput> {
      const ctx = requirePermission(request, 'downtime:record');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const locked = await downtimes.lockDowntime(tx, id);
        if (!locked) throw downtimeNotFound(`No downtime with id ${id}`);
        const before = await getOrThrow(tx, id);
        if (locked.reason_id !== null) {
          throw downtimeAlreadyExplained(
            `Downtime ${id} already has the reason ${before.reason_code ?? locked.reason_id}; to change it, edit the downtime (PATCH /downtimes/${id} with reason_id)`,
          );
        }
        await checkReason(tx, input.reason_id, 'reason_id');
        await downtimes.updateDowntimeRow(tx, id, {
          reason_id: input.reason_id,
          ...(input.comment !== undefined ? { comment: input.comment } : {}),
        });
        const after = await getOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'explain',
          entity: 'downtime',
          entityId: id,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      });
    },

    /**
     * Cuts one stop into consecutive parts that cover exactly its interval, each with its own reason
     * (null keeps a part in the queue). The first part keeps the stop's id (and its repairs); the
     * others are new stops that name it in split_from_id. An open stop stays open in its last part.
     */
    async split(request: RequestContext, id: number, input: SplitInput): Promise<DowntimeOutput[]> {
      const ctx = requirePermission(request, 'downtime:record');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const locked = await downtimes.lockDowntime(tx, id);
        if (!locked) throw downtimeNotFound(`No downtime with id ${id}`);
        const before = await getOrThrow(tx, id);
        const parts = planSplit(locked, input, now());
        for (const [index, part] of parts.entries())
          await checkReason(tx, part.reason_id, `parts.${index}.reason_id`);

        const [first, ...rest] = parts;
        if (!first) throw new Error('planSplit returns at least two parts');
        // The first part first: it gives up the open end before the last part takes it.
        await downtimes.updateDowntimeRow(tx, id, {
          end_at: first.end,
          reason_id: first.reason_id,
          comment: first.comment ?? locked.comment,
        });
        const ids = [id];
        for (const part of rest) {
          ids.push(
            await downtimes.insertDowntime(tx, {
              site_id: locked.site_id,
              machine_id: locked.machine_id,
              start_at: part.start,
              end_at: part.end,
              planned: locked.planned,
              reason_id: part.reason_id,
              comment: part.comment,
              reported_by: locked.reported_by,
              source: locked.source,
              cause: locked.cause,
              split_from_id: id,
            }),
          );
        }
        const after: DowntimeOutput[] = [];
        for (const partId of ids) after.push(await getOrThrow(tx, partId));
        await recordChange(tx, ctx, {
          action: 'split',
          entity: 'downtime',
          entityId: id,
          siteId: locked.site_id,
          before,
          after: { parts: after },
        });
        for (const part of after.slice(1)) {
          await recordChange(tx, ctx, {
            action: 'create',
            entity: 'downtime',
            entityId: part.id,
            siteId: part.site_id,
            after: { ...part, split_from_id: id },
          });
        }
        return after;
      });
    },
  };
}
export type UnexplainedService = ReturnType<typeof createUnexplainedService>;
