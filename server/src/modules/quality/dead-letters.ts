import { z } from 'zod';
import { requirePermission, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import type { HomApp } from '../../platform/http/types.ts';
import { recordChange } from '../audit/index.ts';
import { parseResultsMessage } from './pipeline/message.ts';
import type { IngestTransport } from './pipeline/transport.ts';
import { deadLetterNotFound, deadLetterUnprocessable } from './quality.errors.ts';

const PREVIEW_CHARS = 2_000;

export const deadLetterFilter = z.object({
  replayed: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const deadLetterOutput = z.object({
  id: z.number(),
  received_at: z.date(),
  source: z.string(),
  reason: z.string(),
  /** The first 2,000 characters of the message as it arrived. */
  payload_preview: z.string(),
  payload_bytes: z.number(),
  results: z.number().nullable(),
  replayed_at: z.date().nullable(),
  replayed_by: z.number().nullable(),
});
const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/**
 * The ingest dead letters: messages the pipeline could never process, kept with the reason. Admins see
 * them and send one again once its cause is fixed (a machine made active again, say); a replay goes
 * through the same transport as a new request, so it is stored once even if it was partly stored before.
 */
export function createDeadLetterService(deps: {
  db: Pick<Database, 'transaction'>;
  transport: () => IngestTransport;
}) {
  return {
    list(request: RequestContext, filter: z.output<typeof deadLetterFilter>) {
      const ctx = requirePermission(request, 'ingest:manage');
      return deps.db.transaction(scopeOf(ctx), async (tx) => {
        let query = tx
          .selectFrom('ingest_dead_letters')
          .selectAll()
          .orderBy('received_at', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit);
        if (filter.replayed !== undefined)
          query = query.where('replayed_at', filter.replayed ? 'is not' : 'is', null);
        const rows = await query.execute();
        return rows.map((row) => {
          const parsed = parseResultsMessage(row.payload);
          return {
            id: row.id,
            received_at: row.received_at,
            source: row.source,
            reason: row.reason,
            payload_preview: row.payload.slice(0, PREVIEW_CHARS),
            payload_bytes: Buffer.byteLength(row.payload),
            results: 'rows' in parsed ? parsed.rows.length : null,
            replayed_at: row.replayed_at,
            replayed_by: row.replayed_by,
          };
        });
      });
    },

    async replay(request: RequestContext, id: number): Promise<{ accepted: number }> {
      const ctx = requirePermission(request, 'ingest:manage');
      const letter = await deps.db.transaction(scopeOf(ctx), (tx) =>
        tx.selectFrom('ingest_dead_letters').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      if (!letter) throw deadLetterNotFound(`No dead letter ${id}`);
      const parsed = parseResultsMessage(letter.payload);
      if ('reason' in parsed) {
        throw deadLetterUnprocessable(`Dead letter ${id} still cannot be processed: ${parsed.reason}`);
      }
      await deps.transport().publish(parsed.rows);
      await deps.db.transaction(scopeOf(ctx), async (tx) => {
        await tx
          .updateTable('ingest_dead_letters')
          .set({ replayed_at: new Date(), replayed_by: ctx.actor.kind === 'user' ? ctx.actor.id : null })
          .where('id', '=', id)
          .execute();
        await recordChange(tx, ctx, {
          action: 'replay',
          entity: 'ingest_dead_letter',
          entityId: id,
          after: { results: parsed.rows.length },
        });
      });
      return { accepted: parsed.rows.length };
    },
  };
}
export type DeadLetterService = ReturnType<typeof createDeadLetterService>;

export function deadLetterRoutes(service: DeadLetterService) {
  return async function register(app: HomApp): Promise<void> {
    const manage = { config: { access: { permission: 'ingest:manage' } } } as const;
    const tags = ['quality'];
    app.get(
      '/ingest/dead-letters',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Messages the ingest pipeline could never process, with the reason, newest first',
          querystring: deadLetterFilter,
          response: { 200: z.array(deadLetterOutput) },
        },
      },
      (request) => service.list(request.ctx, request.query),
    );
    app.post(
      '/ingest/dead-letters/:id/replay',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Send a dead letter through the pipeline again (202 once durable)',
          params: idParam,
          response: { 202: z.object({ accepted: z.number() }) },
        },
      },
      async (request, reply) => reply.status(202).send(await service.replay(request.ctx, request.params.id)),
    );
  };
}
