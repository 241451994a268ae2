import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './action-item.dto.ts';
import type { ActionItemService } from './action-item.service.ts';

type Args = Record<string, unknown>;
const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;

/** camelCase args → the REST shape: snake_case keys, DateTimes as ISO strings, enums lower case. */
function restShape(input: Args, options: { dropNulls?: boolean } = {}): Args {
  return Object.fromEntries(
    Object.entries(snakeCase(input, options)).map(([key, value]) => [
      key,
      value instanceof Date
        ? value.toISOString()
        : Array.isArray(value)
          ? value.map(lower).join(',')
          : ['priority', 'status'].includes(key)
            ? lower(value)
            : value,
    ]),
  );
}

/** Action items over GraphQL: the same service, DTOs and permissions as action-item.routes.ts. */
export function registerActionItemGraphql(builder: Builder, service: ActionItemService): void {
  const Status = builder.enumType('ActionItemStatus', {
    values: ['OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const,
  });
  const Priority = builder.enumType('ActionItemPriority', {
    values: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const,
  });
  const Source = builder.enumType('ActionItemSource', {
    values: ['FAILURE_REPORT', 'MAINTENANCE_LOG', 'PM_PLAN', 'QUALITY_ALERT', 'MANUAL'] as const,
  });

  const Event = builder.objectRef<dto.ActionEventOutput>('ActionItemEvent').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
      actorUserId: t.id({ nullable: true, resolve: (e) => e.actor_user_id }),
      actorName: t.string({ nullable: true, resolve: (e) => e.actor_name }),
      kind: t.exposeString('kind'),
      fromValue: t.string({ nullable: true, resolve: (e) => e.from_value }),
      toValue: t.string({ nullable: true, resolve: (e) => e.to_value }),
      note: t.string({ nullable: true, resolve: (e) => e.note }),
    }),
  });

  const ActionItem = builder.objectRef<dto.ActionOutput & Partial<dto.ActionDetailOutput>>('ActionItem');
  ActionItem.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (a) => a.site_id }),
      siteCode: t.string({ nullable: true, resolve: (a) => a.site_code }),
      title: t.exposeString('title'),
      description: t.string({ nullable: true, resolve: (a) => a.description }),
      source: t.field({ type: Source, resolve: (a) => upper(a.source) }),
      sourceId: t.id({ nullable: true, resolve: (a) => a.source_id }),
      machineId: t.id({ nullable: true, resolve: (a) => a.machine_id }),
      machineCode: t.string({ nullable: true, resolve: (a) => a.machine_code }),
      toolId: t.id({ nullable: true, resolve: (a) => a.tool_id }),
      toolAssetNumber: t.string({ nullable: true, resolve: (a) => a.tool_asset_number }),
      priority: t.field({ type: Priority, resolve: (a) => upper(a.priority) }),
      assigneeId: t.id({ nullable: true, resolve: (a) => a.assignee_id }),
      assigneeName: t.string({ nullable: true, resolve: (a) => a.assignee_name }),
      dueAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.due_at }),
      status: t.field({ type: Status, resolve: (a) => upper(a.status) }),
      resolution: t.string({ nullable: true, resolve: (a) => a.resolution }),
      createdAt: t.field({ type: 'DateTime', resolve: (a) => a.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (a) => a.updated_at }),
      completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.completed_at }),
      escalationLevel: t.exposeInt('escalation_level'),
      overdue: t.exposeBoolean('overdue'),
      events: t.field({
        type: [Event],
        description: 'The history, oldest first',
        resolve: async (a, _args, c) => a.events ?? (await service.get(c.caller, a.id)).events,
      }),
      allowedTransitions: t.field({
        type: [Status],
        description: 'Status moves the caller may make now',
        resolve: async (a, _args, c) =>
          (a.allowed_transitions ?? (await service.get(c.caller, a.id)).allowed_transitions).map(upper),
      }),
    }),
  });
  const Page = builder
    .objectRef<{ items: dto.ActionOutput[]; next_cursor: string | null }>('ActionItemPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [ActionItem], resolve: (p) => p.items }),
        nextCursor: t.string({ nullable: true, resolve: (p) => p.next_cursor }),
      }),
    });

  const Filter = builder.inputType('ActionItemFilter', {
    fields: (t) => ({
      status: t.field({ type: [Status] }),
      assignee: t.string({ description: 'A user id, "mine" or "none"' }),
      siteId: t.id(),
      source: t.field({ type: [Source] }),
      sourceId: t.id(),
      machineId: t.id(),
      toolId: t.id(),
      overdue: t.boolean(),
      dueBefore: t.field({ type: 'DateTime' }),
      dueAfter: t.field({ type: 'DateTime' }),
    }),
  });
  const CreateInput = builder.inputType('CreateActionItemInput', {
    fields: (t) => ({
      siteId: t.int(),
      title: t.string({ required: true }),
      description: t.string(),
      priority: t.field({ type: Priority }),
      assigneeId: t.int(),
      dueAt: t.field({ type: 'DateTime' }),
      machineId: t.int(),
      toolId: t.int(),
    }),
  });
  const UpdateInput = builder.inputType('UpdateActionItemInput', {
    fields: (t) => ({
      title: t.string(),
      description: t.string(),
      priority: t.field({ type: Priority }),
      assigneeId: t.int(),
      dueAt: t.field({ type: 'DateTime' }),
      note: t.string(),
    }),
  });

  builder.queryFields((t) => ({
    actionItems: t.field({
      type: Page,
      args: { filter: t.arg({ type: Filter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        { permission: 'plant:read' },
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) =>
          service.list(
            c.caller,
            parseInput(dto.actionFilterInput, {
              ...restShape(args.filter ?? {}, { dropNulls: true }),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
    actionItem: t.field({
      type: ActionItem,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess({ permission: 'plant:read' }, (_p, args: { id: string | number }, c) =>
        service.get(c.caller, parseInput(dto.actionIdParam, { id: args.id }).id),
      ),
    }),
  }));
  builder.mutationFields((t) => ({
    createActionItem: t.field({
      type: ActionItem,
      args: { input: t.arg({ type: CreateInput, required: true }) },
      ...withAccess({ permission: 'action:manage' }, (_p, args: { input: Args }, c) =>
        service.create(
          c.caller,
          parseInput(dto.createActionInput, restShape(args.input, { dropNulls: true })),
        ),
      ),
    }),
    updateActionItem: t.field({
      type: ActionItem,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateInput, required: true }) },
      ...withAccess({ permission: 'action:manage' }, (_p, args: { id: string | number; input: Args }, c) =>
        service.update(
          c.caller,
          parseInput(dto.actionIdParam, { id: args.id }).id,
          parseInput(dto.updateActionInput, restShape(args.input)),
        ),
      ),
    }),
    moveActionItem: t.field({
      type: ActionItem,
      description: 'Change the status (start, complete with a resolution note, cancel, reopen)',
      args: {
        id: t.arg.id({ required: true }),
        status: t.arg({ type: Status, required: true }),
        note: t.arg.string(),
      },
      ...withAccess(
        { permission: 'action:work' },
        (_p, args: { id: string | number; status: string; note?: string | null }, c) =>
          service.transition(
            c.caller,
            parseInput(dto.actionIdParam, { id: args.id }).id,
            parseInput(dto.transitionActionInput, {
              status: lower(args.status),
              ...(args.note != null ? { note: args.note } : {}),
            }),
          ),
      ),
    }),
    commentActionItem: t.field({
      type: ActionItem,
      args: { id: t.arg.id({ required: true }), note: t.arg.string({ required: true }) },
      ...withAccess({ permission: 'action:work' }, (_p, args: { id: string | number; note: string }, c) =>
        service.comment(
          c.caller,
          parseInput(dto.actionIdParam, { id: args.id }).id,
          parseInput(dto.commentActionInput, { note: args.note }).note,
        ),
      ),
    }),
  }));
}
