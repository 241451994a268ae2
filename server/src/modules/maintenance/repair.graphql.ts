import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import type { MachineOutput, PlantService, registerPlantGraphql } from '../plant/index.ts';
import * as dto from './repair.dto.ts';
import type { RepairService } from './repair.service.ts';

type Args = Record<string, unknown>;
type PlantRefs = ReturnType<typeof registerPlantGraphql>;

/** GraphQL speaks the original HOM clients' enums (SCHEDULED, IN_PROGRESS); the services use lower case. */
const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

export function registerRepairGraphql(
  builder: Builder,
  services: { repairs: RepairService; plant: PlantService },
  refs: Pick<PlantRefs, 'Machine'>,
) {
  const { repairs, plant } = services;
  const RepairType = builder.enumType('RepairType', { values: ['SCHEDULED', 'UNSCHEDULED'] as const });
  const RepairStatus = builder.enumType('RepairStatus', {
    values: ['OPEN', 'IN_PROGRESS', 'CLOSED'] as const,
  });
  const Technician = builder.objectRef<RepairOutput['technicians'][number]>('RepairTechnician').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      username: t.exposeString('username'),
      fullName: t.string({ nullable: true, resolve: (u) => u.full_name }),
    }),
  });
  const Part = builder.objectRef<RepairOutput['parts'][number]>('RepairPart').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      part: t.exposeString('part'),
      quantity: t.exposeFloat('quantity'),
    }),
  });
  type RepairOutput = dto.RepairOutput;

  const Repair = builder.objectRef<RepairOutput>('Repair').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (r) => r.site_id }),
      machineId: t.id({ resolve: (r) => r.machine_id }),
      machine: t.field({
        type: refs.Machine,
        resolve: async (r, _args, c) => {
          const loader = c.loader<number, MachineOutput>('machineById', async (ids) =>
            Promise.all(ids.map((id) => plant.getMachine(c.caller, id).catch((error: Error) => error))),
          );
          return loader.load(r.machine_id);
        },
      }),
      lineId: t.id({ resolve: (r) => r.line_id }),
      type: t.field({
        type: RepairType,
        resolve: (r) => r.repair_type.toUpperCase() as 'SCHEDULED' | 'UNSCHEDULED',
      }),
      status: t.field({
        type: RepairStatus,
        resolve: (r) => r.status.toUpperCase() as 'OPEN' | 'IN_PROGRESS' | 'CLOSED',
      }),
      startDatetime: t.field({ type: 'DateTime', resolve: (r) => r.start_datetime }),
      endDatetime: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.end_datetime }),
      durationSeconds: t.float({ nullable: true, resolve: (r) => r.duration_seconds }),
      description: t.exposeString('description'),
      cause: t.string({
        nullable: true,
        description: 'Failure code, e.g. FL-001',
        resolve: (r) => r.failure_code,
      }),
      causeName: t.string({ nullable: true, resolve: (r) => r.failure_name }),
      failureCodeId: t.id({ nullable: true, resolve: (r) => r.failure_code_id }),
      actionsTaken: t.string({ nullable: true, resolve: (r) => r.actions_taken }),
      cost: t.float({ nullable: true, resolve: (r) => r.cost }),
      downtimeId: t.id({ nullable: true, resolve: (r) => r.downtime_id }),
      technicians: t.field({ type: [Technician], resolve: (r) => r.technicians }),
      parts: t.field({ type: [Part], resolve: (r) => r.parts }),
      createdBy: t.id({ nullable: true, resolve: (r) => r.created_by }),
      updatedBy: t.id({ nullable: true, resolve: (r) => r.updated_by }),
      createdAt: t.field({ type: 'DateTime', resolve: (r) => r.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updated_at }),
    }),
  });
  const RepairPage = builder
    .objectRef<{ items: RepairOutput[]; next_cursor: string | null }>('RepairPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [Repair], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });

  const PartInput = builder.inputType('RepairPartInput', {
    fields: (t) => ({ part: t.string({ required: true }), quantity: t.float({ required: true }) }),
  });
  const RepairInput = builder.inputType('RepairInput', {
    fields: (t) => ({
      machineId: t.id(),
      type: t.field({ type: RepairType }),
      status: t.field({ type: RepairStatus }),
      startDatetime: t.field({ type: 'DateTime' }),
      endDatetime: t.field({ type: 'DateTime' }),
      description: t.string(),
      failureCodeId: t.id(),
      actionsTaken: t.string(),
      technicianIds: t.idList(),
      parts: t.field({ type: [PartInput] }),
      cost: t.float(),
      downtimeId: t.id(),
    }),
  });
  const RepairFilter = builder.inputType('RepairFilter', {
    fields: (t) => ({
      siteId: t.id(),
      lineId: t.id(),
      machineId: t.id(),
      status: t.field({ type: RepairStatus }),
      type: t.field({ type: RepairType }),
      from: t.field({ type: 'DateTime' }),
      to: t.field({ type: 'DateTime' }),
      text: t.string(),
    }),
  });

  /** camelCase GraphQL input → the REST shape (`type` → `repair_type`, enums lower case). */
  const toRest = (input: Args, options: { dropNulls: boolean }) => {
    const { type, status, text, ...rest } = input;
    return snakeCase(
      {
        ...rest,
        ...(type !== undefined ? { repairType: lower(type) } : {}),
        ...(status !== undefined ? { status: lower(status) } : {}),
        ...(text !== undefined ? { q: text } : {}),
      },
      options,
    );
  };
  const idOf = (value: unknown) =>
    parseInput(dto.repairFilterInput.pick({ machine_id: true }), { machine_id: value }).machine_id!;
  const read = { permission: 'plant:read' };
  const write = { permission: 'repair:write' };

  builder.queryFields((t) => ({
    repairs: t.field({
      type: RepairPage,
      args: { filter: t.arg({ type: RepairFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) =>
          repairs.list(
            c.caller,
            parseInput(dto.repairFilterInput, {
              ...toRest(args.filter ?? {}, { dropNulls: true }),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
    repair: t.field({
      type: Repair,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => repairs.get(c.caller, idOf(args.id))),
    }),
  }));
  builder.mutationFields((t) => ({
    createRepair: t.field({
      type: Repair,
      args: { input: t.arg({ type: RepairInput, required: true }) },
      ...withAccess(write, (_p, { input }: { input: Args }, c) =>
        repairs.create(c.caller, parseInput(dto.createRepairInput, toRest(input, { dropNulls: true }))),
      ),
    }),
    updateRepair: t.field({
      type: Repair,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: RepairInput, required: true }) },
      ...withAccess(write, (_p, args: { id: unknown; input: Args }, c) =>
        repairs.update(
          c.caller,
          idOf(args.id),
          parseInput(dto.updateRepairInput, toRest(args.input, { dropNulls: false })),
        ),
      ),
    }),
  }));
}
