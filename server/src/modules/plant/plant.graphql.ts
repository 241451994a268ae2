import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './plant.dto.ts';
import type { PlantService } from './plant.service.ts';

type Args = Record<string, unknown>;

export function registerPlantGraphql(builder: Builder, plant: PlantService) {
  const Line = builder.objectRef<dto.LineOutput>('Line');
  const Machine = builder.objectRef<dto.MachineOutput>('Machine');

  Line.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (line) => line.site_id }),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      description: t.string({ nullable: true, resolve: (line) => line.description }),
      status: t.exposeString('status'),
      notes: t.string({ nullable: true, resolve: (line) => line.notes }),
      isActive: t.boolean({ resolve: (line) => line.is_active }),
      machines: t.field({
        type: [Machine],
        description: 'Active machines of the line (batched across lines)',
        resolve: async (line, _args, c) => {
          const loader = c.loader<number, dto.MachineOutput[]>('machinesByLine', async (ids) => {
            const found = await plant.machinesOfLines(c.caller, ids);
            return ids.map((id) => found.filter((machine) => machine.line_id === id));
          });
          return loader.load(line.id);
        },
      }),
      createdAt: t.field({ type: 'DateTime', resolve: (line) => line.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (line) => line.updated_at }),
    }),
  });

  Machine.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (m) => m.site_id }),
      lineId: t.id({ resolve: (m) => m.line_id }),
      line: t.field({
        type: Line,
        resolve: async (m, _args, c) => {
          const loader = c.loader<number, dto.LineOutput>('lineById', async (ids) => {
            const found = await plant.getLines(c.caller, ids);
            return ids.map((id) => found.find((line) => line.id === id) ?? new Error(`No line ${id}`));
          });
          return loader.load(m.line_id);
        },
      }),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      assetNumber: t.string({ nullable: true, resolve: (m) => m.asset_number }),
      serialNumber: t.string({ nullable: true, resolve: (m) => m.serial_number }),
      manufacturer: t.string({ nullable: true, resolve: (m) => m.manufacturer }),
      model: t.string({ nullable: true, resolve: (m) => m.model }),
      machineType: t.string({ nullable: true, resolve: (m) => m.machine_type }),
      status: t.exposeString('status'),
      criticality: t.exposeString('criticality'),
      commissionedOn: t.string({ nullable: true, resolve: (m) => m.commissioned_on }),
      notes: t.string({ nullable: true, resolve: (m) => m.notes }),
      isActive: t.boolean({ resolve: (m) => m.is_active }),
      createdAt: t.field({ type: 'DateTime', resolve: (m) => m.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (m) => m.updated_at }),
    }),
  });

  const LineInput = builder.inputType('LineInput', {
    fields: (t) => ({
      siteId: t.id(),
      code: t.string(),
      name: t.string(),
      description: t.string(),
      status: t.string(),
      notes: t.string(),
      isActive: t.boolean(),
    }),
  });
  const MachineInput = builder.inputType('MachineInput', {
    fields: (t) => ({
      lineId: t.id(),
      code: t.string(),
      name: t.string(),
      assetNumber: t.string(),
      serialNumber: t.string(),
      manufacturer: t.string(),
      model: t.string(),
      machineType: t.string(),
      status: t.string(),
      criticality: t.string(),
      commissionedOn: t.string(),
      notes: t.string(),
      isActive: t.boolean(),
    }),
  });
  const MachineFilter = builder.inputType('MachineFilter', {
    fields: (t) => ({
      siteId: t.id(),
      lineId: t.id(),
      status: t.string(),
      search: t.string(),
      includeInactive: t.boolean(),
    }),
  });

  const read = { permission: 'plant:read' };
  const manage = { permission: 'plant:manage' };
  builder.queryFields((t) => ({
    lines: t.field({
      type: [Line],
      args: { siteId: t.arg.id(), includeInactive: t.arg.boolean() },
      ...withAccess(read, (_p, args: Args, c) =>
        plant.listLines(c.caller, parseInput(dto.lineFilterInput, snakeCase(args, { dropNulls: true }))),
      ),
    }),
    line: t.field({
      type: Line,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) =>
        plant.getLine(c.caller, parseInput(dto.lineIdParam, { line_id: args.id }).line_id),
      ),
    }),
    machines: t.field({
      type: [Machine],
      args: { filter: t.arg({ type: MachineFilter }) },
      ...withAccess(read, (_p, args: { filter?: Args | null }, c) =>
        plant.listMachines(
          c.caller,
          parseInput(dto.machineFilterInput, snakeCase(args.filter ?? {}, { dropNulls: true })),
        ),
      ),
    }),
    machine: t.field({
      type: Machine,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) =>
        plant.getMachine(c.caller, parseInput(dto.machineIdParam, { machine_id: args.id }).machine_id),
      ),
    }),
  }));

  builder.mutationFields((t) => ({
    createLine: t.field({
      type: Line,
      args: { input: t.arg({ type: LineInput, required: true }) },
      ...withAccess(manage, (_p, { input }: { input: Args }, c) =>
        plant.createLine(c.caller, parseInput(dto.createLineInput, snakeCase(input, { dropNulls: true }))),
      ),
    }),
    updateLine: t.field({
      type: Line,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: LineInput, required: true }) },
      ...withAccess(manage, (_p, args: { id: unknown; input: Args }, c) =>
        plant.updateLine(
          c.caller,
          parseInput(dto.lineIdParam, { line_id: args.id }).line_id,
          parseInput(dto.updateLineInput, snakeCase(args.input)),
        ),
      ),
    }),
    createMachine: t.field({
      type: Machine,
      args: { input: t.arg({ type: MachineInput, required: true }) },
      ...withAccess(manage, (_p, { input }: { input: Args }, c) =>
        plant.createMachine(
          c.caller,
          parseInput(dto.createMachineInput, snakeCase(input, { dropNulls: true })),
        ),
      ),
    }),
    updateMachine: t.field({
      type: Machine,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: MachineInput, required: true }) },
      ...withAccess(manage, (_p, args: { id: unknown; input: Args }, c) =>
        plant.updateMachine(
          c.caller,
          parseInput(dto.machineIdParam, { machine_id: args.id }).machine_id,
          parseInput(dto.updateMachineInput, snakeCase(args.input)),
        ),
      ),
    }),
  }));
  return { Line, Machine };
}
