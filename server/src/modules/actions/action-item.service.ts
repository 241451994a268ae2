import {
  requirePermission,
  requireSite,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { conflict } from '../../platform/errors.ts';
import { pageOf } from '../../platform/pagination.ts';
import { recordChange } from '../audit/index.ts';
import type {
  ActionDetailOutput,
  ActionFilter,
  ActionOutput,
  CreateActionInput,
  TransitionActionInput,
  UpdateActionInput,
} from './action-item.dto.ts';
import {
  actionClosed,
  actionNotFound,
  actionTransitionForbidden,
  invalidActionTransition,
  invalidAssignee,
  siteRequired,
  unknownMachine,
  unknownTool,
} from './action-item.errors.ts';
import type { RaiseAction } from './action-item.raise.ts';
import * as repo from './action-item.repository.ts';
import { ACTION_TRANSITIONS, allowedTransitions, isKnownTransition } from './action-item.rules.ts';
import type { ActionStatus } from './action-item.schema.ts';
import type { RaiseNotificationInput } from './notification.dto.ts';

export type Notify = (tx: Tx, input: RaiseNotificationInput) => Promise<number>;
export type SiteMembers = (tx: Tx, siteId: number, userIds: readonly number[]) => Promise<number[]>;

const userIdOf = (ctx: AuthedContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);
const canManage = (ctx: AuthedContext) =>
  ctx.actor.kind === 'system' || ctx.actor.permissions.has('action:manage');
const canWork = (ctx: AuthedContext) =>
  ctx.actor.kind === 'system' || ctx.actor.permissions.has('action:work');

function whoIs(ctx: AuthedContext, item: ActionOutput) {
  return {
    canManage: canManage(ctx),
    canWork: canWork(ctx),
    isAssignee: item.assignee_id !== null && item.assignee_id === userIdOf(ctx),
  };
}

const isOpen = (status: ActionStatus) => status === 'open' || status === 'in_progress';

/**
 * Action items: manual ones created here, the others raised by the modules whose findings need work
 * (raiseAction). Everyone on a site sees its items; managers (action:manage) edit, assign, cancel and
 * reopen; the assignee (action:work) starts and completes their own. Every change is audited and
 * kept in the item's history.
 */
export function createActionItemService(deps: {
  db: Pick<Database, 'transaction'>;
  raise: RaiseAction;
  notify: Notify;
  siteMembers: SiteMembers;
}) {
  const { db } = deps;

  async function itemOrThrow(tx: Tx, id: number, lock = false): Promise<ActionOutput> {
    const found = await repo.findAction(tx, id, lock);
    if (!found) throw actionNotFound(`No action item with id ${id} on your sites`);
    return found;
  }

  async function checkAssignee(tx: Tx, siteId: number, assigneeId: number): Promise<void> {
    const members = await deps.siteMembers(tx, siteId, [assigneeId]);
    if (!members.includes(assigneeId))
      throw invalidAssignee(`User ${assigneeId} is not an active member of this item's site`, {
        errors: [{ field: 'assignee_id', message: 'not an active member of the site' }],
      });
  }

  async function notifyAssigned(tx: Tx, ctx: AuthedContext, item: ActionOutput): Promise<void> {
    if (item.assignee_id === null || item.assignee_id === userIdOf(ctx)) return;
    await deps.notify(tx, {
      kind: 'action_assigned',
      title: `Action for you: ${item.title}`,
      body: item.due_at ? `Due ${item.due_at.toISOString()}` : null,
      link: `/app/actions/${item.id}`,
      site_id: item.site_id,
      data: { action_item_id: item.id, source: item.source, source_id: item.source_id },
      recipients: { user_ids: [item.assignee_id] },
    });
  }

  async function detail(tx: Tx, ctx: AuthedContext, item: ActionOutput): Promise<ActionDetailOutput> {
    return {
      ...item,
      events: await repo.listEvents(tx, item.id),
      allowed_transitions: allowedTransitions(item.status, whoIs(ctx, item)),
      can_manage: canManage(ctx),
    };
  }

  return {
    async create(request: RequestContext, input: CreateActionInput): Promise<ActionDetailOutput> {
      const ctx = requirePermission(request, 'action:manage');
      const siteId =
        input.site_id ?? (ctx.actor.siteIds.length === 1 ? ctx.actor.siteIds[0] : undefined) ?? null;
      if (siteId === null)
        throw siteRequired('Say which site the action is for (site_id)', {
          errors: [{ field: 'site_id', message: 'required: you belong to several sites' }],
        });
      requireSite(ctx, siteId);
      return db.transaction(scopeOf(ctx), async (tx) => {
        if (input.assignee_id != null) await checkAssignee(tx, siteId, input.assignee_id);
        if (input.machine_id != null && (await repo.machineSite(tx, input.machine_id)) !== siteId)
          throw unknownMachine(`No machine with id ${input.machine_id} on this site`, {
            errors: [{ field: 'machine_id', message: 'unknown machine on this site' }],
          });
        if (input.tool_id != null && (await repo.toolSite(tx, input.tool_id)) !== siteId)
          throw unknownTool(`No tool with id ${input.tool_id} on this site`, {
            errors: [{ field: 'tool_id', message: 'unknown tool on this site' }],
          });
        const { id } = await deps.raise(tx, {
          site_id: siteId,
          title: input.title,
          description: input.description ?? null,
          source: 'manual',
          source_id: null,
          machine_id: input.machine_id ?? null,
          tool_id: input.tool_id ?? null,
          priority: input.priority,
          assignee_id: input.assignee_id ?? null,
          due_at: input.due_at ?? null,
          created_by: userIdOf(ctx),
        });
        const created = await itemOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'action_item',
          entityId: id,
          siteId,
          after: created,
        });
        return detail(tx, ctx, created);
      });
    },

    async list(request: RequestContext, filter: ActionFilter) {
      const ctx = requirePermission(request, 'plant:read');
      const rows = await db.transaction(scopeOf(ctx), (tx) => repo.listActions(tx, filter, userIdOf(ctx)));
      return pageOf(rows, filter.limit, (row) => ({ id: row.id }));
    },

    async get(request: RequestContext, id: number): Promise<ActionDetailOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), async (tx) => detail(tx, ctx, await itemOrThrow(tx, id)));
    },

    async update(request: RequestContext, id: number, input: UpdateActionInput): Promise<ActionDetailOutput> {
      const ctx = requirePermission(request, 'action:manage');
      const actor = userIdOf(ctx);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await itemOrThrow(tx, id, true);
        if (!isOpen(before.status))
          throw actionClosed(`Action ${id} is ${before.status}; reopen it before editing`, {
            details: { status: before.status },
          });
        const event = { action_item_id: id, site_id: before.site_id, actor_user_id: actor };
        const changes: Parameters<typeof repo.updateAction>[2] = {};
        const edited: string[] = [];
        if (input.title !== undefined && input.title !== before.title) {
          changes.title = input.title;
          edited.push('title');
        }
        if (input.description !== undefined && (input.description ?? null) !== before.description) {
          changes.description = input.description ?? null;
          edited.push('description');
        }
        if (input.priority !== undefined && input.priority !== before.priority) {
          changes.priority = input.priority;
          edited.push('priority');
        }
        const assigneeChanged = input.assignee_id !== undefined && input.assignee_id !== before.assignee_id;
        if (assigneeChanged) {
          if (input.assignee_id != null) await checkAssignee(tx, before.site_id, input.assignee_id);
          changes.assignee_id = input.assignee_id ?? null;
        }
        const dueChanged =
          input.due_at !== undefined &&
          (input.due_at?.getTime() ?? null) !== (before.due_at?.getTime() ?? null);
        if (dueChanged) {
          changes.due_at = input.due_at ?? null;
          // A new due date starts the overdue reminders and escalation afresh.
          changes.overdue_notified_at = null;
          changes.escalation_level = 0;
          changes.escalated_at = null;
        }
        if (Object.keys(changes).length === 0) return detail(tx, ctx, before);
        await repo.updateAction(tx, id, changes);
        const note = input.note ?? null;
        if (edited.length > 0) {
          await repo.insertEvent(tx, {
            ...event,
            kind: 'edited',
            from_value: edited
              .map((field) => `${field}: ${String(before[field as keyof ActionOutput] ?? '')}`)
              .join('\n')
              .slice(0, 4000),
            to_value: edited
              .map((field) => `${field}: ${String(changes[field as keyof typeof changes] ?? '')}`)
              .join('\n')
              .slice(0, 4000),
            note,
          });
        }
        if (assigneeChanged)
          await repo.insertEvent(tx, {
            ...event,
            kind: 'assigned',
            from_value: before.assignee_id === null ? null : String(before.assignee_id),
            to_value: changes.assignee_id === null ? null : String(changes.assignee_id),
            note,
          });
        if (dueChanged)
          await repo.insertEvent(tx, {
            ...event,
            kind: 'rescheduled',
            from_value: before.due_at?.toISOString() ?? null,
            to_value: changes.due_at?.toISOString() ?? null,
            note,
          });
        const after = await itemOrThrow(tx, id);
        if (assigneeChanged) await notifyAssigned(tx, ctx, after);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'action_item',
          entityId: id,
          siteId: before.site_id,
          before,
          after,
        });
        return detail(tx, ctx, after);
      });
    },

    async transition(
      request: RequestContext,
      id: number,
      input: TransitionActionInput,
    ): Promise<ActionDetailOutput> {
      const ctx = requirePermission(request, 'action:work');
      const actor = userIdOf(ctx);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await itemOrThrow(tx, id, true);
        const from = before.status;
        const to = input.status;
        const allowed = allowedTransitions(from, whoIs(ctx, before));
        const details = { from, to, allowed, known: Object.keys(ACTION_TRANSITIONS[from]) };
        if (!isKnownTransition(from, to))
          throw invalidActionTransition(
            from === to
              ? `Action ${id} is already ${from}`
              : `An action item cannot go from ${from} to ${to}; from ${from} it can go to: ${Object.keys(ACTION_TRANSITIONS[from]).join(', ') || 'nothing (final)'}`,
            { details },
          );
        if (!allowed.includes(to))
          throw actionTransitionForbidden(
            ACTION_TRANSITIONS[from][to] === 'manage'
              ? `Only a manager (action:manage) may move an action from ${from} to ${to}`
              : `Only the assignee or a manager may move this action from ${from} to ${to}`,
            { details },
          );
        if (to === 'open' && before.source_id !== null) {
          const other = await repo.listActions(
            tx,
            {
              source: [before.source],
              source_id: before.source_id,
              status: ['open', 'in_progress'],
              limit: 1,
            },
            null,
          );
          if (other[0])
            throw conflict(
              `Action ${other[0].id} is already open for the same ${before.source}; work on that one instead`,
              { details: { open_action_id: other[0].id } },
            );
        }
        const note = input.note ?? null;
        await repo.updateAction(tx, id, {
          status: to,
          ...(to === 'completed'
            ? { completed_at: new Date(), completed_by: actor, resolution: note }
            : { completed_at: null, completed_by: null }),
          ...(to === 'open' ? { resolution: null } : {}),
        });
        await repo.insertEvent(tx, {
          action_item_id: id,
          site_id: before.site_id,
          actor_user_id: actor,
          kind: 'status',
          from_value: from,
          to_value: to,
          note,
        });
        const after = await itemOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action:
            to === 'completed'
              ? 'complete'
              : to === 'cancelled'
                ? 'cancel'
                : to === 'open'
                  ? 'reopen'
                  : 'start',
          entity: 'action_item',
          entityId: id,
          siteId: before.site_id,
          before: { status: from },
          after: { status: to, note },
        });
        const tell = [before.created_by, before.assignee_id].filter(
          (user): user is number => user !== null && user !== actor,
        );
        if ((to === 'completed' || to === 'cancelled') && tell.length > 0)
          await deps.notify(tx, {
            kind: `action_${to}`,
            title: `Action ${to === 'completed' ? 'completed' : 'cancelled'}: ${before.title}`,
            body: note,
            link: `/app/actions/${id}`,
            site_id: before.site_id,
            data: { action_item_id: id },
            recipients: { user_ids: [...new Set(tell)] },
          });
        return detail(tx, ctx, after);
      });
    },

    async comment(request: RequestContext, id: number, note: string): Promise<ActionDetailOutput> {
      const ctx = requirePermission(request, 'action:work');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const item = await itemOrThrow(tx, id);
        await repo.insertEvent(tx, {
          action_item_id: id,
          site_id: item.site_id,
          actor_user_id: userIdOf(ctx),
          kind: 'comment',
          note,
        });
        await recordChange(tx, ctx, {
          action: 'comment',
          entity: 'action_item',
          entityId: id,
          siteId: item.site_id,
          after: { note },
        });
        return detail(tx, ctx, item);
      });
    },
  };
}
export type ActionItemService = ReturnType<typeof createActionItemService>;
