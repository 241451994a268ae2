import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pageOf } from '../../platform/pagination.ts';
import { recordChange } from '../audit/index.ts';
import type { SiteMembers } from './maintenance-log.service.ts';
import type { CreatePlanInput, PlanFilter, PlanOutput, UpdatePlanInput } from './pm.dto.ts';
import { predictDueAt } from './pm.due.ts';
import {
  planInUse,
  planNameTaken,
  planNeedsInterval,
  planNotFound,
  planOfRetiredTool,
  unknownResponsible,
  unknownTemplate,
} from './pm.errors.ts';
import { evaluationOf, type PmEvaluator } from './pm.evaluator.ts';
import * as plans from './pm.repository.ts';
import type { PlanRow } from './pm.repository.ts';
import { toolNotFound, invalidTime } from './tools.errors.ts';

/** A plan as the API shows it: stored fields and its state evaluated now. */
export function planOutputOf(row: PlanRow, now: Date): PlanOutput {
  const evaluation = evaluationOf(row, now);
  return {
    id: row.id,
    site_id: row.site_id,
    tool_id: row.tool_id,
    tool_asset_number: row.tool_asset_number,
    tool_name: row.tool_name,
    name: row.name,
    every_shots: row.every_shots,
    every_days: row.every_days,
    warn_at_share: row.warn_at_share,
    checklist_template_id: row.checklist_template_id,
    checklist_template_name: row.checklist_template_name,
    responsible_user_id: row.responsible_user_id,
    responsible_name: row.responsible_name,
    is_active: row.is_active,
    last_done_at: row.last_done_at,
    shots_at_last_done: row.shots_at_last_done,
    last_log_id: row.last_log_id,
    state: evaluation.state,
    share: evaluation.share,
    shots_since: evaluation.shots_since,
    days_since: evaluation.days_since,
    shots_share: evaluation.shots_share,
    days_share: evaluation.days_share,
    shots_per_day: row.shots_per_day,
    next_due_at: predictDueAt(row, evaluation, row.shots_per_day, now),
    due_at_shots: row.every_shots === null ? null : row.shots_at_last_done + row.every_shots,
    action_item_id: row.action_item_id,
    warned_at: row.warned_at,
    due_raised_at: row.due_raised_at,
    overdue_notified_at: row.overdue_notified_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/**
 * Preventive-maintenance plans of tools: every N shots and/or N days, with a warning share. Managed
 * with tool:manage; every change re-evaluates the plan in the same transaction (a plan made for a
 * tool already past its interval is due at once).
 */
export function createPmPlanService(deps: {
  db: Pick<Database, 'transaction'>;
  evaluator: PmEvaluator;
  siteMembers: SiteMembers;
}) {
  const { db } = deps;
  const userOf = (ctx: AuthedContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);
  const manage = <T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>) => {
    const ctx = requirePermission(request, 'tool:manage');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  };

  async function getOrThrow(tx: Tx, id: number, now: Date): Promise<PlanOutput> {
    const row = await plans.findPlan(tx, id, now);
    if (!row) throw planNotFound(`No PM plan with id ${id}`);
    return planOutputOf(row, now);
  }

  async function checkReferences(
    tx: Tx,
    siteId: number,
    input: { checklist_template_id?: number | null; responsible_user_id?: number | null },
  ): Promise<void> {
    if (input.checklist_template_id) {
      const template = await plans.findTemplateRef(tx, input.checklist_template_id);
      if (!template || (template.site_id !== null && template.site_id !== siteId) || !template.is_active)
        throw unknownTemplate(
          `No active checklist template ${input.checklist_template_id} for this tool's site`,
          { errors: [{ field: 'checklist_template_id', message: 'unknown, inactive or of another site' }] },
        );
    }
    if (input.responsible_user_id) {
      const members = await deps.siteMembers(tx, siteId, [input.responsible_user_id]);
      if (!members.includes(input.responsible_user_id))
        throw unknownResponsible(`User ${input.responsible_user_id} is not an active member of this site`, {
          errors: [{ field: 'responsible_user_id', message: 'unknown or not on this site' }],
        });
    }
  }

  async function checkName(tx: Tx, toolId: number, name: string, exceptId: number | null) {
    if (await plans.planNameTaken(tx, toolId, name, exceptId))
      throw planNameTaken(`This tool already has a PM plan named "${name}"`, {
        errors: [{ field: 'name', message: 'already used on this tool' }],
      });
  }

  return {
    async list(request: RequestContext, filter: PlanFilter) {
      const ctx = requirePermission(request, 'plant:read');
      const now = new Date();
      const rows = await db.transaction(scopeOf(ctx), (tx) => plans.listPlans(tx, filter, now));
      const page = pageOf(rows, filter.limit, (row) => ({ id: row.id }));
      return { items: page.items.map((row) => planOutputOf(row, now)), next_cursor: page.next_cursor };
    },

    async listForTool(request: RequestContext, toolId: number, includeInactive = false) {
      const ctx = requirePermission(request, 'plant:read');
      const now = new Date();
      return db.transaction(scopeOf(ctx), async (tx) => {
        if (!(await plans.findTool(tx, toolId))) throw toolNotFound(`No tool with id ${toolId}`);
        const rows = await plans.listPlans(
          tx,
          { tool_id: toolId, include_inactive: includeInactive, limit: 500 },
          now,
        );
        return rows.map((row) => planOutputOf(row, now)).reverse();
      });
    },

    get(request: RequestContext, id: number): Promise<PlanOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), (tx) => getOrThrow(tx, id, new Date()));
    },

    create: (request: RequestContext, toolId: number, input: CreatePlanInput) =>
      manage(request, async (tx, ctx) => {
        const now = new Date();
        const tool = await plans.findTool(tx, toolId);
        if (!tool) throw toolNotFound(`No tool with id ${toolId}`);
        if (tool.status === 'retired')
          throw planOfRetiredTool(`Tool ${tool.asset_number} is retired; it needs no PM plan`);
        if (input.last_done_at && input.last_done_at.getTime() > now.getTime() + 60_000)
          throw invalidTime('The last time it was done cannot be in the future', {
            errors: [{ field: 'last_done_at', message: 'must not be in the future' }],
          });
        await checkName(tx, toolId, input.name, null);
        await checkReferences(tx, tool.site_id, input);
        const lastDoneAt = input.last_done_at ?? now;
        const id = await plans.insertPlan(tx, {
          site_id: tool.site_id,
          tool_id: toolId,
          name: input.name,
          every_shots: input.every_shots ?? null,
          every_days: input.every_days ?? null,
          warn_at_share: input.warn_at_share,
          checklist_template_id: input.checklist_template_id ?? null,
          responsible_user_id: input.responsible_user_id ?? null,
          last_done_at: lastDoneAt,
          shots_at_last_done: input.shots_at_last_done ?? (await plans.toolShotsAt(tx, toolId, lastDoneAt)),
          created_by: userOf(ctx),
        });
        await deps.evaluator.evaluatePlans(tx, [id], now);
        const after = await getOrThrow(tx, id, now);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'pm_plan',
          entityId: id,
          siteId: tool.site_id,
          after,
        });
        return after;
      }),

    update: (request: RequestContext, id: number, input: UpdatePlanInput) =>
      manage(request, async (tx, ctx) => {
        const now = new Date();
        const [locked] = await plans.lockPlansForEvaluation(tx, { planIds: [id] }, now);
        const current = locked ?? (await plans.findPlan(tx, id, now));
        if (!current) throw planNotFound(`No PM plan with id ${id}`);
        const before = planOutputOf(current, now);
        const everyShots = input.every_shots === undefined ? current.every_shots : input.every_shots;
        const everyDays = input.every_days === undefined ? current.every_days : input.every_days;
        if (everyShots === null && everyDays === null)
          throw planNeedsInterval('A plan needs every_shots, every_days or both', {
            errors: [{ field: 'every_shots', message: 'give every_shots, every_days or both' }],
          });
        if (input.name !== undefined) await checkName(tx, current.tool_id, input.name, id);
        await checkReferences(tx, current.site_id, input);
        await plans.updatePlanRow(tx, id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.every_shots !== undefined ? { every_shots: input.every_shots } : {}),
          ...(input.every_days !== undefined ? { every_days: input.every_days } : {}),
          ...(input.warn_at_share !== undefined ? { warn_at_share: input.warn_at_share } : {}),
          ...(input.checklist_template_id !== undefined
            ? { checklist_template_id: input.checklist_template_id }
            : {}),
          ...(input.responsible_user_id !== undefined
            ? { responsible_user_id: input.responsible_user_id }
            : {}),
          ...(input.is_active !== undefined ? { is_active: input.is_active } : {}),
        });
        await deps.evaluator.evaluatePlans(tx, [id], now);
        const after = await getOrThrow(tx, id, now);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'pm_plan',
          entityId: id,
          siteId: current.site_id,
          before,
          after,
        });
        return after;
      }),

    remove: (request: RequestContext, id: number) =>
      manage(request, async (tx, ctx) => {
        const now = new Date();
        const row = await plans.findPlan(tx, id, now);
        if (!row) throw planNotFound(`No PM plan with id ${id}`);
        const logs = await plans.planLogCount(tx, id);
        if (logs > 0)
          throw planInUse(`${logs} maintenance log(s) belong to this plan; deactivate it instead`, {
            details: { logs },
          });
        await plans.deletePlan(tx, id);
        await recordChange(tx, ctx, {
          action: 'delete',
          entity: 'pm_plan',
          entityId: id,
          siteId: row.site_id,
          before: planOutputOf(row, now),
        });
      }),
  };
}
export type PmPlanService = ReturnType<typeof createPmPlanService>;
