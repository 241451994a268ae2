import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './checklist.dto.ts';
import type { ChecklistService } from './checklist.service.ts';

type Args = Record<string, unknown>;

export function registerChecklistGraphql(builder: Builder, checklists: ChecklistService) {
  const Item = builder.objectRef<dto.TemplateItemOutput>('ChecklistTemplateItem').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      position: t.exposeInt('position'),
      text: t.exposeString('text'),
      required: t.exposeBoolean('required'),
    }),
  });
  const Template = builder.objectRef<dto.TemplateOutput>('ChecklistTemplate').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ nullable: true, description: 'Null: shared by every site', resolve: (r) => r.site_id }),
      name: t.exposeString('name'),
      description: t.string({ nullable: true, resolve: (r) => r.description }),
      appliesTo: t.string({ resolve: (r) => r.applies_to }),
      isActive: t.boolean({ resolve: (r) => r.is_active }),
      items: t.field({ type: [Item], resolve: (r) => r.items }),
      usedByLogs: t.int({ resolve: (r) => r.used_by_logs }),
      usedByPlans: t.int({ resolve: (r) => r.used_by_plans }),
      createdAt: t.field({ type: 'DateTime', resolve: (r) => r.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updated_at }),
    }),
  });
  const ItemInput = builder.inputType('ChecklistTemplateItemInput', {
    fields: (t) => ({ text: t.string({ required: true }), required: t.boolean() }),
  });
  const TemplateInput = builder.inputType('ChecklistTemplateInput', {
    fields: (t) => ({
      siteId: t.id(),
      name: t.string(),
      description: t.string(),
      appliesTo: t.string(),
      isActive: t.boolean(),
      items: t.field({ type: [ItemInput] }),
    }),
  });
  const idOf = (value: unknown) => parseInput(dto.templateIdParam, { id: value }).id;
  const read = { permission: 'plant:read' };
  const manage = { permission: 'catalog:manage' };
  const toRest = (input: Args, dropNulls: boolean): Args => {
    const { items, ...rest } = input;
    return {
      ...snakeCase(rest, { dropNulls }),
      ...(Array.isArray(items)
        ? { items: items.map((item: Args) => snakeCase(item, { dropNulls: true })) }
        : {}),
    };
  };

  builder.queryFields((t) => ({
    checklistTemplates: t.field({
      type: [Template],
      args: { siteId: t.arg.id(), appliesTo: t.arg.string(), includeInactive: t.arg.boolean() },
      ...withAccess(read, (_p, args: Args, c) =>
        checklists.list(c.caller, parseInput(dto.templateFilterInput, snakeCase(args, { dropNulls: true }))),
      ),
    }),
    checklistTemplate: t.field({
      type: Template,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => checklists.get(c.caller, idOf(args.id))),
    }),
  }));
  builder.mutationFields((t) => ({
    createChecklistTemplate: t.field({
      type: Template,
      args: { input: t.arg({ type: TemplateInput, required: true }) },
      ...withAccess(manage, (_p, { input }: { input: Args }, c) => {
        const { is_active: _ignored, ...body } = toRest(input, true);
        return checklists.create(c.caller, parseInput(dto.createTemplateInput, body));
      }),
    }),
    updateChecklistTemplate: t.field({
      type: Template,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: TemplateInput, required: true }) },
      ...withAccess(manage, (_p, args: { id: unknown; input: Args }, c) =>
        checklists.update(
          c.caller,
          idOf(args.id),
          parseInput(dto.updateTemplateInput, toRest(args.input, false)),
        ),
      ),
    }),
    deleteChecklistTemplate: t.field({
      type: 'Boolean',
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(manage, async (_p, args: Args, c) => {
        await checklists.remove(c.caller, idOf(args.id));
        return true;
      }),
    }),
  }));
  return { ChecklistTemplate: Template };
}
