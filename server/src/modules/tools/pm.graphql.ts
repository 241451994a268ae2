import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './pm.dto.ts';
import type { PmPlanService } from './pm.service.ts';

type Args = Record<string, unknown>;
type PlanOutput = dto.PlanOutput;

const upper = (value: string) => value.toUpperCase() as 'OK' | 'WARNING' | 'DUE' | 'OVERDUE';
const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export function registerPmGraphql(builder: Builder, pmPlans: PmPlanService) {
  const PmState = builder.enumType('PmState', { values: ['OK', 'WARNING', 'DUE', 'OVERDUE'] as const });
  const Plan = builder.objectRef<PlanOutput>('PmPlan').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (r) => r.site_id }),
      toolId: t.id({ resolve: (r) => r.tool_id }),
      toolAssetNumber: t.string({ resolve: (r) => r.tool_asset_number }),
      toolName: t.string({ resolve: (r) => r.tool_name }),
      name: t.exposeString('name'),
      everyShots: t.float({ nullable: true, resolve: (r) => r.every_shots }),
      everyDays: t.int({ nullable: true, resolve: (r) => r.every_days }),
      warnAtShare: t.float({ resolve: (r) => r.warn_at_share }),
      checklistTemplateId: t.id({ nullable: true, resolve: (r) => r.checklist_template_id }),
      checklistTemplateName: t.string({ nullable: true, resolve: (r) => r.checklist_template_name }),
      responsibleUserId: t.id({ nullable: true, resolve: (r) => r.responsible_user_id }),
      responsibleName: t.string({ nullable: true, resolve: (r) => r.responsible_name }),
      isActive: t.boolean({ resolve: (r) => r.is_active }),
      lastDoneAt: t.field({ type: 'DateTime', resolve: (r) => r.last_done_at }),
      shotsAtLastDone: t.float({ resolve: (r) => r.shots_at_last_done }),
      lastLogId: t.id({ nullable: true, resolve: (r) => r.last_log_id }),
      state: t.field({ type: PmState, resolve: (r) => upper(r.state) }),
      share: t.exposeFloat('share'),
      shotsSince: t.float({ resolve: (r) => r.shots_since }),
      daysSince: t.float({ resolve: (r) => r.days_since }),
      shotsShare: t.float({ nullable: true, resolve: (r) => r.shots_share }),
      daysShare: t.float({ nullable: true, resolve: (r) => r.days_share }),
      shotsPerDay: t.float({ nullable: true, resolve: (r) => r.shots_per_day }),
      nextDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.next_due_at }),
      dueAtShots: t.float({ nullable: true, resolve: (r) => r.due_at_shots }),
      actionItemId: t.id({ nullable: true, resolve: (r) => r.action_item_id }),
      createdAt: t.field({ type: 'DateTime', resolve: (r) => r.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updated_at }),
    }),
  });
  const PlanPage = builder
    .objectRef<{ items: PlanOutput[]; next_cursor: string | null }>('PmPlanPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [Plan], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });
  const PlanInput = builder.inputType('PmPlanInput', {
    fields: (t) => ({
      name: t.string(),
      everyShots: t.int(),
      everyDays: t.int(),
      warnAtShare: t.float(),
      checklistTemplateId: t.id(),
      responsibleUserId: t.id(),
      isActive: t.boolean(),
      lastDoneAt: t.field({ type: 'DateTime' }),
      shotsAtLastDone: t.int(),
    }),
  });
  const PlanFilter = builder.inputType('PmPlanFilter', {
    fields: (t) => ({
      siteId: t.id(),
      toolId: t.id(),
      state: t.field({ type: PmState }),
      responsibleUserId: t.id(),
      includeInactive: t.boolean(),
    }),
  });
  const idOf = (value: unknown) => parseInput(dto.planIdParam, { id: value }).id;
  const toolIdOf = (value: unknown) => parseInput(dto.planToolParam, { tool_id: value }).tool_id;
  const read = { permission: 'plant:read' };
  const manage = { permission: 'tool:manage' };

  builder.queryFields((t) => ({
    pmPlans: t.field({
      type: PlanPage,
      args: { filter: t.arg({ type: PlanFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) => {
          const { state, includeInactive, ...rest } = args.filter ?? {};
          return pmPlans.list(
            c.caller,
            parseInput(dto.planFilterInput, {
              ...snakeCase(rest, { dropNulls: true }),
              ...(state != null ? { state: lower(state) } : {}),
              ...(includeInactive != null ? { include_inactive: String(includeInactive) } : {}),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          );
        },
      ),
    }),
    toolPmPlans: t.field({
      type: [Plan],
      args: { toolId: t.arg.id({ required: true }), includeInactive: t.arg.boolean() },
      ...withAccess(read, (_p, args: Args, c) =>
        pmPlans.listForTool(c.caller, toolIdOf(args.toolId), args.includeInactive === true),
      ),
    }),
    pmPlan: t.field({
      type: Plan,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => pmPlans.get(c.caller, idOf(args.id))),
    }),
  }));
  builder.mutationFields((t) => ({
    createPmPlan: t.field({
      type: Plan,
      args: { toolId: t.arg.id({ required: true }), input: t.arg({ type: PlanInput, required: true }) },
      ...withAccess(manage, (_p, args: { toolId: unknown; input: Args }, c) => {
        const { isActive: _ignored, lastDoneAt, ...rest } = args.input;
        return pmPlans.create(
          c.caller,
          toolIdOf(args.toolId),
          parseInput(dto.createPlanInput, {
            ...snakeCase(rest, { dropNulls: true }),
            ...(lastDoneAt != null ? { last_done_at: iso(lastDoneAt) } : {}),
          }),
        );
      }),
    }),
    updatePmPlan: t.field({
      type: Plan,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: PlanInput, required: true }) },
      ...withAccess(manage, (_p, args: { id: unknown; input: Args }, c) =>
        pmPlans.update(c.caller, idOf(args.id), parseInput(dto.updatePlanInput, snakeCase(args.input))),
      ),
    }),
    deletePmPlan: t.field({
      type: 'Boolean',
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(manage, async (_p, args: Args, c) => {
        await pmPlans.remove(c.caller, idOf(args.id));
        return true;
      }),
    }),
  }));
  return { PmPlan: Plan };
}
