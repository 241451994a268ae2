import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as dto from './board.dto.ts';
import type { BoardService } from './board.service.ts';
import { MACHINE_STATES, type MachineState } from './signals.types.ts';

type Card = dto.BoardMachine;
type Period = dto.Timeline['states'][number];
type StalePeriod = dto.Timeline['stale'][number];
type Upper = Uppercase<MachineState>;

/**
 * `machineBoard(siteId, lineId)` and `machineStates(machineId, from, to)`: the same service, DTOs and
 * permissions as GET /machines/board and GET /machines/{id}/states (docs/machine-board.md). The board
 * is loaded in one transaction by the service, whatever the number of cards: no field loads per card.
 */
export function registerBoardGraphql(builder: Builder, board: BoardService) {
  const State = builder.enumType('MachineState', {
    description: 'What a machine reports it is doing (UNKNOWN: it never said)',
    values: MACHINE_STATES.map((state) => state.toUpperCase() as Upper),
  });
  const stateOf = (state: string) => state.toUpperCase() as Upper;

  const Line = builder.objectRef<Card['line']>('BoardLine').implement({
    fields: (t) => ({ id: t.exposeID('id'), code: t.exposeString('code'), name: t.exposeString('name') }),
  });
  const OpenStale = builder.objectRef<Card['stale'][number]>('BoardStaleSource').implement({
    description: 'A data source of the machine silent now',
    fields: (t) => ({
      source: t.exposeString('source'),
      reason: t.exposeString('reason'),
      since: t.field({ type: 'DateTime', resolve: (s) => s.since }),
    }),
  });
  const Tool = builder.objectRef<Card['tools'][number]>('BoardTool').implement({
    description: 'A tool mounted on the machine now',
    fields: (t) => ({
      toolId: t.id({ resolve: (tool) => tool.tool_id }),
      assetNumber: t.string({ resolve: (tool) => tool.asset_number }),
      name: t.exposeString('name'),
      position: t.exposeString('position'),
      totalShots: t.float({ resolve: (tool) => tool.total_shots }),
      lifeLimitShots: t.float({ nullable: true, resolve: (tool) => tool.life_limit_shots }),
      lifeUsedPercent: t.float({ nullable: true, resolve: (tool) => tool.life_used_percent }),
    }),
  });
  const Shift = builder.objectRef<NonNullable<Card['shift']>>('BoardShift').implement({
    fields: (t) => ({
      start: t.field({ type: 'DateTime', resolve: (s) => s.start }),
      end: t.field({ type: 'DateTime', resolve: (s) => s.end }),
      name: t.string({ nullable: true, resolve: (s) => s.name }),
    }),
  });
  const Counts = builder.objectRef<Card['counts']>('BoardCounts').implement({
    description: 'Counter increases since the shift started',
    fields: (t) => ({
      cycle: t.exposeFloat('cycle'),
      good: t.exposeFloat('good'),
      reject: t.exposeFloat('reject'),
    }),
  });
  const Oee = builder.objectRef<dto.BoardOee>('BoardOee').implement({
    description: 'OEE this shift (docs/kpis.md)',
    fields: (t) => ({
      oee: t.float({ nullable: true, resolve: (o) => o.oee }),
      availability: t.float({ nullable: true, resolve: (o) => o.availability }),
      performance: t.float({ nullable: true, resolve: (o) => o.performance }),
      quality: t.float({ nullable: true, resolve: (o) => o.quality }),
    }),
  });
  const Point = builder.objectRef<[string, number]>('SparklinePoint').implement({
    description: 'The average of one minute',
    fields: (t) => ({
      minute: t.field({ type: 'DateTime', resolve: (p) => new Date(p[0]) }),
      average: t.float({ resolve: (p) => p[1] }),
    }),
  });
  const Sparkline = builder.objectRef<dto.BoardSparkline>('BoardSparkline').implement({
    fields: (t) => ({
      readingType: t.string({ resolve: (s) => s.reading_type }),
      unit: t.string({ nullable: true, resolve: (s) => s.unit }),
      lastValue: t.float({ resolve: (s) => s.last_value }),
      lastAt: t.field({ type: 'DateTime', resolve: (s) => s.last_at }),
      points: t.field({ type: [Point], description: 'Oldest first', resolve: (s) => s.points }),
    }),
  });
  const Machine = builder.objectRef<Card>('BoardMachine').implement({
    description: 'One card of the live machine board',
    fields: (t) => ({
      id: t.exposeID('id'),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      siteId: t.id({ resolve: (m) => m.site_id }),
      line: t.field({ type: Line, resolve: (m) => m.line }),
      state: t.field({ type: State, resolve: (m) => stateOf(m.state) }),
      stateSince: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.state_since }),
      stale: t.field({ type: [OpenStale], resolve: (m) => m.stale }),
      tools: t.field({ type: [Tool], resolve: (m) => m.tools }),
      lastCycleAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.last_cycle_at }),
      shift: t.field({ type: Shift, nullable: true, resolve: (m) => m.shift }),
      counts: t.field({ type: Counts, resolve: (m) => m.counts }),
      oee: t.field({ type: Oee, nullable: true, resolve: (m) => m.oee }),
      sparklines: t.field({ type: [Sparkline], resolve: (m) => m.sparklines }),
    }),
  });
  const Board = builder.objectRef<dto.Board>('MachineBoard').implement({
    fields: (t) => ({
      generatedAt: t.field({ type: 'DateTime', resolve: (b) => b.generated_at }),
      machines: t.field({ type: [Machine], resolve: (b) => b.machines }),
    }),
  });

  const StatePeriod = builder.objectRef<Period>('MachineStatePeriod').implement({
    fields: (t) => ({
      state: t.field({ type: State, resolve: (p) => stateOf(p.state) }),
      rawValue: t.string({ nullable: true, resolve: (p) => p.raw_value }),
      source: t.exposeString('source'),
      start: t.field({ type: 'DateTime', resolve: (p) => p.start }),
      end: t.field({ type: 'DateTime', resolve: (p) => p.end }),
      open: t.boolean({ description: 'Runs on now (its end is the clip)', resolve: (p) => p.open }),
    }),
  });
  const StaleRange = builder.objectRef<StalePeriod>('MachineStalePeriod').implement({
    fields: (t) => ({
      source: t.exposeString('source'),
      reason: t.exposeString('reason'),
      start: t.field({ type: 'DateTime', resolve: (p) => p.start }),
      end: t.field({ type: 'DateTime', resolve: (p) => p.end }),
      open: t.boolean({ resolve: (p) => p.open }),
    }),
  });
  const Timeline = builder.objectRef<dto.Timeline>('MachineStateTimeline').implement({
    description: 'States and stale periods clipped to [from, to)',
    fields: (t) => ({
      machineId: t.id({ resolve: (l) => l.machine_id }),
      from: t.field({ type: 'DateTime', resolve: (l) => l.from }),
      to: t.field({ type: 'DateTime', resolve: (l) => l.to }),
      states: t.field({ type: [StatePeriod], resolve: (l) => l.states }),
      stale: t.field({ type: [StaleRange], resolve: (l) => l.stale }),
      truncated: t.boolean({
        description: 'More periods than one call returns: ask for a shorter range',
        resolve: (l) => l.truncated,
      }),
    }),
  });

  const read = { permission: 'plant:read' };
  builder.queryFields((t) => ({
    machineBoard: t.field({
      type: Board,
      description:
        'Every active machine of a site or line the caller may see (all visible ones without either)',
      args: { siteId: t.arg.id(), lineId: t.arg.id() },
      ...withAccess(read, (_p, args: Record<string, unknown>, c) =>
        board.board(c.caller, parseInput(dto.boardQueryInput, snakeCase(args, { dropNulls: true }))),
      ),
    }),
    machineStates: t.field({
      type: Timeline,
      description: "A machine's state timeline, default the last 24 hours, at most 31 days",
      args: {
        machineId: t.arg.id({ required: true }),
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
      },
      ...withAccess(read, (_p, args: { machineId: unknown; from?: Date | null; to?: Date | null }, c) =>
        board.timeline(
          c.caller,
          parseInput(dto.machineIdParams, { machine_id: args.machineId }).machine_id,
          parseInput(
            dto.timelineQueryInput,
            snakeCase({ from: args.from, to: args.to }, { dropNulls: true }),
          ),
        ),
      ),
    }),
  }));
}
