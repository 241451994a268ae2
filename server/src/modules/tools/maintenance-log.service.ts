import type { Kysely } from 'kysely';
import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import type { FieldError } from '../../platform/errors.ts';
import { pageOf } from '../../platform/pagination.ts';
import type { RaiseAction } from '../actions/index.ts';
import { recordChange } from '../audit/index.ts';
import type { CheckAnswerInput, CreateLogInput, LogFilter, LogOutput } from './maintenance-log.dto.ts';
import {
  checklistIncomplete,
  logInFuture,
  logNotFound,
  logSubjectUnknown,
  planOfOtherTool,
  unknownPerformer,
} from './maintenance-log.errors.ts';
import * as logs from './maintenance-log.repository.ts';
import type { CheckResult } from './maintenance-log.schema.ts';
import { DAY_MS } from './pm.due.ts';
import { unknownTemplate } from './pm.errors.ts';
import type { Notify, PmEvaluator } from './pm.evaluator.ts';
import * as plans from './pm.repository.ts';

export type SiteMembers = (
  db: Kysely<Tables>,
  siteId: number,
  userIds: readonly number[],
) => Promise<number[]>;

/** A follow-up action is due this long after the log. */
const FOLLOW_UP_DAYS = 7;
/** A log may be dated at most this far ahead of the server clock (clock skew of a tablet). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

interface TemplateItem {
  id: number;
  position: number;
  text: string;
  required: boolean;
}

/**
 * Every step of the template answered exactly once; a required step answered ok or not ok (n/a is
 * for optional steps); a step not ok has a note. All problems are reported at once.
 */
export function checkAnswers(
  items: readonly TemplateItem[],
  answers: readonly CheckAnswerInput[],
): {
  errors: FieldError[];
  rows: { position: number; item: string; required: boolean; result: CheckResult; note: string | null }[];
} {
  const errors: FieldError[] = [];
  const byId = new Map(items.map((item) => [item.id, item]));
  const answered = new Map<number, CheckAnswerInput>();
  answers.forEach((answer, index) => {
    const item = byId.get(answer.item_id);
    if (!item) errors.push({ field: `checks.${index}.item_id`, message: 'not a step of this checklist' });
    else if (answered.has(item.id))
      errors.push({ field: `checks.${index}.item_id`, message: `step ${item.position} is answered twice` });
    else {
      answered.set(item.id, answer);
      if (answer.result === 'na' && item.required)
        errors.push({
          field: `checks.${index}.result`,
          message: `step ${item.position} "${item.text}" is required: answer ok or not_ok`,
        });
      if (answer.result === 'not_ok' && !answer.note)
        errors.push({ field: `checks.${index}.note`, message: 'a step that is not ok needs a note' });
    }
  });
  for (const item of items)
    if (!answered.has(item.id))
      errors.push({ field: 'checks', message: `step ${item.position} "${item.text}" is not answered` });
  const rows = items.flatMap((item) => {
    const answer = answered.get(item.id);
    return answer
      ? [
          {
            position: item.position,
            item: item.text,
            required: item.required,
            result: answer.result,
            note: answer.note ?? null,
          },
        ]
      : [];
  });
  return { errors, rows };
}

/**
 * Maintenance logs of tools and machines: who did what, when, for how long, what was found, and the
 * checklist as answered. A follow-up raises an action item; a PM log restarts its plan's count and
 * completes the plan's open action.
 */
export function createMaintenanceLogService(deps: {
  db: Pick<Database, 'transaction'>;
  raiseAction: RaiseAction;
  notify: Notify;
  evaluator: PmEvaluator;
  siteMembers: SiteMembers;
}) {
  const { db } = deps;
  const userOf = (ctx: AuthedContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

  async function getOrThrow(tx: Tx, id: number): Promise<LogOutput> {
    const found = await logs.findLog(tx, id);
    if (!found) throw logNotFound(`No maintenance log with id ${id}`);
    return found;
  }

  return {
    async list(request: RequestContext, filter: LogFilter) {
      const ctx = requirePermission(request, 'plant:read');
      const rows = await db.transaction(scopeOf(ctx), (tx) => logs.listLogs(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({ started_at: row.started_at.toISOString(), id: row.id }));
    },

    get(request: RequestContext, id: number): Promise<LogOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), (tx) => getOrThrow(tx, id));
    },

    create(request: RequestContext, input: CreateLogInput): Promise<LogOutput> {
      const ctx = requirePermission(request, 'toollog:write');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const now = new Date();
        const userId = userOf(ctx);

        // What was maintained (row-level security hides other sites' tools and machines).
        const tool = input.tool_id ? await plans.findTool(tx, input.tool_id) : undefined;
        const machine = input.machine_id ? await logs.findMachine(tx, input.machine_id) : undefined;
        const subject = tool ?? machine;
        if (!subject)
          throw logSubjectUnknown(
            input.tool_id ? `No tool with id ${input.tool_id}` : `No machine with id ${input.machine_id}`,
            {
              errors: [
                input.tool_id
                  ? { field: 'tool_id', message: 'unknown tool' }
                  : { field: 'machine_id', message: 'unknown machine' },
              ],
            },
          );
        const siteId = subject.site_id;
        const label = tool ? `tool ${tool.asset_number}` : `machine ${machine!.code}`;

        if (input.started_at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
          throw logInFuture('The work cannot start in the future', {
            errors: [{ field: 'started_at', message: 'must not be in the future' }],
          });
        const endedAt = new Date(input.started_at.getTime() + input.duration_minutes * 60_000);

        const plan = input.pm_plan_id ? await logs.findPlanRef(tx, input.pm_plan_id) : undefined;
        if (input.pm_plan_id && (!plan || plan.tool_id !== input.tool_id))
          throw planOfOtherTool(`PM plan ${input.pm_plan_id} is not a plan of this tool`, {
            errors: [{ field: 'pm_plan_id', message: 'not a PM plan of this tool' }],
          });

        const performer = input.performed_by ?? userId;
        if (performer === null)
          throw unknownPerformer('Say who did the work', {
            errors: [{ field: 'performed_by', message: 'required' }],
          });
        if (!(await deps.siteMembers(tx, siteId, [performer])).includes(performer))
          throw unknownPerformer(`User ${performer} is not an active member of this site`, {
            errors: [{ field: 'performed_by', message: 'unknown or not on this site' }],
          });

        // The checklist: named, else the plan's; every step answered.
        const templateId =
          input.checklist_template_id !== undefined
            ? input.checklist_template_id
            : (plan?.checklist_template_id ?? null);
        let checkRows: ReturnType<typeof checkAnswers>['rows'] = [];
        if (templateId !== null) {
          const template = await logs.templateWithItems(tx, templateId);
          const usable =
            template &&
            (template.site_id === null || template.site_id === siteId) &&
            (template.is_active || template.id === plan?.checklist_template_id);
          if (!usable)
            throw unknownTemplate(`No active checklist template ${templateId} for this site`, {
              errors: [{ field: 'checklist_template_id', message: 'unknown, inactive or of another site' }],
            });
          const checked = checkAnswers(template.items, input.checks);
          if (checked.errors.length > 0)
            throw checklistIncomplete(
              `The checklist "${template.name}" is not complete: ${checked.errors.map((e) => e.message).join('; ')}`,
              { errors: checked.errors },
            );
          checkRows = checked.rows;
        } else if (input.checks.length > 0)
          throw checklistIncomplete('Checklist answers need the checklist they answer', {
            errors: [{ field: 'checklist_template_id', message: 'required when checks are given' }],
          });

        const shotsAt = tool ? await plans.toolShotsAt(tx, tool.id, endedAt) : null;
        const id = await logs.insertLog(tx, {
          site_id: siteId,
          tool_id: tool?.id ?? null,
          machine_id: machine?.id ?? null,
          pm_plan_id: plan?.id ?? null,
          checklist_template_id: templateId,
          kind: input.kind ?? 'pm',
          performed_by: performer,
          started_at: input.started_at,
          duration_minutes: input.duration_minutes,
          findings: input.findings ?? null,
          follow_up_required: input.follow_up_required,
          follow_up: input.follow_up ?? null,
          shots_at: shotsAt,
          created_by: userId,
        });
        await logs.insertChecks(tx, id, siteId, checkRows);

        if (input.follow_up_required) {
          const notOk = checkRows.filter((row) => row.result === 'not_ok').length;
          const assignee = plan?.responsible_user_id ?? null;
          const raised = await deps.raiseAction(tx, {
            site_id: siteId,
            title: `Follow-up on ${label}: ${input.follow_up ?? ''}`.slice(0, 200),
            description: [input.follow_up, input.findings ? `Found: ${input.findings}` : null]
              .filter(Boolean)
              .join('\n\n')
              .slice(0, 4000),
            source: 'maintenance_log',
            source_id: id,
            tool_id: tool?.id ?? null,
            machine_id: machine?.id ?? null,
            priority: notOk > 0 ? 'high' : 'medium',
            assignee_id: assignee,
            due_at: new Date(now.getTime() + FOLLOW_UP_DAYS * DAY_MS),
            created_by: userId,
          });
          await logs.setLogAction(tx, id, raised.id);
          if (assignee === null)
            await deps.notify(tx, {
              kind: 'maintenance_follow_up',
              title: `Follow-up needed on ${label} (no one assigned)`,
              body: input.follow_up ?? null,
              link: `/app/actions/${raised.id}`,
              site_id: siteId,
              data: { maintenance_log_id: id, action_item_id: raised.id },
              recipients: { roles: ['manager'] },
            });
        }

        // A PM log restarts its plan from the end of the work (an older log than the plan's last
        // one changes nothing) and completes the plan's open action.
        if (plan && (input.kind ?? 'pm') === 'pm') {
          const current = await plans.lockPlanRow(tx, plan.id);
          if (current && endedAt.getTime() > current.last_done_at.getTime()) {
            await plans.updatePlanState(tx, plan.id, {
              last_done_at: endedAt,
              shots_at_last_done: shotsAt ?? 0,
              last_log_id: id,
              state: 'ok',
              state_changed_at: now,
              warned_at: null,
              due_raised_at: null,
              overdue_notified_at: null,
              action_item_id: null,
            });
            await plans.completePlanAction(tx, plan.id, userId, `Done: maintenance log #${id}`);
            await deps.evaluator.evaluatePlans(tx, [plan.id], now);
          }
        }

        const created = await getOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'maintenance_log',
          entityId: id,
          siteId,
          after: created,
        });
        return created;
      });
    },
  };
}
export type MaintenanceLogService = ReturnType<typeof createMaintenanceLogService>;

/** The site of a maintenance log as the caller sees it (for the files module's owner check). */
export async function maintenanceLogSiteOf(tx: Tx, logId: number): Promise<number | null> {
  return (await logs.logSite(tx, logId))?.site_id ?? null;
}
