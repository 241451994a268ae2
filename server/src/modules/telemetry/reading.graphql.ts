import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './reading.dto.ts';
import type { ReadingService } from './reading.service.ts';

type Args = Record<string, unknown>;

/** camelCase args → the REST/zod shape, with DateTime values back as ISO strings (as in a REST body). */
const restShape = (input: Args): Args =>
  Object.fromEntries(
    Object.entries(snakeCase(input, { dropNulls: true })).map(([key, value]) => [
      key,
      value instanceof Date ? value.toISOString() : value,
    ]),
  );

/** Raw machine readings over GraphQL: the same service, DTOs and permissions as the REST routes. */
export function registerReadingGraphql(builder: Builder, readings: ReadingService) {
  const MachineReading = builder.objectRef<dto.ReadingOutput>('MachineReading').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      machineId: t.id({ resolve: (r) => r.machine_id }),
      readingType: t.string({ resolve: (r) => r.reading_type }),
      value: t.exposeFloat('value'),
      unit: t.string({ nullable: true, resolve: (r) => r.unit }),
      timestamp: t.field({ type: 'DateTime', resolve: (r) => r.timestamp }),
      receivedAt: t.field({ type: 'DateTime', resolve: (r) => r.received_at }),
    }),
  });
  const ReadingInput = builder.inputType('MachineReadingInput', {
    fields: (t) => ({
      readingType: t.string(),
      value: t.float(),
      unit: t.string(),
      timestamp: t.field({ type: 'DateTime', description: 'When measured; default now' }),
    }),
  });

  builder.queryFields((t) => ({
    machineReadings: t.field({
      type: [MachineReading],
      args: {
        machine: t.arg.string({ required: true, description: 'Machine id or code' }),
        readingType: t.arg.string(),
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
        first: t.arg.int(),
      },
      ...withAccess({ permission: 'plant:read' }, (_p, args: Args, c) => {
        const { machine, first, ...filter } = args;
        return readings.list(
          c.caller,
          parseInput(dto.machineRefParam, { machine_id: machine }).machine_id,
          parseInput(dto.readingFilterInput, restShape({ ...filter, limit: first })),
        );
      }),
    }),
  }));

  builder.mutationFields((t) => ({
    recordMachineReadings: t.field({
      type: [MachineReading],
      description: 'Up to 1,000 readings of one machine (id or code)',
      args: {
        machine: t.arg.string({ required: true }),
        readings: t.arg({ type: [ReadingInput], required: true }),
      },
      ...withAccess({ permission: 'ingest:write' }, (_p, args: { machine: unknown; readings: Args[] }, c) =>
        readings.record(
          c.caller,
          parseInput(dto.machineRefParam, { machine_id: args.machine }).machine_id,
          parseInput(
            dto.readingsInput,
            args.readings.map((reading) => restShape(reading)),
          ) as dto.ReadingInput[],
        ),
      ),
    }),
  }));
}
