import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../platform/db/database.ts';
import { parseInput } from '../../platform/validation.ts';
import type { RaiseNotificationInput } from './notification.dto.ts';
import { ACTION_PRIORITIES, ACTION_SOURCES } from './action-item.schema.ts';
import type {} from './action-item.schema.ts';

/** What another module hands over when its finding needs someone to act (failure, log, PM plan, alert). */
export const raiseActionInput = z
  .object({
    site_id: z.number().int().positive(),
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().max(4000).nullable().optional(),
    source: z.enum(ACTION_SOURCES),
    source_id: z.number().int().positive().nullable().optional(),
    machine_id: z.number().int().positive().nullable().optional(),
    tool_id: z.number().int().positive().nullable().optional(),
    priority: z.enum(ACTION_PRIORITIES).default('medium'),
    assignee_id: z.number().int().positive().nullable().optional(),
    due_at: z.date().nullable().optional(),
    created_by: z.number().int().positive().nullable().optional(),
  })
  .refine((input) => (input.source === 'manual') === (input.source_id == null), {
    message: 'source_id names the record of a non-manual source, and only then',
    path: ['source_id'],
  });
export type RaiseActionInput = z.input<typeof raiseActionInput>;

export interface RaisedAction {
  id: number;
  /** False when an open action of the same source record already existed: nothing new was written. */
  created: boolean;
}

export type RaiseAction = (tx: Tx, input: RaiseActionInput) => Promise<RaisedAction>;

/**
 * The one way modules create action items, in the caller's transaction: the action exists exactly
 * when the finding that caused it commits. A source record has at most one open action; raising it
 * again answers that one. The assignee is told in the app.
 */
export function createActionRaiser(deps: {
  notify: (tx: Tx, input: RaiseNotificationInput) => Promise<number>;
}): RaiseAction {
  return async (tx, raw) => {
    const input = parseInput(raiseActionInput, raw);
    const inserted = await sql<{ id: number }>`
      insert into action_items (site_id, title, description, source, source_id, machine_id, tool_id, priority,
        assignee_id, due_at, created_by)
      values (${input.site_id}, ${input.title}, ${input.description ?? null}, ${input.source},
        ${input.source_id ?? null}, ${input.machine_id ?? null}, ${input.tool_id ?? null}, ${input.priority},
        ${input.assignee_id ?? null}, ${input.due_at ?? null}, ${input.created_by ?? null})
      on conflict (source, source_id) where source_id is not null and status in ('open', 'in_progress')
        do nothing
      returning id`.execute(tx);
    const row = inserted.rows[0];
    if (!row) {
      const existing = await tx
        .selectFrom('action_items')
        .select('id')
        .where('source', '=', input.source)
        .where('source_id', '=', input.source_id ?? 0)
        .where('status', 'in', ['open', 'in_progress'])
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    }
    await tx
      .insertInto('action_item_events')
      .values({
        action_item_id: row.id,
        site_id: input.site_id,
        actor_user_id: input.created_by ?? null,
        kind: 'created',
        to_value: 'open',
        note: null,
        from_value: null,
      })
      .execute();
    if (input.assignee_id != null && input.assignee_id !== input.created_by) {
      await deps.notify(tx, {
        kind: 'action_assigned',
        title: `Action for you: ${input.title}`,
        body: input.due_at ? `Due ${input.due_at.toISOString()}` : null,
        link: `/app/actions/${row.id}`,
        site_id: input.site_id,
        data: { action_item_id: row.id, source: input.source, source_id: input.source_id ?? null },
        recipients: { user_ids: [input.assignee_id] },
      });
    }
    return { id: row.id, created: true };
  };
}
