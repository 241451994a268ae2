import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { validationFailed, type FieldError } from '../../platform/errors.ts';
import { recordChange } from '../audit/index.ts';
import { pastOrNow } from './mounting.service.ts';
import { applyReading, type LockedTool } from './shots.apply.ts';
import {
  recordMachineCycleBatch as recordMachineCycleBatch_,
  type MachineCycles,
  type MachineShots,
} from './shots.machine.ts';
import { parseShotsCsv, type CsvShotRow } from './shots.csv.ts';
import * as shots from './shots.repository.ts';
import * as tools from './tool.repository.ts';
import { READ_PERMISSION, toolOrThrow, userIdOf } from './tool.service.ts';
import type { ShotReadingInput, ShotsQuery, ShotsSummaryOutput } from './tools.dto.ts';
import { counterAboveMax, toolNotFound, toolRetired } from './tools.errors.ts';

export const RECORD_PERMISSION = 'shots:record';
const DAY_MS = 86_400_000;
const MAX_LISTED_ERRORS = 50;

/** Runs after readings are stored, in the same transaction (the PM plans' due check hangs here). */
export type AfterShots = (tx: Tx, toolIds: number[]) => Promise<void>;

function checkCounter(tool: LockedTool, value: number | null, field: string) {
  if (value !== null && tool.counter_max !== null && value > tool.counter_max) {
    throw counterAboveMax(
      `Tool ${tool.asset_number}'s counter goes up to ${tool.counter_max}; ${value} cannot be read off it`,
      { errors: [{ field, message: `at most ${tool.counter_max}` }] },
    );
  }
}

export function createShotsService(deps: {
  db: Pick<Database, 'transaction'>;
  afterShots?: AfterShots;
  clock?: () => Date;
}) {
  const { db, afterShots } = deps;
  const clock = deps.clock ?? (() => new Date());

  async function lockedTool(tx: Tx, toolId: number): Promise<LockedTool> {
    const tool = await tools.lockTool(tx, toolId);
    if (!tool) throw toolNotFound(`No tool with id ${toolId}`);
    return tool;
  }

  /**
   * Records machines' cycle counters as shots of the tool(s) mounted on each at its instant, for a
   * whole batch in a few statements (shots.machine.ts); aligned with `inputs`.
   */
  const recordMachineCycleBatch = (tx: Tx, inputs: readonly MachineCycles[]) =>
    recordMachineCycleBatch_(tx, inputs, afterShots);

  /** One machine's cycle counter at one instant (the batch form with one value). */
  async function recordMachineCycles(tx: Tx, input: MachineCycles): Promise<MachineShots> {
    return (await recordMachineCycleBatch(tx, [input]))[0] ?? { tool_ids: [], shots: 0 };
  }

  return {
    recordMachineCycles,
    recordMachineCycleBatch,

    /** A reading entered by hand: a counter value read off the machine, or shots since the last reading. */
    async record(request: RequestContext, toolId: number, input: ShotReadingInput) {
      const ctx = requirePermission(request, RECORD_PERMISSION);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const tool = await lockedTool(tx, toolId);
        if (tool.status === 'retired') {
          throw toolRetired(`Tool ${tool.asset_number} is retired: it takes no more readings`);
        }
        const counterValue = input.kind === 'counter' ? input.counter_value : null;
        checkCounter(tool, counterValue, 'counter_value');
        const takenAt = pastOrNow('taken_at', input.taken_at, clock());
        const result = await applyReading(tx, tool, {
          tool_id: tool.id,
          site_id: tool.site_id,
          taken_at: takenAt,
          source: 'manual',
          kind: input.kind,
          counter_value: counterValue,
          shots: input.kind === 'delta' ? input.shots : null,
          mounting_id: null,
          note: input.note ?? null,
          entered_by: userIdOf(ctx),
        });
        let total = tool.total_shots;
        if (result.created) {
          total = await shots.addToTotal(tx, tool.id, result.change);
          await recordChange(tx, ctx, {
            action: 'record_shots',
            entity: 'tool',
            entityId: tool.id,
            siteId: tool.site_id,
            after: { ...result.reading, total_shots: total },
          });
          if (afterShots) await afterShots(tx, [tool.id]);
        }
        return { reading: result.reading, created: result.created, total_shots: total };
      });
    },

    /**
     * Readings from a CSV (asset_number, taken_at, counter_value or shots, note): every row is checked,
     * all or nothing; a row already imported before is counted as a duplicate and changes nothing.
     */
    async importCsv(request: RequestContext, siteId: number | undefined, file: Buffer) {
      const ctx = requirePermission(request, RECORD_PERMISSION);
      const site = siteOfImport(ctx, siteId);
      const parsed = parseShotsCsv(file, clock());
      return db.transaction(scopeOf(ctx), async (tx) => {
        const errors: FieldError[] = [...parsed.errors];
        const ids = await tools.toolsByAssetNumber(
          tx,
          site,
          parsed.rows.map((row) => row.asset_number),
        );
        const known: (CsvShotRow & { tool_id: number })[] = [];
        for (const row of parsed.rows) {
          const toolId = ids.get(row.asset_number.toLowerCase());
          if (toolId === undefined) {
            errors.push({
              field: `row ${row.line}: asset_number`,
              message: `no tool ${row.asset_number} on this site`,
            });
          } else known.push({ ...row, tool_id: toolId });
        }
        let created = 0;
        let duplicates = 0;
        const touched = new Set<number>();
        if (errors.length === 0) {
          known.sort((a, b) => a.tool_id - b.tool_id || a.taken_at.getTime() - b.taken_at.getTime());
          const locked = new Map<number, LockedTool>();
          for (const row of known) {
            let tool = locked.get(row.tool_id);
            if (!tool) {
              tool = await lockedTool(tx, row.tool_id);
              locked.set(row.tool_id, tool);
            }
            if (tool.status === 'retired') {
              errors.push({
                field: `row ${row.line}: asset_number`,
                message: `tool ${tool.asset_number} is retired`,
              });
              continue;
            }
            if (
              row.counter_value !== null &&
              tool.counter_max !== null &&
              row.counter_value > tool.counter_max
            ) {
              errors.push({
                field: `row ${row.line}: counter_value`,
                message: `tool ${tool.asset_number}'s counter goes up to ${tool.counter_max}`,
              });
              continue;
            }
            try {
              const result = await applyReading(tx, tool, {
                tool_id: tool.id,
                site_id: tool.site_id,
                taken_at: row.taken_at,
                source: 'csv',
                kind: row.counter_value !== null ? 'counter' : 'delta',
                counter_value: row.counter_value,
                shots: row.shots,
                mounting_id: null,
                note: row.note,
                entered_by: userIdOf(ctx),
              });
              if (result.created) {
                created += 1;
                touched.add(tool.id);
                await shots.addToTotal(tx, tool.id, result.change);
              } else duplicates += 1;
            } catch (error) {
              errors.push({ field: `row ${row.line}`, message: (error as Error).message });
            }
          }
        }
        if (errors.length > 0) throw invalidFile(errors);
        const summary = { rows: parsed.rows.length, created, duplicates, tools: touched.size };
        await recordChange(tx, ctx, {
          action: 'import_shots',
          entity: 'site',
          entityId: site,
          siteId: site,
          after: summary,
        });
        if (touched.size > 0 && afterShots) await afterShots(tx, [...touched]);
        return summary;
      });
    },

    /** Readings (newest first), running total, shots per day over the last 30 days, life used, daily series. */
    async summary(request: RequestContext, toolId: number, query: ShotsQuery): Promise<ShotsSummaryOutput> {
      const ctx = requirePermission(request, READ_PERMISSION);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const tool = await toolOrThrow(tx, toolId);
        const now = clock();
        const last30 = await shots.shotsSince(tx, toolId, new Date(now.getTime() - 30 * DAY_MS));
        const readings = await shots.listReadings(tx, toolId, query);
        const timeZone = await tools.siteTimeZone(tx, tool.site_id);
        const before = query.from ? await shots.dailyShots(tx, toolId, timeZone, { to: query.from }) : [];
        let cumulative = before.reduce((sum, day) => sum + day.shots, 0);
        const daily = (await shots.dailyShots(tx, toolId, timeZone, query)).map((day) => {
          cumulative += day.shots;
          return { date: day.date, shots: day.shots, cumulative };
        });
        return {
          tool_id: tool.id,
          total_shots: tool.total_shots,
          life_limit_shots: tool.life_limit_shots,
          life_used_percent: tool.life_used_percent,
          shots_per_day: Math.round((last30 / 30) * 10) / 10,
          shots_last_30_days: last30,
          readings,
          daily,
        };
      });
    },
  };
}
export type ShotsService = ReturnType<typeof createShotsService>;

function siteOfImport(ctx: AuthedContext, siteId: number | undefined): number {
  const chosen = siteId ?? (ctx.actor.siteIds.length === 1 ? ctx.actor.siteIds[0] : undefined);
  if (chosen === undefined) {
    throw validationFailed(
      'Say which site the readings are for (?site_id=): you are a member of several sites',
      {
        errors: [{ field: 'site_id', message: 'required when you are a member of several sites' }],
      },
    );
  }
  if (!ctx.actor.allSites && !ctx.actor.siteIds.includes(chosen)) {
    throw validationFailed('You are not a member of that site', {
      errors: [{ field: 'site_id', message: 'not one of your sites' }],
    });
  }
  return chosen;
}

function invalidFile(errors: readonly FieldError[]) {
  const more = errors.length - MAX_LISTED_ERRORS;
  const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
  const listed = more > 0 ? ` (the first ${MAX_LISTED_ERRORS} are listed, ${more} more are not)` : '';
  return validationFailed(`The file has ${count}${listed}; nothing was imported`, {
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  });
}
