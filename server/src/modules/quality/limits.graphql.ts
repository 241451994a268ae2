import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './limits.dto.ts';
import type { LimitService } from './limits.service.ts';

type Args = Record<string, unknown>;

/** camelCase args → the REST shape, DateTime values back as ISO text (the DTOs read instants as text). */
const restShape = (input: Args, options: { dropNulls?: boolean } = {}): Args =>
  Object.fromEntries(
    Object.entries(snakeCase(input, options)).map(([key, value]) => [
      key,
      value instanceof Date ? value.toISOString() : value,
    ]),
  );

/** Spec limits over GraphQL: the same service, rules and permissions as limits.routes.ts. */
export function registerLimitGraphql(builder: Builder, limits: LimitService) {
  const SpecLimit = builder.objectRef<dto.LimitOutput>('SpecLimit').implement({
    description: 'One version of the limits of a product × test step, in force from effectiveFrom',
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (l) => l.site_id }),
      productId: t.string({ resolve: (l) => l.product_id }),
      testStep: t.string({ resolve: (l) => l.test_step }),
      lowerLimit: t.float({ nullable: true, resolve: (l) => l.lower_limit }),
      upperLimit: t.float({ nullable: true, resolve: (l) => l.upper_limit }),
      target: t.float({ nullable: true, resolve: (l) => l.target }),
      unit: t.string({ nullable: true, resolve: (l) => l.unit }),
      effectiveFrom: t.field({ type: 'DateTime', resolve: (l) => l.effective_from }),
      createdBy: t.id({ nullable: true, resolve: (l) => l.created_by }),
      createdAt: t.field({ type: 'DateTime', resolve: (l) => l.created_at }),
      inForce: t.boolean({ resolve: (l) => l.in_force }),
    }),
  });

  const SpecLimitFilter = builder.inputType('SpecLimitFilter', {
    fields: (t) => ({
      siteId: t.id(),
      productId: t.string(),
      testStep: t.string(),
      at: t.field({ type: 'DateTime' }),
      history: t.boolean(),
    }),
  });
  const SpecLimitInput = builder.inputType('SpecLimitInput', {
    fields: (t) => ({
      siteId: t.id({ required: true }),
      productId: t.string({ required: true }),
      testStep: t.string({ required: true }),
      lowerLimit: t.float(),
      upperLimit: t.float(),
      target: t.float(),
      unit: t.string(),
      effectiveFrom: t.field({ type: 'DateTime' }),
    }),
  });

  const read = { permission: 'plant:read' };
  const manage = { permission: 'quality:manage' };

  builder.queryFields((t) => ({
    specLimits: t.field({
      type: [SpecLimit],
      description:
        'The versions in force per product × step (at `at`, default now); with history, every version',
      args: { filter: t.arg({ type: SpecLimitFilter }) },
      ...withAccess(read, (_p, args: { filter?: Args | null }, c) =>
        limits.list(
          c.caller,
          parseInput(dto.listLimitsInput, restShape(args.filter ?? {}, { dropNulls: true })),
        ),
      ),
    }),
  }));

  builder.mutationFields((t) => ({
    createSpecLimit: t.field({
      type: SpecLimit,
      args: { input: t.arg({ type: SpecLimitInput, required: true }) },
      ...withAccess(manage, (_p, { input }: { input: Args }, c) =>
        limits.create(c.caller, parseInput(dto.createLimitInput, restShape(input, { dropNulls: true }))),
      ),
    }),
    deleteSpecLimit: t.field({
      type: 'Boolean',
      description: 'Deletes a version not yet in force; true once gone',
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(manage, async (_p, args: { id: unknown }, c) => {
        await limits.remove(c.caller, parseInput(dto.idParam, { id: args.id }).id);
        return true;
      }),
    }),
  }));
  return { SpecLimit };
}
