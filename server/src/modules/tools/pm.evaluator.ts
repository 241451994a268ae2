import type { Tx } from '../../platform/db/database.ts';
import type { RaiseAction, RaiseNotificationInput } from '../actions/index.ts';
import { actionDueAt, DAY_MS, evaluatePm, pmEffects, type PmEvaluation, type PmUsage } from './pm.due.ts';
import * as plans from './pm.repository.ts';
import type { PlanRow } from './pm.repository.ts';

export type Notify = (tx: Tx, input: RaiseNotificationInput) => Promise<number>;

export interface PmEvaluatorDeps {
  raiseAction: RaiseAction;
  notify: Notify;
}

export function usageOf(plan: PlanRow, now: Date): PmUsage {
  return {
    shots_since: Math.max(0, plan.tool_total_shots - plan.shots_at_last_done),
    days_since: Math.max(0, (now.getTime() - plan.last_done_at.getTime()) / DAY_MS),
  };
}

export function evaluationOf(plan: PlanRow, now: Date): PmEvaluation & PmUsage {
  const usage = usageOf(plan, now);
  return { ...evaluatePm(plan, usage), ...usage };
}

const percent = (share: number) => `${Math.round(share * 100)} %`;
const subjectOf = (plan: PlanRow) => `${plan.name} on ${plan.tool_asset_number}`;
const usageText = (plan: PlanRow, usage: PmUsage) =>
  [
    plan.every_shots ? `${Math.round(usage.shots_since)} of ${plan.every_shots} shots` : null,
    plan.every_days ? `${Math.floor(usage.days_since)} of ${plan.every_days} days` : null,
  ]
    .filter(Boolean)
    .join(', ');

/**
 * Evaluates PM plans and tells what each state change calls for, inside the caller's transaction:
 * a warning notification once, an action item for the responsible person once the plan is due, and
 * for an overdue plan a notification to the site's managers and a higher action priority, once a
 * day. What was told is recorded on the plan, so a repeated evaluation (a redelivered reading, two
 * workers) tells nothing twice in the same cycle.
 */
export function createPmEvaluator(deps: PmEvaluatorDeps) {
  async function apply(tx: Tx, plan: PlanRow, now: Date): Promise<void> {
    const evaluation = evaluationOf(plan, now);
    const effects = pmEffects(evaluation.state, plan, now);
    const changes: plans.PlanChanges = {};
    if (evaluation.state !== plan.state) {
      changes.state = evaluation.state;
      changes.state_changed_at = now;
    }
    const link = `/app/tools/${plan.tool_id}`;
    const toResponsibleOrManagers = (): RaiseNotificationInput['recipients'] =>
      plan.responsible_user_id ? { user_ids: [plan.responsible_user_id] } : { roles: ['manager'] };
    const data = { pm_plan_id: plan.id, tool_id: plan.tool_id, state: evaluation.state };

    if (effects.includes('warn')) {
      await deps.notify(tx, {
        kind: 'pm_warning',
        title: `PM soon: ${subjectOf(plan)} (${percent(evaluation.share)})`,
        body: usageText(plan, evaluation),
        link,
        site_id: plan.site_id,
        data,
        recipients: toResponsibleOrManagers(),
      });
      changes.warned_at = now;
    }
    let actionId = plan.action_item_id;
    if (effects.includes('raise_due')) {
      const raised = await deps.raiseAction(tx, {
        site_id: plan.site_id,
        title: `PM due: ${subjectOf(plan)}`.slice(0, 200),
        description: `Preventive maintenance "${plan.name}" of tool ${plan.tool_asset_number} (${plan.tool_name}) is due: ${usageText(plan, evaluation)}. Write the maintenance log with this plan to restart its count.`,
        source: 'pm_plan',
        source_id: plan.id,
        tool_id: plan.tool_id,
        priority: evaluation.state === 'overdue' ? 'high' : 'medium',
        assignee_id: plan.responsible_user_id,
        due_at: actionDueAt(plan, evaluation, plan.shots_per_day, now),
      });
      actionId = raised.id;
      // raiseAction tells the assignee; without one, the site's managers hear of it.
      if (!plan.responsible_user_id)
        await deps.notify(tx, {
          kind: 'pm_due',
          title: `PM due: ${subjectOf(plan)} (no one responsible)`,
          body: usageText(plan, evaluation),
          link,
          site_id: plan.site_id,
          data: { ...data, action_item_id: raised.id },
          recipients: { roles: ['manager'] },
        });
      changes.due_raised_at = now;
      changes.action_item_id = raised.id;
    }
    if (effects.includes('escalate_overdue')) {
      await deps.notify(tx, {
        kind: 'pm_overdue',
        title: `PM overdue: ${subjectOf(plan)} (${percent(evaluation.share)})`,
        body: usageText(plan, evaluation),
        link,
        site_id: plan.site_id,
        data: { ...data, action_item_id: actionId },
        recipients: { roles: ['manager'] },
      });
      // The first escalation comes with the action itself (raised at high priority already).
      if (actionId && !effects.includes('raise_due'))
        await plans.escalateActionPriority(tx, actionId, `PM plan ${plan.id} is overdue`);
      changes.overdue_notified_at = now;
    }
    await plans.updatePlanState(tx, plan.id, changes);
  }

  async function evaluate(
    tx: Tx,
    where: { toolIds?: readonly number[]; planIds?: readonly number[] },
    now: Date,
    options: { skipLocked?: boolean } = {},
  ): Promise<number> {
    const locked = await plans.lockPlansForEvaluation(tx, where, now, options);
    for (const plan of locked) await apply(tx, plan, now);
    return locked.length;
  }

  return {
    /** The tools module's shots hook: runs in the transaction that recorded the readings. */
    afterShots: (tx: Tx, toolIds: readonly number[], now = new Date()) =>
      evaluate(tx, { toolIds: [...new Set(toolIds)] }, now),
    evaluatePlans: (tx: Tx, planIds: readonly number[], now = new Date()) => evaluate(tx, { planIds }, now),
    /** For the periodic job: plans another transaction holds are left to it. */
    evaluatePlansSkipLocked: (tx: Tx, planIds: readonly number[], now: Date) =>
      evaluate(tx, { planIds }, now, { skipLocked: true }),
  };
}
export type PmEvaluator = ReturnType<typeof createPmEvaluator>;
