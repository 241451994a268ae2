import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pageOf } from '../../platform/pagination.ts';
import { recordChange } from '../audit/index.ts';
import type { RaiseNotificationInput } from '../actions/index.ts';
import { openBreakdownDowntime } from '../maintenance/index.ts';
import { ownStagesOnly, userIdOf } from './production.access.ts';
import type {
  IssueFilter,
  IssueOutput,
  IssueStatus,
  IssueTypeOutput,
  RaiseIssueInput,
  UpdateIssueInput,
} from './production.dto.ts';
import type { createIssueTypeInput, updateIssueTypeInput } from './production.dto.ts';
import type { z } from 'zod';
import {
  duplicateIssueType,
  issueNotFound,
  issueTypeNotFound,
  unknownIssueType,
  unknownMachine,
} from './production.errors.ts';
import { checkIssueTransition } from './production.rules.ts';
import * as issues from './issue.repository.ts';
import * as orders from './work-order.repository.ts';
import { lockActionableStage } from './stage.service.ts';
import { visibleStage } from './work-order.service.ts';

export type Notify = (tx: Tx, input: RaiseNotificationInput) => Promise<number>;

const BREAKDOWN = 'machine_breakdown';

async function issueOrThrow(tx: Tx, id: number): Promise<IssueOutput> {
  const found = await issues.findIssue(tx, id);
  if (!found) throw issueNotFound(`No issue with id ${id}`);
  return found;
}

export function createIssueService(deps: {
  db: Pick<Database, 'transaction'>;
  notify: Notify;
  now?: () => Date;
}) {
  const { db, notify } = deps;
  const now = deps.now ?? (() => new Date());

  /** The machine a breakdown stops: the one named, the stage's, or the only machine of the order's line. */
  async function breakdownMachine(
    tx: Tx,
    stage: { machine_id: number | null; work_order_id: number; site_id: number },
    named?: number | null,
  ) {
    if (named) {
      const machine = await orders.machineOf(tx, named);
      if (!machine || machine.site_id !== stage.site_id) {
        throw unknownMachine(`No machine with id ${named} on this stage's site`, {
          errors: [{ field: 'machine_id', message: 'unknown machine' }],
        });
      }
      return machine.id;
    }
    if (stage.machine_id) return stage.machine_id;
    const order = await orders.lockWorkOrder(tx, stage.work_order_id);
    return order?.line_id ? orders.onlyMachineOfLine(tx, order.line_id) : undefined;
  }

  return {
    /**
     * A worker reports a problem on a stage. A machine breakdown on a known machine opens its downtime;
     * planners and managers of the site are notified in the app, live.
     */
    raise: (request: RequestContext, stageId: number, input: RaiseIssueInput) => {
      const ctx = requirePermission(request, 'stage:work');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const stage = await lockActionableStage(tx, ctx, stageId);
        const type = await issues.findIssueType(tx, input.type);
        if (!type || !type.is_active) {
          const known = (await issues.listIssueTypes(tx, false)).map((t) => t.code).join(', ');
          throw unknownIssueType(`Unknown issue type "${input.type}"; use one of: ${known}`, {
            errors: [{ field: 'type', message: `one of ${known}` }],
          });
        }
        let machineId: number | null = input.machine_id ?? null;
        let downtimeId: number | null = null;
        if (type.code === BREAKDOWN) {
          machineId = (await breakdownMachine(tx, stage, input.machine_id)) ?? null;
          if (machineId !== null) {
            downtimeId = (
              await openBreakdownDowntime(tx, ctx, {
                machineId,
                at: now(),
                comment: `Reported on work order ${stage.work_order_id}, stage ${stage.stage_name}: ${input.description}`,
              })
            ).id;
          }
        } else if (machineId !== null) {
          machineId = (await breakdownMachine(tx, stage, machineId)) ?? null;
        }
        const id = await issues.insertIssue(tx, {
          site_id: stage.site_id,
          work_order_stage_id: stageId,
          type: type.code,
          description: input.description,
          machine_id: machineId,
          downtime_id: downtimeId,
          created_by: userIdOf(ctx),
        });
        const created = await issueOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'production_issue',
          entityId: id,
          siteId: stage.site_id,
          after: created,
        });
        await notify(tx, {
          kind: 'production_issue',
          title: `${type.name}: ${created.product_code} lot ${created.lot_no}, ${created.stage_name}`,
          body: `${ctx.actor.name}: ${input.description}`,
          link: `/app/production/work-orders/${stage.work_order_id}`,
          site_id: stage.site_id,
          data: { issue_id: id, work_order_id: stage.work_order_id, stage_id: stageId, type: type.code },
          recipients: { roles: ['planner', 'manager'] },
        });
        return created;
      });
    },

    async list(request: RequestContext, filter: IssueFilter) {
      const ctx = requirePermission(request, 'issue:manage');
      const rows = await db.transaction(scopeOf(ctx), (tx) => issues.listIssues(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({ id: row.id }));
    },

    /** Issues of one stage: whoever may see the stage sees its issues. */
    ofStage: (request: RequestContext, stageId: number) => {
      const ctx = requirePermission(request, 'production:read');
      return db.transaction(scopeOf(ctx), async (tx) => {
        await visibleStage(tx, ctx, stageId);
        return issues.listIssues(tx, { work_order_stage_id: stageId, limit: 500 });
      });
    },

    ofWorkOrder: (request: RequestContext, workOrderId: number) => {
      const ctx = requirePermission(request, 'production:read');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const rows = await issues.listIssues(tx, { work_order_id: workOrderId, limit: 500 });
        const own = ownStagesOnly(ctx);
        if (own === undefined) return rows;
        const mine = new Set((await orders.stagesOfWorkOrder(tx, workOrderId, own)).map((stage) => stage.id));
        return rows.filter((row) => mine.has(row.work_order_stage_id));
      });
    },

    /** open → acknowledged → resolved, recording who and when; resolving an open issue acknowledges it too. */
    updateStatus: (request: RequestContext, stageId: number, issueId: number, input: UpdateIssueInput) => {
      const ctx = requirePermission(request, 'issue:manage');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const locked = await issues.lockIssue(tx, issueId);
        if (!locked || locked.work_order_stage_id !== stageId) {
          throw issueNotFound(`No issue ${issueId} on stage ${stageId}`);
        }
        const from = locked.status as IssueStatus;
        checkIssueTransition(issueId, from, input.status);
        const before = await issueOrThrow(tx, issueId);
        const at = now();
        const who = userIdOf(ctx);
        await issues.updateIssueRow(tx, issueId, {
          status: input.status,
          ...(from === 'open' ? { acknowledged_at: at, acknowledged_by: who } : {}),
          ...(input.status === 'resolved'
            ? { resolved_at: at, resolved_by: who, resolution_note: input.note ?? null }
            : {}),
        });
        const after = await issueOrThrow(tx, issueId);
        await recordChange(tx, ctx, {
          action: input.status === 'resolved' ? 'resolve' : 'acknowledge',
          entity: 'production_issue',
          entityId: issueId,
          siteId: locked.site_id,
          before,
          after,
        });
        if (locked.created_by !== null && locked.created_by !== who) {
          await notify(tx, {
            kind: 'production_issue_status',
            title: `Your issue on ${after.product_code} lot ${after.lot_no} (${after.stage_name}) is ${input.status}`,
            body: input.note ?? null,
            link: '/app/my-stages',
            site_id: locked.site_id,
            data: { issue_id: issueId, status: input.status },
            recipients: { user_ids: [locked.created_by] },
          });
        }
        return after;
      });
    },

    types: (request: RequestContext, includeInactive: boolean): Promise<IssueTypeOutput[]> => {
      const ctx = requirePermission(request, 'production:read');
      return db.transaction(scopeOf(ctx), (tx) => issues.listIssueTypes(tx, includeInactive));
    },

    createType: (request: RequestContext, input: z.output<typeof createIssueTypeInput>) => {
      const ctx = requirePermission(request, 'catalog:manage');
      return db.transaction(scopeOf(ctx), async (tx) => {
        if (await issues.findIssueType(tx, input.code)) {
          throw duplicateIssueType(`Issue type ${input.code} already exists`, {
            errors: [{ field: 'code', message: 'already exists' }],
          });
        }
        const row = { ...input, name_ru: input.name_ru ?? null, is_active: true };
        await issues.insertIssueType(tx, row);
        await recordAdmin(tx, ctx, 'create', input.code, undefined, row);
        return row;
      });
    },

    updateType: (request: RequestContext, code: string, input: z.output<typeof updateIssueTypeInput>) => {
      const ctx = requirePermission(request, 'catalog:manage');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await issues.findIssueType(tx, code);
        if (!before) throw issueTypeNotFound(`No issue type ${code}`);
        await issues.updateIssueTypeRow(tx, code, input);
        const after = await issues.findIssueType(tx, code);
        await recordAdmin(tx, ctx, 'update', code, before, after);
        return after ?? before;
      });
    },
  };
}

function recordAdmin(
  tx: Tx,
  ctx: AuthedContext,
  action: string,
  code: string,
  before: unknown,
  after: unknown,
) {
  return recordChange(tx, ctx, { action, entity: 'issue_type', entityId: code, before, after });
}

export type IssueService = ReturnType<typeof createIssueService>;
