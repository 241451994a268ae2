import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './maintenance-log.dto.ts';
import type { MaintenanceLogService } from './maintenance-log.service.ts';

type Args = Record<string, unknown>;
type LogOutput = dto.LogOutput;

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export function registerMaintenanceLogGraphql(builder: Builder, logs: MaintenanceLogService) {
  const LogKind = builder.enumType('MaintenanceLogKind', {
    values: ['PM', 'REPAIR', 'INSPECTION', 'CLEANING', 'OTHER'] as const,
  });
  const CheckResult = builder.enumType('ChecklistResult', { values: ['OK', 'NOT_OK', 'NA'] as const });
  const Check = builder.objectRef<LogOutput['checks'][number]>('MaintenanceLogCheck').implement({
    fields: (t) => ({
      position: t.exposeInt('position'),
      item: t.exposeString('item'),
      required: t.exposeBoolean('required'),
      result: t.field({
        type: CheckResult,
        resolve: (r) => r.result.toUpperCase() as 'OK' | 'NOT_OK' | 'NA',
      }),
      note: t.string({ nullable: true, resolve: (r) => r.note }),
    }),
  });
  const Log = builder.objectRef<LogOutput>('MaintenanceLog').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (r) => r.site_id }),
      toolId: t.id({ nullable: true, resolve: (r) => r.tool_id }),
      toolAssetNumber: t.string({ nullable: true, resolve: (r) => r.tool_asset_number }),
      machineId: t.id({ nullable: true, resolve: (r) => r.machine_id }),
      machineCode: t.string({ nullable: true, resolve: (r) => r.machine_code }),
      pmPlanId: t.id({ nullable: true, resolve: (r) => r.pm_plan_id }),
      pmPlanName: t.string({ nullable: true, resolve: (r) => r.pm_plan_name }),
      checklistTemplateId: t.id({ nullable: true, resolve: (r) => r.checklist_template_id }),
      checklistTemplateName: t.string({ nullable: true, resolve: (r) => r.checklist_template_name }),
      kind: t.field({
        type: LogKind,
        resolve: (r) => r.kind.toUpperCase() as 'PM' | 'REPAIR' | 'INSPECTION' | 'CLEANING' | 'OTHER',
      }),
      performedBy: t.id({ resolve: (r) => r.performed_by }),
      performedByName: t.string({ resolve: (r) => r.performed_by_name }),
      startedAt: t.field({ type: 'DateTime', resolve: (r) => r.started_at }),
      durationMinutes: t.int({ resolve: (r) => r.duration_minutes }),
      findings: t.string({ nullable: true, resolve: (r) => r.findings }),
      followUpRequired: t.boolean({ resolve: (r) => r.follow_up_required }),
      followUp: t.string({ nullable: true, resolve: (r) => r.follow_up }),
      actionItemId: t.id({ nullable: true, resolve: (r) => r.action_item_id }),
      shotsAt: t.float({ nullable: true, resolve: (r) => r.shots_at }),
      checks: t.field({ type: [Check], resolve: (r) => r.checks }),
      notOkCount: t.int({ resolve: (r) => r.not_ok_count }),
      createdAt: t.field({ type: 'DateTime', resolve: (r) => r.created_at }),
    }),
  });
  const LogPage = builder
    .objectRef<{ items: LogOutput[]; next_cursor: string | null }>('MaintenanceLogPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [Log], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });
  const CheckInput = builder.inputType('MaintenanceLogCheckInput', {
    fields: (t) => ({
      itemId: t.id({ required: true }),
      result: t.field({ type: CheckResult, required: true }),
      note: t.string(),
    }),
  });
  const LogInput = builder.inputType('MaintenanceLogInput', {
    fields: (t) => ({
      toolId: t.id(),
      machineId: t.id(),
      pmPlanId: t.id(),
      kind: t.field({ type: LogKind }),
      performedBy: t.id(),
      startedAt: t.field({ type: 'DateTime', required: true }),
      durationMinutes: t.int({ required: true }),
      findings: t.string(),
      followUpRequired: t.boolean(),
      followUp: t.string(),
      checklistTemplateId: t.id(),
      checks: t.field({ type: [CheckInput] }),
    }),
  });
  const LogFilter = builder.inputType('MaintenanceLogFilter', {
    fields: (t) => ({
      siteId: t.id(),
      toolId: t.id(),
      machineId: t.id(),
      pmPlanId: t.id(),
      kind: t.field({ type: LogKind }),
      performedBy: t.id(),
      followUpRequired: t.boolean(),
      from: t.field({ type: 'DateTime' }),
      to: t.field({ type: 'DateTime' }),
    }),
  });
  const idOf = (value: unknown) => parseInput(dto.logIdParam, { id: value }).id;
  const read = { permission: 'plant:read' };
  const write = { permission: 'toollog:write' };

  builder.queryFields((t) => ({
    maintenanceLogs: t.field({
      type: LogPage,
      args: { filter: t.arg({ type: LogFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) => {
          const { kind, followUpRequired, from, to, ...rest } = args.filter ?? {};
          return logs.list(
            c.caller,
            parseInput(dto.logFilterInput, {
              ...snakeCase(rest, { dropNulls: true }),
              ...(kind != null ? { kind: lower(kind) } : {}),
              ...(followUpRequired != null ? { follow_up_required: String(followUpRequired) } : {}),
              ...(from != null ? { from: iso(from) } : {}),
              ...(to != null ? { to: iso(to) } : {}),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          );
        },
      ),
    }),
    maintenanceLog: t.field({
      type: Log,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => logs.get(c.caller, idOf(args.id))),
    }),
  }));
  builder.mutationFields((t) => ({
    createMaintenanceLog: t.field({
      type: Log,
      args: { input: t.arg({ type: LogInput, required: true }) },
      ...withAccess(write, (_p, { input }: { input: Args }, c) => {
        const { kind, startedAt, checks, ...rest } = input;
        return logs.create(
          c.caller,
          parseInput(dto.createLogInput, {
            ...snakeCase(rest, { dropNulls: true }),
            ...(kind != null ? { kind: lower(kind) } : {}),
            started_at: iso(startedAt),
            ...(Array.isArray(checks)
              ? {
                  checks: checks.map((check: Args) => ({
                    item_id: check.itemId,
                    result: lower(check.result),
                    ...(check.note != null ? { note: check.note } : {}),
                  })),
                }
              : {}),
          }),
        );
      }),
    }),
  }));
  return { MaintenanceLog: Log };
}
