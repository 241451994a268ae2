import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './tools.dto.ts';
import type { ToolServices } from './tools.routes.ts';

type Args = Record<string, unknown>;
type Page<T> = { items: T[]; next_cursor: string | null };
type Mounted = NonNullable<dto.ToolOutput['mounted']>;
type Daily = dto.ShotsSummaryOutput['daily'][number];

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;

/** camelCase args → the REST shape: snake_case keys, enums lower-case, DateTime back to ISO strings. */
function restShape(input: Args, options: { dropNulls?: boolean } = {}): Args {
  return Object.fromEntries(
    Object.entries(snakeCase(input, options)).map(([key, value]) => [
      key,
      value instanceof Date ? value.toISOString() : ['kind', 'status'].includes(key) ? lower(value) : value,
    ]),
  );
}

/** Tools over GraphQL: the same services, DTOs and permissions as tools.routes.ts, in camelCase. */
export function registerToolsGraphql(builder: Builder, services: ToolServices) {
  const { tools, mountings, shots } = services;
  const read = { permission: 'plant:read' };
  const manage = { permission: 'tool:manage' };
  const record = { permission: 'shots:record' };
  const toolId = (value: unknown) => parseInput(dto.toolIdParam, { id: value }).id;

  const ToolKind = builder.enumType('ToolKind', {
    values: dto.TOOL_KINDS.map((kind) => upper(kind)) as [string, ...string[]],
  });
  const ToolStatus = builder.enumType('ToolStatus', {
    values: dto.TOOL_STATUSES.map((status) => upper(status)) as [string, ...string[]],
  });

  const ToolMounted = builder.objectRef<Mounted>('ToolMountedNow').implement({
    fields: (t) => ({
      mountingId: t.id({ resolve: (m) => m.mounting_id }),
      machineId: t.id({ resolve: (m) => m.machine_id }),
      machineCode: t.exposeString('machine_code'),
      machineName: t.exposeString('machine_name'),
      position: t.exposeString('position'),
      mountedAt: t.field({ type: 'DateTime', resolve: (m) => m.mounted_at }),
    }),
  });

  const Tool = builder.objectRef<dto.ToolOutput>('Tool').implement({
    fields: (t) => ({
      id: t.id({ resolve: (tool) => tool.id }),
      siteId: t.id({ resolve: (tool) => tool.site_id }),
      assetNumber: t.exposeString('asset_number'),
      name: t.exposeString('name'),
      kind: t.field({ type: ToolKind, resolve: (tool) => upper(tool.kind) }),
      manufacturer: t.exposeString('manufacturer', { nullable: true }),
      cavityCount: t.exposeInt('cavity_count'),
      status: t.field({ type: ToolStatus, resolve: (tool) => upper(tool.status) }),
      storageLocation: t.exposeString('storage_location', { nullable: true }),
      lifeLimitShots: t.float({ nullable: true, resolve: (tool) => tool.life_limit_shots }),
      counterMax: t.float({ nullable: true, resolve: (tool) => tool.counter_max }),
      idealCycleSeconds: t.float({ nullable: true, resolve: (tool) => tool.ideal_cycle_seconds }),
      notes: t.exposeString('notes', { nullable: true }),
      totalShots: t.float({ resolve: (tool) => tool.total_shots }),
      lifeUsedPercent: t.float({ nullable: true, resolve: (tool) => tool.life_used_percent }),
      nearLifeLimit: t.exposeBoolean('near_life_limit'),
      lastReadingAt: t.field({ type: 'DateTime', nullable: true, resolve: (tool) => tool.last_reading_at }),
      mounted: t.field({ type: ToolMounted, nullable: true, resolve: (tool) => tool.mounted }),
      retiredAt: t.field({ type: 'DateTime', nullable: true, resolve: (tool) => tool.retired_at }),
      createdAt: t.field({ type: 'DateTime', resolve: (tool) => tool.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (tool) => tool.updated_at }),
    }),
  });

  const ToolPage = builder.objectRef<Page<dto.ToolOutput>>('ToolPage').implement({
    fields: (t) => ({
      items: t.field({ type: [Tool], resolve: (page) => page.items }),
      nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
    }),
  });

  const Mounting = builder.objectRef<dto.MountingOutput>('ToolMounting').implement({
    fields: (t) => ({
      id: t.id({ resolve: (m) => m.id }),
      toolId: t.id({ resolve: (m) => m.tool_id }),
      toolAssetNumber: t.exposeString('tool_asset_number'),
      toolName: t.exposeString('tool_name'),
      machineId: t.id({ resolve: (m) => m.machine_id }),
      machineCode: t.exposeString('machine_code'),
      machineName: t.exposeString('machine_name'),
      position: t.exposeString('position'),
      mountedAt: t.field({ type: 'DateTime', resolve: (m) => m.mounted_at }),
      removedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.removed_at }),
    }),
  });

  const Reading = builder.objectRef<dto.ShotReadingOutput>('ShotReading').implement({
    fields: (t) => ({
      id: t.id({ resolve: (r) => r.id }),
      toolId: t.id({ resolve: (r) => r.tool_id }),
      takenAt: t.field({ type: 'DateTime', resolve: (r) => r.taken_at }),
      source: t.exposeString('source'),
      kind: t.exposeString('kind'),
      counterValue: t.float({ nullable: true, resolve: (r) => r.counter_value }),
      shots: t.float({ nullable: true, resolve: (r) => r.shots }),
      delta: t.float({ resolve: (r) => r.delta }),
      isReset: t.exposeBoolean('is_reset'),
      isRollover: t.exposeBoolean('is_rollover'),
      note: t.exposeString('note', { nullable: true }),
    }),
  });

  const RecordedReading = builder
    .objectRef<{ reading: dto.ShotReadingOutput; created: boolean; total_shots: number }>(
      'RecordedShotReading',
    )
    .implement({
      fields: (t) => ({
        reading: t.field({ type: Reading, resolve: (r) => r.reading }),
        created: t.exposeBoolean('created'),
        totalShots: t.float({ resolve: (r) => r.total_shots }),
      }),
    });

  const DailyShots = builder.objectRef<Daily>('ToolDailyShots').implement({
    fields: (t) => ({
      date: t.exposeString('date'),
      shots: t.float({ resolve: (d) => d.shots }),
      cumulative: t.float({ resolve: (d) => d.cumulative }),
    }),
  });

  const ShotsSummary = builder.objectRef<dto.ShotsSummaryOutput>('ToolShots').implement({
    fields: (t) => ({
      toolId: t.id({ resolve: (s) => s.tool_id }),
      totalShots: t.float({ resolve: (s) => s.total_shots }),
      lifeLimitShots: t.float({ nullable: true, resolve: (s) => s.life_limit_shots }),
      lifeUsedPercent: t.float({ nullable: true, resolve: (s) => s.life_used_percent }),
      shotsPerDay: t.float({ resolve: (s) => s.shots_per_day }),
      shotsLast30Days: t.float({ resolve: (s) => s.shots_last_30_days }),
      readings: t.field({ type: [Reading], resolve: (s) => s.readings }),
      daily: t.field({ type: [DailyShots], resolve: (s) => s.daily }),
    }),
  });

  const ToolFilter = builder.inputType('ToolFilter', {
    fields: (t) => ({
      siteId: t.id(),
      kind: t.field({ type: ToolKind }),
      status: t.field({ type: ToolStatus }),
      q: t.string(),
      nearLimit: t.boolean(),
      machineId: t.id(),
    }),
  });

  const ToolInput = builder.inputType('ToolInput', {
    fields: (t) => ({
      siteId: t.id(),
      assetNumber: t.string(),
      name: t.string(),
      kind: t.field({ type: ToolKind }),
      manufacturer: t.string(),
      cavityCount: t.int(),
      status: t.field({ type: ToolStatus }),
      storageLocation: t.string(),
      lifeLimitShots: t.float(),
      counterMax: t.float(),
      idealCycleSeconds: t.float(),
      notes: t.string(),
    }),
  });

  const ShotReadingInput = builder.inputType('ShotReadingInput', {
    fields: (t) => ({
      kind: t.string({
        required: true,
        description: '"counter" (with counterValue) or "delta" (with shots)',
      }),
      counterValue: t.float(),
      shots: t.float(),
      takenAt: t.field({ type: 'DateTime' }),
      note: t.string(),
    }),
  });

  builder.queryFields((t) => ({
    tools: t.field({
      type: ToolPage,
      description: 'Tools, newest first (retired ones only with status RETIRED)',
      args: { filter: t.arg({ type: ToolFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) => {
          const filter = restShape(args.filter ?? {}, { dropNulls: true });
          if (typeof filter.near_limit === 'boolean') filter.near_limit = String(filter.near_limit);
          return tools.list(
            c.caller,
            parseInput(dto.toolFilterInput, {
              ...filter,
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          );
        },
      ),
    }),
    tool: t.field({
      type: Tool,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => tools.get(c.caller, toolId(args.id))),
    }),
    toolMountings: t.field({
      type: [Mounting],
      description: 'Where the tool has been mounted, newest first',
      args: { toolId: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => mountings.ofTool(c.caller, toolId(args.toolId))),
    }),
    machineTools: t.field({
      type: [Mounting],
      description: 'The tools mounted on a machine now',
      args: { machineId: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => mountings.onMachine(c.caller, toolId(args.machineId))),
    }),
    toolShots: t.field({
      type: ShotsSummary,
      args: {
        toolId: t.arg.id({ required: true }),
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
        limit: t.arg.int(),
      },
      ...withAccess(read, (_p, args: Args, c) => {
        const { tool_id: id, ...query } = restShape(args, { dropNulls: true });
        return shots.summary(c.caller, toolId(id), parseInput(dto.shotsQuery, query));
      }),
    }),
  }));

  builder.mutationFields((t) => ({
    createTool: t.field({
      type: Tool,
      args: { input: t.arg({ type: ToolInput, required: true }) },
      ...withAccess(manage, (_p, { input }: { input: Args }, c) =>
        tools.create(c.caller, parseInput(dto.createToolInput, restShape(input, { dropNulls: true }))),
      ),
    }),
    updateTool: t.field({
      type: Tool,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: ToolInput, required: true }) },
      ...withAccess(manage, (_p, args: { id: unknown; input: Args }, c) =>
        tools.update(c.caller, toolId(args.id), parseInput(dto.updateToolInput, restShape(args.input))),
      ),
    }),
    retireTool: t.field({
      type: Tool,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(manage, (_p, args: Args, c) => tools.retire(c.caller, toolId(args.id))),
    }),
    mountTool: t.field({
      type: Mounting,
      args: {
        id: t.arg.id({ required: true }),
        machineId: t.arg.int({ required: true }),
        position: t.arg.string(),
        at: t.arg({ type: 'DateTime' }),
      },
      ...withAccess(manage, (_p, args: Args, c) => {
        const { id, ...input } = restShape(args, { dropNulls: true });
        return mountings.mount(c.caller, toolId(id), parseInput(dto.mountInput, input));
      }),
    }),
    unmountTool: t.field({
      type: Mounting,
      args: { id: t.arg.id({ required: true }), at: t.arg({ type: 'DateTime' }) },
      ...withAccess(manage, (_p, args: Args, c) => {
        const { id, ...input } = restShape(args, { dropNulls: true });
        return mountings.unmount(c.caller, toolId(id), parseInput(dto.unmountInput, input));
      }),
    }),
    recordShots: t.field({
      type: RecordedReading,
      description: 'A reading by hand: kind "counter" with counterValue, or kind "delta" with shots',
      args: {
        toolId: t.arg.id({ required: true }),
        input: t.arg({ type: ShotReadingInput, required: true }),
      },
      ...withAccess(record, (_p, args: { toolId: unknown; input: Args }, c) =>
        shots.record(
          c.caller,
          toolId(args.toolId),
          parseInput(dto.shotReadingInput, restShape(args.input, { dropNulls: true })),
        ),
      ),
    }),
  }));
}
