import { DateTime } from 'luxon';
import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import { permissionsOf } from '../identity/index.ts';
import { canPlan, pastOrNow, userIdOf } from './production.access.ts';
import type { StageOutput, StageStatus } from './production.dto.ts';
import {
  assignmentNotFound,
  invalidAssignee,
  invalidTime,
  stageNotAssigned,
  stageNotFound,
} from './production.errors.ts';
import { nextStageStatus, type StageAction } from './production.rules.ts';
import * as orders from './work-order.repository.ts';
import { stageOrThrow, visibleStage } from './work-order.service.ts';

/** Locks a stage the caller may act on: planners any, workers only their own (else STAGE_NOT_ASSIGNED). */
export async function lockActionableStage(tx: Tx, ctx: AuthedContext, stageId: number) {
  const locked = await orders.lockStage(tx, stageId);
  if (!locked) throw stageNotFound(`No work order stage with id ${stageId}`);
  if (!canPlan(ctx)) {
    const userId = userIdOf(ctx);
    if (userId === null || !(await orders.isAssigned(tx, stageId, userId))) {
      throw stageNotAssigned(`Stage ${stageId} is not assigned to you; ask a planner to assign it`);
    }
  }
  return locked;
}

export function createStageService(deps: { db: Pick<Database, 'transaction'>; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  function work<T>(request: RequestContext, run: (tx: Tx, ctx: AuthedContext) => Promise<T>): Promise<T> {
    const ctx = requirePermission(request, 'stage:work');
    return db.transaction(scopeOf(ctx), (tx) => run(tx, ctx));
  }

  function plan<T>(request: RequestContext, run: (tx: Tx, ctx: AuthedContext) => Promise<T>): Promise<T> {
    const ctx = requirePermission(request, 'workorder:plan');
    return db.transaction(scopeOf(ctx), (tx) => run(tx, ctx));
  }

  /** start: planned → in_progress, stamps actual_start; done: in_progress → done, stamps actual_end. */
  function move(request: RequestContext, stageId: number, action: StageAction, at: Date | undefined) {
    return work(request, async (tx, ctx) => {
      const locked = await lockActionableStage(tx, ctx, stageId);
      const status = nextStageStatus(stageId, locked.status as StageStatus, action);
      const before = await stageOrThrow(tx, stageId);
      const field = action === 'start' ? 'actual_start' : 'actual_end';
      const stamp = pastOrNow(field, at, now());
      if (action === 'done' && locked.actual_start && stamp.getTime() < locked.actual_start.getTime()) {
        throw invalidTime(`actual_end is before the stage started (${locked.actual_start.toISOString()})`, {
          errors: [{ field, message: 'must not be before actual_start' }],
        });
      }
      await orders.updateStageRow(
        tx,
        stageId,
        action === 'start'
          ? { status, actual_start: stamp, started_by: userIdOf(ctx) }
          : { status, actual_end: stamp, finished_by: userIdOf(ctx) },
      );
      await orders.syncWorkOrder(tx, locked.work_order_id);
      const after = await stageOrThrow(tx, stageId);
      await recordChange(tx, ctx, {
        action: action === 'start' ? 'start' : 'finish',
        entity: 'work_order_stage',
        entityId: stageId,
        siteId: locked.site_id,
        before,
        after,
      });
      return after;
    });
  }

  return {
    start: (request: RequestContext, stageId: number, at?: Date) => move(request, stageId, 'start', at),
    done: (request: RequestContext, stageId: number, at?: Date) => move(request, stageId, 'done', at),

    /** The caller's stages for one day in their site's time zone (default today). */
    mine: (request: RequestContext, date?: string): Promise<StageOutput[]> =>
      work(request, async (tx, ctx) => {
        const userId = userIdOf(ctx);
        if (userId === null) return [];
        const siteId = ctx.actor.siteIds[0];
        const zone = (siteId !== undefined ? await orders.siteTimeZone(tx, siteId) : undefined) ?? 'UTC';
        const day = date ? DateTime.fromISO(date, { zone }) : DateTime.fromJSDate(now(), { zone });
        const start = day.startOf('day');
        return orders.stagesOfUser(tx, userId, start.toJSDate(), start.plus({ days: 1 }).toJSDate());
      }),

    assignees: (request: RequestContext, stageId: number) => {
      const ctx = requirePermission(request, 'production:read');
      return db.transaction(scopeOf(ctx), async (tx) => (await visibleStage(tx, ctx, stageId)).assignees);
    },

    /** Assigns a person who can work stages and belongs to the stage's site; assigning twice is a no-op. */
    assign: (request: RequestContext, stageId: number, userId: number) =>
      plan(request, async (tx, ctx) => {
        const locked = await orders.lockStage(tx, stageId);
        if (!locked) throw stageNotFound(`No work order stage with id ${stageId}`);
        const person = await orders.personOnSite(tx, userId, locked.site_id);
        const problem = !person
          ? `No user with id ${userId}`
          : !person.is_active
            ? `${person.username} is disabled`
            : !person.member
              ? `${person.username} is not a member of this stage's site`
              : !permissionsOf(person.role).has('stage:work')
                ? `${person.username}'s role "${person.role}" cannot work stages`
                : null;
        if (problem) throw invalidAssignee(problem, { errors: [{ field: 'user_id', message: problem }] });
        const added = await orders.insertAssignment(tx, {
          work_order_stage_id: stageId,
          user_id: userId,
          site_id: locked.site_id,
          assigned_by: userIdOf(ctx),
        });
        if (added) {
          await recordChange(tx, ctx, {
            action: 'assign',
            entity: 'work_order_stage',
            entityId: stageId,
            siteId: locked.site_id,
            after: { user_id: userId },
          });
        }
        return (await stageOrThrow(tx, stageId)).assignees;
      }),

    unassign: (request: RequestContext, stageId: number, userId: number) =>
      plan(request, async (tx, ctx) => {
        const locked = await orders.lockStage(tx, stageId);
        if (!locked) throw stageNotFound(`No work order stage with id ${stageId}`);
        const removed = await orders.deleteAssignment(tx, stageId, userId);
        if (!removed) throw assignmentNotFound(`User ${userId} is not assigned to stage ${stageId}`);
        await recordChange(tx, ctx, {
          action: 'unassign',
          entity: 'work_order_stage',
          entityId: stageId,
          siteId: locked.site_id,
          before: { user_id: userId },
        });
      }),
  };
}
export type StageService = ReturnType<typeof createStageService>;
