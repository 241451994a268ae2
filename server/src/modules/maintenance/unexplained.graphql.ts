import { z } from 'zod';
import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import type { registerMaintenanceGraphql } from './maintenance.graphql.ts';
import * as dto from './unexplained.dto.ts';
import type { UnexplainedService } from './unexplained.service.ts';

type Args = Record<string, unknown>;
type MaintenanceRefs = ReturnType<typeof registerMaintenanceGraphql>;
type Cause = Uppercase<dto.StopCause>;

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const idOf = (value: unknown) => parseInput(idParam, { id: value }).id;

/**
 * The queue of unexplained automatic stops (docs/auto-downtime.md): `unexplainedStops`, `explainStop`
 * and `splitStop`, the same service, DTOs and permissions as GET /downtimes/unexplained and POST
 * /downtimes/{id}/explain|split. A reason is corrected with `updateDowntime` (PATCH /downtimes/{id}).
 */
export function registerUnexplainedGraphql(
  builder: Builder,
  unexplained: UnexplainedService,
  refs: Pick<MaintenanceRefs, 'Downtime'>,
) {
  const StopCause = builder.enumType('StopCause', {
    description: 'What made HOM open the stop: the machine state then, or no cycle for too long',
    values: dto.STOP_CAUSES.map((cause) => cause.toUpperCase() as Cause),
  });
  const Stop = builder.objectRef<dto.UnexplainedOutput>('UnexplainedStop').implement({
    description: 'A stop HOM opened by itself that has no reason yet',
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (s) => s.site_id }),
      machineId: t.id({ resolve: (s) => s.machine_id }),
      machineCode: t.string({ resolve: (s) => s.machine_code }),
      machineName: t.string({ resolve: (s) => s.machine_name }),
      lineId: t.id({ resolve: (s) => s.line_id }),
      startDatetime: t.field({ type: 'DateTime', resolve: (s) => s.start_datetime }),
      endDatetime: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.end_datetime }),
      durationSeconds: t.float({ description: 'Up to now while open', resolve: (s) => s.duration_seconds }),
      open: t.exposeBoolean('open'),
      cause: t.field({
        type: StopCause,
        nullable: true,
        resolve: (s) => (s.cause ? (s.cause.toUpperCase() as Cause) : null),
      }),
      planned: t.exposeBoolean('planned'),
      comment: t.string({ nullable: true, resolve: (s) => s.comment }),
      splitFromId: t.id({ nullable: true, resolve: (s) => s.split_from_id }),
    }),
  });
  const StopPage = builder
    .objectRef<{ items: dto.UnexplainedOutput[]; next_cursor: string | null }>('UnexplainedStopPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [Stop], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });
  const Filter = builder.inputType('UnexplainedStopFilter', {
    fields: (t) => ({ siteId: t.id(), lineId: t.id(), machineId: t.id() }),
  });
  const PartInput = builder.inputType('StopPartInput', {
    fields: (t) => ({
      until: t.field({
        type: 'DateTime',
        description: 'Where this part ends; every part but the last has one',
      }),
      reasonId: t.id({ description: 'Absent or null: the part stays in the queue' }),
      comment: t.string(),
    }),
  });

  const read = { permission: 'plant:read' };
  const recordStops = { permission: 'downtime:record' };

  builder.queryFields((t) => ({
    unexplainedStops: t.field({
      type: StopPage,
      description: 'Automatic stops without a reason, newest first, open ones included',
      args: { filter: t.arg({ type: Filter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) =>
          unexplained.list(
            c.caller,
            parseInput(dto.unexplainedFilterInput, {
              ...snakeCase(args.filter ?? {}, { dropNulls: true }),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
  }));

  builder.mutationFields((t) => ({
    explainStop: t.field({
      type: refs.Downtime,
      description:
        'Gives a stop without a reason its reason (a stop that has one: DOWNTIME_ALREADY_EXPLAINED)',
      args: {
        id: t.arg.id({ required: true }),
        reasonId: t.arg.id({ required: true }),
        comment: t.arg.string(),
      },
      ...withAccess(recordStops, (_p, { id, ...input }: { id: unknown } & Args, c) =>
        unexplained.explain(c.caller, idOf(id), parseInput(dto.explainInput, snakeCase(input))),
      ),
    }),
    splitStop: t.field({
      type: [refs.Downtime],
      description: 'Cuts a stop into 2–20 consecutive parts that cover it exactly, each with its own reason',
      args: {
        id: t.arg.id({ required: true }),
        parts: t.arg({ type: [PartInput], required: true }),
      },
      ...withAccess(recordStops, (_p, args: { id: unknown; parts: Args[] }, c) =>
        unexplained.split(
          c.caller,
          idOf(args.id),
          parseInput(dto.splitInput, {
            parts: args.parts.map((part) => snakeCase({ reasonId: null, ...part })),
          }),
        ),
      ),
    }),
  }));
}
