import { requirePermission, requireSite, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { validationFailed } from '../../platform/errors.ts';
import { parseInput } from '../../platform/validation.ts';
import { currentShiftOf, machineNotFound, type ShiftInstance } from '../plant/index.ts';
import * as repo from './board.repository.ts';
import {
  boardQueryInput,
  MAX_TIMELINE_DAYS,
  MAX_TIMELINE_PERIODS,
  timelineQueryInput,
  type Board,
  type BoardMachine,
  type BoardOee,
  type BoardQuery,
  type BoardSparkline,
  type Timeline,
  type TimelineQuery,
} from './board.dto.ts';

/** A tool on a machine now (the tools module's `mountedToolsNow`). */
export interface MountedTool {
  machine_id: number;
  tool_id: number;
  asset_number: string;
  name: string;
  position: string;
  total_shots: number;
  life_limit_shots: number | null;
  life_used_percent: number | null;
}

/** OEE of each machine over its site's current shift, in the caller's transaction (kpi module). */
export type ShiftOee = (
  tx: Tx,
  machineIds: readonly number[],
  at: Date,
) => Promise<ReadonlyMap<number, BoardOee | null>>;

/** A machine's main reading since an instant, per minute (telemetry readings' `sparklines`). */
export interface SparklineRows {
  machine_id: number;
  reading_type: string;
  unit: string | null;
  last_value: number;
  last_at: Date;
  points: readonly { t: Date; avg: number }[];
}
export type Sparklines = (
  tx: Tx,
  machineIds: readonly number[],
  since: Date,
) => Promise<readonly SparklineRows[]>;

export interface BoardDeps {
  db: Pick<Database, 'transaction'>;
  mountedTools: (tx: Tx, machineIds: readonly number[]) => Promise<MountedTool[]>;
  shiftOee?: ShiftOee | undefined;
  sparklines?: Sparklines | undefined;
  clock?: () => Date;
}

/** How far back a card's sparklines reach. */
export const SPARKLINE_WINDOW_MS = 2 * 3_600_000;
const DEFAULT_TIMELINE_MS = 24 * 3_600_000;

function groupBy<T extends { machine_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.machine_id);
    if (group) group.push(row);
    else groups.set(row.machine_id, [row]);
  }
  return groups;
}

const toSparkline = (line: SparklineRows): BoardSparkline => ({
  reading_type: line.reading_type,
  unit: line.unit,
  last_value: line.last_value,
  last_at: line.last_at,
  points: line.points.map((p) => [p.t.toISOString(), p.avg] as [string, number]),
});

const clip = (at: Date, from: Date, to: Date) =>
  new Date(Math.min(Math.max(at.getTime(), from.getTime()), to.getTime()));

/** The live machine board and each machine's state timeline (docs/machine-board.md). */
export function createBoardService(deps: BoardDeps) {
  const clock = deps.clock ?? (() => new Date());

  /** Everything on the board in one transaction, a handful of statements whatever the machine count. */
  async function loadBoard(tx: Tx, query: BoardQuery, now: Date): Promise<BoardMachine[]> {
    const machines = await repo.boardMachines(tx, query);
    if (machines.length === 0) return [];
    const ids = machines.map((m) => m.id);
    const shifts = new Map<number, ShiftInstance | null>();
    for (const siteId of new Set(machines.map((m) => m.site_id)))
      shifts.set(siteId, await currentShiftOf(tx, siteId, now));
    const sinceOf = (siteId: number) => shifts.get(siteId)?.start ?? now;

    const [states, stale, counts, tools, oee, sparklines] = [
      new Map((await repo.openStates(tx, ids)).map((row) => [row.machine_id, row])),
      groupBy(await repo.openStalePeriods(tx, ids)),
      new Map(
        (
          await repo.countsSince(
            tx,
            machines.map((m) => ({ machine_id: m.id, since: sinceOf(m.site_id) })),
            now,
          )
        ).map((row) => [row.machine_id, row]),
      ),
      groupBy(await deps.mountedTools(tx, ids)),
      deps.shiftOee ? await deps.shiftOee(tx, ids, now) : new Map<number, BoardOee | null>(),
      groupBy(
        deps.sparklines ? await deps.sparklines(tx, ids, new Date(now.getTime() - SPARKLINE_WINDOW_MS)) : [],
      ),
    ];

    return machines.map((m) => {
      const state = states.get(m.id);
      const count = counts.get(m.id);
      return {
        id: m.id,
        code: m.code,
        name: m.name,
        site_id: m.site_id,
        line: { id: m.line_id, code: m.line_code, name: m.line_name },
        state: state?.state ?? 'unknown',
        state_since: state?.started_at ?? null,
        stale: (stale.get(m.id) ?? []).map((s) => ({
          source: s.source,
          reason: s.reason,
          since: s.started_at,
        })),
        tools: (tools.get(m.id) ?? []).map((t) => ({
          tool_id: t.tool_id,
          asset_number: t.asset_number,
          name: t.name,
          position: t.position,
          total_shots: t.total_shots,
          life_limit_shots: t.life_limit_shots,
          life_used_percent: t.life_used_percent,
        })),
        last_cycle_at: count?.last_cycle_at ?? null,
        shift: shifts.get(m.site_id) ?? null,
        counts: { cycle: count?.cycle ?? 0, good: count?.good ?? 0, reject: count?.reject ?? 0 },
        oee: oee.get(m.id) ?? null,
        sparklines: (sparklines.get(m.id) ?? []).map(toSparkline),
      };
    });
  }

  return {
    /** Every active machine of the site or line the caller may see, with what it is doing now. */
    async board(request: RequestContext, input: BoardQuery): Promise<Board> {
      const ctx = requirePermission(request, 'plant:read');
      const query = parseInput(boardQueryInput, input);
      if (query.site_id !== undefined) requireSite(ctx, query.site_id);
      const now = clock();
      const machines = await deps.db.transaction(scopeOf(ctx), (tx) => loadBoard(tx, query, now));
      return { generated_at: now, machines };
    },

    /**
     * A machine's states and stale periods over [from, to) (default: the last 24 hours), clipped to
     * the range; an open period runs to `to` (or now, if earlier).
     */
    async timeline(request: RequestContext, machineId: number, input: TimelineQuery): Promise<Timeline> {
      const ctx = requirePermission(request, 'plant:read');
      const query = parseInput(timelineQueryInput, input);
      const now = clock();
      const to = query.to ?? now;
      const from = query.from ?? new Date(to.getTime() - DEFAULT_TIMELINE_MS);
      if (to.getTime() <= from.getTime() || to.getTime() - from.getTime() > MAX_TIMELINE_DAYS * 86_400_000)
        throw validationFailed(
          `A timeline runs forward and spans at most ${MAX_TIMELINE_DAYS} days: give both from and to`,
          { errors: [{ field: 'from', message: `within ${MAX_TIMELINE_DAYS} days before to` }] },
        );
      const openUntil = new Date(Math.min(to.getTime(), Math.max(now.getTime(), from.getTime())));
      return deps.db.transaction(scopeOf(ctx), async (tx) => {
        if ((await repo.machineSite(tx, machineId)) === undefined)
          throw machineNotFound(`No machine with id ${machineId} among the sites you can see`);
        const limit = MAX_TIMELINE_PERIODS + 1;
        const states = await repo.statePeriods(tx, machineId, from, to, limit);
        const stale = await repo.stalePeriods(tx, machineId, from, to, limit);
        const truncated = states.length === limit || stale.length === limit;
        const clipped = (row: { started_at: Date; ended_at: Date | null }) => {
          const start = clip(row.started_at, from, to);
          const end = clip(row.ended_at ?? openUntil, from, to);
          return { start, end: end < start ? start : end, open: row.ended_at === null };
        };
        return {
          machine_id: machineId,
          from,
          to,
          states: states.slice(0, MAX_TIMELINE_PERIODS).map((row) => ({
            state: row.state,
            raw_value: row.raw_value,
            source: row.source,
            ...clipped(row),
          })),
          stale: stale
            .slice(0, MAX_TIMELINE_PERIODS)
            .map((row) => ({ source: row.source, reason: row.reason, ...clipped(row) })),
          truncated,
        };
      });
    },
  };
}
export type BoardService = ReturnType<typeof createBoardService>;
