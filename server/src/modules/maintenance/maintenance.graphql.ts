import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import type { MachineOutput, PlantService, registerPlantGraphql } from '../plant/index.ts';
import type { ReasonRow } from './catalog.repository.ts';
import type { FailureCodeOutput } from './catalog.dto.ts';
import type { CatalogService } from './catalog.service.ts';
import * as dto from './downtime.dto.ts';
import type { DowntimeService } from './downtime.service.ts';

type Args = Record<string, unknown>;
type PlantRefs = ReturnType<typeof registerPlantGraphql>;

export function registerMaintenanceGraphql(
  builder: Builder,
  services: { downtimes: DowntimeService; catalog: CatalogService; plant: PlantService },
  refs: Pick<PlantRefs, 'Machine'>,
) {
  const { downtimes, catalog, plant } = services;
  const { Machine } = refs;

  const DowntimeReason = builder.objectRef<ReasonRow>('DowntimeReason').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      nameRu: t.string({ nullable: true, resolve: (r) => r.name_ru }),
      isActive: t.boolean({ resolve: (r) => r.is_active }),
      categoryCode: t.string({ resolve: (r) => r.category_code }),
      categoryName: t.string({ resolve: (r) => r.category_name }),
      categoryNameRu: t.string({ nullable: true, resolve: (r) => r.category_name_ru }),
      isFailure: t.boolean({ resolve: (r) => r.is_failure }),
    }),
  });

  const FailureCode = builder.objectRef<FailureCodeOutput>('FailureCode').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      description: t.string({ nullable: true, resolve: (f) => f.description }),
      defaultSeverity: t.string({ resolve: (f) => f.default_severity }),
      isActive: t.boolean({ resolve: (f) => f.is_active }),
    }),
  });

  const Downtime = builder.objectRef<dto.DowntimeOutput>('Downtime').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (d) => d.site_id }),
      machineId: t.id({ resolve: (d) => d.machine_id }),
      machine: t.field({
        type: Machine,
        resolve: async (d, _args, c) => {
          const loader = c.loader<number, MachineOutput>('machineById', async (ids) =>
            Promise.all(ids.map((id) => plant.getMachine(c.caller, id).catch((error: Error) => error))),
          );
          return loader.load(d.machine_id);
        },
      }),
      startDatetime: t.field({ type: 'DateTime', resolve: (d) => d.start_datetime }),
      endDatetime: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.end_datetime }),
      durationSeconds: t.float({ resolve: (d) => d.duration_seconds }),
      planned: t.exposeBoolean('planned'),
      reasonId: t.id({ nullable: true, resolve: (d) => d.reason_id }),
      reasonCode: t.string({ nullable: true, resolve: (d) => d.reason_code }),
      reasonName: t.string({ nullable: true, resolve: (d) => d.reason_name }),
      comment: t.string({ nullable: true, resolve: (d) => d.comment }),
      source: t.exposeString('source'),
      reportedBy: t.id({ nullable: true, resolve: (d) => d.reported_by }),
      repairIds: t.idList({ resolve: (d) => d.repair_ids }),
      createdAt: t.field({ type: 'DateTime', resolve: (d) => d.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (d) => d.updated_at }),
    }),
  });

  const DowntimePage = builder
    .objectRef<{ items: dto.DowntimeOutput[]; next_cursor: string | null }>('DowntimePage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [Downtime], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });

  const DowntimeInput = builder.inputType('DowntimeInput', {
    fields: (t) => ({
      machineId: t.id(),
      startDatetime: t.field({ type: 'DateTime' }),
      endDatetime: t.field({ type: 'DateTime' }),
      planned: t.boolean(),
      reasonId: t.id(),
      comment: t.string(),
    }),
  });
  const DowntimeFilter = builder.inputType('DowntimeFilter', {
    fields: (t) => ({
      siteId: t.id(),
      lineId: t.id(),
      machineId: t.id(),
      open: t.boolean(),
      planned: t.boolean(),
      reasonId: t.id(),
      unexplained: t.boolean(),
      from: t.field({ type: 'DateTime' }),
      to: t.field({ type: 'DateTime' }),
    }),
  });

  const read = { permission: 'plant:read' };
  const recordStops = { permission: 'downtime:record' };
  const idOf = (value: unknown) =>
    parseInput(dto.downtimeFilterInput.pick({ machine_id: true }), { machine_id: value }).machine_id!;

  builder.queryFields((t) => ({
    downtimes: t.field({
      type: DowntimePage,
      args: { filter: t.arg({ type: DowntimeFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) =>
          downtimes.list(
            c.caller,
            parseInput(dto.downtimeFilterInput, {
              ...snakeCase(args.filter ?? {}, { dropNulls: true }),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
    downtime: t.field({
      type: Downtime,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => downtimes.get(c.caller, idOf(args.id))),
    }),
    downtimeReasons: t.field({
      type: [DowntimeReason],
      args: { includeInactive: t.arg.boolean() },
      ...withAccess(read, (_p, args: { includeInactive?: boolean | null }, c) =>
        catalog.reasons(c.caller, args.includeInactive ?? false),
      ),
    }),
    failureCodes: t.field({
      type: [FailureCode],
      args: { includeInactive: t.arg.boolean() },
      ...withAccess(read, (_p, args: { includeInactive?: boolean | null }, c) =>
        catalog.failureCodes(c.caller, args.includeInactive ?? false),
      ),
    }),
  }));

  builder.mutationFields((t) => ({
    createDowntime: t.field({
      type: Downtime,
      args: { input: t.arg({ type: DowntimeInput, required: true }) },
      ...withAccess(recordStops, (_p, { input }: { input: Args }, c) =>
        downtimes.create(
          c.caller,
          parseInput(dto.createDowntimeInput, snakeCase(input, { dropNulls: true })),
        ),
      ),
    }),
    updateDowntime: t.field({
      type: Downtime,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: DowntimeInput, required: true }) },
      ...withAccess(recordStops, (_p, args: { id: unknown; input: Args }, c) =>
        downtimes.update(c.caller, idOf(args.id), parseInput(dto.updateDowntimeInput, snakeCase(args.input))),
      ),
    }),
    endDowntime: t.field({
      type: Downtime,
      args: { id: t.arg.id({ required: true }), endDatetime: t.arg({ type: 'DateTime' }) },
      ...withAccess(recordStops, (_p, args: { id: unknown; endDatetime?: Date | null }, c) =>
        downtimes.end(c.caller, idOf(args.id), args.endDatetime ?? undefined),
      ),
    }),
  }));
  return { Downtime, DowntimeReason, FailureCode };
}
