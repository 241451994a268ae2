import {
  requirePermission,
  requireSite,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pageOf } from '../../platform/pagination.ts';
import { recordChange } from '../audit/index.ts';
import { ownStagesOnly, requireReader, userIdOf } from './production.access.ts';
import type {
  CreateWorkOrderInput,
  StageOutput,
  UpdateStageInput,
  UpdateWorkOrderInput,
  WorkOrderFilter,
  WorkOrderOutput,
} from './production.dto.ts';
import {
  duplicateLot,
  invalidWindow,
  siteRequired,
  stageNotFound,
  unknownLine,
  unknownMachine,
  workOrderNotFound,
  workOrderStarted,
} from './production.errors.ts';
import { BUILT_IN_ROUTE, spreadWindows } from './production.rules.ts';
import * as routes from './route.repository.ts';
import * as orders from './work-order.repository.ts';

export async function workOrderOrThrow(tx: Tx, id: number): Promise<WorkOrderOutput> {
  const found = await orders.findWorkOrder(tx, id);
  if (!found) throw workOrderNotFound(`No work order with id ${id}`);
  return found;
}

export async function stageOrThrow(tx: Tx, id: number): Promise<StageOutput> {
  const found = await orders.findStage(tx, id);
  if (!found) throw stageNotFound(`No work order stage with id ${id}`);
  return found;
}

/** A stage the caller may see: a worker only their own (others are "not found", as in their lists). */
export async function visibleStage(tx: Tx, ctx: AuthedContext, id: number): Promise<StageOutput> {
  const stage = await stageOrThrow(tx, id);
  const own = ownStagesOnly(ctx);
  if (own !== undefined && !stage.assignees.some((a) => a.user_id === own)) {
    throw stageNotFound(`No work order stage with id ${id} assigned to you`);
  }
  return stage;
}

/** Which site a new order goes to: the one named, the line's, or the caller's only site. */
function siteOfNewOrder(
  ctx: AuthedContext,
  input: CreateWorkOrderInput,
  lineSiteId: number | undefined,
): number {
  const siteId =
    input.site_id ?? lineSiteId ?? (ctx.actor.siteIds.length === 1 ? ctx.actor.siteIds[0] : undefined);
  if (siteId === undefined) {
    throw siteRequired('Say which site this work order is for: you are a member of several sites', {
      errors: [{ field: 'site_id', message: 'required when you are a member of several sites' }],
    });
  }
  requireSite(ctx, siteId);
  if (lineSiteId !== undefined && lineSiteId !== siteId) {
    throw unknownLine(`Line ${input.line_id} is not on site ${siteId}`, {
      errors: [{ field: 'line_id', message: 'not a line of this site' }],
    });
  }
  return siteId;
}

async function checkLine(tx: Tx, lineId: number | null | undefined): Promise<number | undefined> {
  if (!lineId) return undefined;
  const line = await orders.lineOnSite(tx, lineId);
  if (!line) {
    throw unknownLine(`No line with id ${lineId}`, {
      errors: [{ field: 'line_id', message: 'unknown line' }],
    });
  }
  return line.site_id;
}

async function checkMachine(tx: Tx, machineId: number, siteId: number, field: string): Promise<void> {
  const machine = await orders.machineOf(tx, machineId);
  if (!machine || machine.site_id !== siteId) {
    throw unknownMachine(`No machine with id ${machineId} on this work order's site`, {
      errors: [{ field, message: 'unknown machine' }],
    });
  }
}

async function checkLot(tx: Tx, siteId: number, productCode: string, lotNo: string, exceptId?: number) {
  const existing = await orders.lotExists(tx, siteId, productCode, lotNo, exceptId);
  if (existing) {
    throw duplicateLot(`Lot ${lotNo} of ${productCode} already has work order ${existing}`, {
      errors: [{ field: 'lot_no', message: `already used by work order ${existing}` }],
    });
  }
}

export function createWorkOrderService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;

  function plan<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>): Promise<T> {
    const ctx = requirePermission(request, 'workorder:plan');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }

  function read<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>): Promise<T> {
    const ctx = requireReader(request);
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }

  return {
    async list(request: RequestContext, filter: WorkOrderFilter) {
      const rows = await read(request, (tx) => orders.listWorkOrders(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({
        planned_start: row.planned_start.toISOString(),
        id: row.id,
      }));
    },

    get: (request: RequestContext, id: number) => read(request, (tx) => workOrderOrThrow(tx, id)),

    /** Creates the order and its stages: the ones given, else the product's route, else the site's default. */
    create: (request: RequestContext, input: CreateWorkOrderInput) =>
      plan(request, async (tx, ctx) => {
        const lineSiteId = await checkLine(tx, input.line_id);
        const siteId = siteOfNewOrder(ctx, input, lineSiteId);
        await checkLot(tx, siteId, input.product_code, input.lot_no);
        const id = await orders.insertWorkOrder(tx, {
          site_id: siteId,
          line_id: input.line_id ?? null,
          product_code: input.product_code,
          lot_no: input.lot_no,
          qty: input.qty,
          planned_start: input.planned_start,
          planned_end: input.planned_end,
          notes: input.notes ?? null,
          created_by: userIdOf(ctx),
        });
        let stages: {
          stage_name: string;
          planned_start: Date | null;
          planned_end: Date | null;
          machine_id: number | null;
        }[];
        if (input.stages) {
          for (const [index, stage] of input.stages.entries()) {
            if (stage.machine_id)
              await checkMachine(tx, stage.machine_id, siteId, `stages.${index}.machine_id`);
          }
          const spread = spreadWindows(
            input.stages.map((stage) => ({ stage_name: stage.stage_name, weight: 1 })),
            input.planned_start,
            input.planned_end,
          );
          stages = input.stages.map((stage, index) => {
            const spreadStart = spread[index]?.planned_start ?? input.planned_start;
            const spreadEnd = spread[index]?.planned_end ?? input.planned_end;
            // A stage given one end of its window takes the other from the spread; one that then runs
            // backwards is refused with the field named.
            const start = stage.planned_start ?? spreadStart;
            const end = stage.planned_end ?? spreadEnd;
            if (end < start) {
              throw invalidWindow(
                `Stage ${index + 1} (${stage.stage_name}) would end before it starts: give both ends of its window`,
                {
                  errors: [
                    { field: `stages.${index}.planned_end`, message: 'must not be before planned_start' },
                  ],
                },
              );
            }
            return {
              stage_name: stage.stage_name,
              planned_start: start,
              planned_end: end,
              machine_id: stage.machine_id ?? null,
            };
          });
        } else {
          const route = await routes.routeFor(tx, siteId, input.product_code);
          stages = spreadWindows(route?.steps ?? BUILT_IN_ROUTE, input.planned_start, input.planned_end).map(
            (stage) => ({ ...stage, machine_id: null }),
          );
        }
        await orders.insertStages(tx, { id, site_id: siteId }, stages);
        const created = await workOrderOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'work_order',
          entityId: id,
          siteId,
          after: { ...created, stages: stages.map((stage) => stage.stage_name) },
        });
        return created;
      }),

    /** Edits the order; a new planned window maps the stages' planned windows onto it proportionally. */
    update: (request: RequestContext, id: number, input: UpdateWorkOrderInput) =>
      plan(request, async (tx, ctx) => {
        const locked = await orders.lockWorkOrder(tx, id);
        if (!locked) throw workOrderNotFound(`No work order with id ${id}`);
        const before = await workOrderOrThrow(tx, id);
        const start = input.planned_start ?? locked.planned_start;
        const end = input.planned_end ?? locked.planned_end;
        if (end.getTime() <= start.getTime()) {
          throw invalidWindow('planned_end must be after planned_start', {
            errors: [{ field: 'planned_end', message: 'must be after planned_start' }],
          });
        }
        if (input.line_id) {
          const lineSite = await checkLine(tx, input.line_id);
          if (lineSite !== locked.site_id) {
            throw unknownLine(`Line ${input.line_id} is not on this work order's site`, {
              errors: [{ field: 'line_id', message: 'not a line of this site' }],
            });
          }
        }
        if (input.product_code || input.lot_no) {
          await checkLot(
            tx,
            locked.site_id,
            input.product_code ?? locked.product_code,
            input.lot_no ?? locked.lot_no,
            id,
          );
        }
        await orders.updateWorkOrderRow(tx, id, input);
        if (input.planned_start || input.planned_end) {
          await orders.rescaleStageWindows(
            tx,
            id,
            { start: locked.planned_start, end: locked.planned_end },
            { start, end },
          );
        }
        const after = await workOrderOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'work_order',
          entityId: id,
          siteId: locked.site_id,
          before,
          after,
        });
        return after;
      }),

    /** A slip is easy to undo: an order nobody has started on can be deleted. */
    remove: (request: RequestContext, id: number) =>
      plan(request, async (tx, ctx) => {
        const locked = await orders.lockWorkOrder(tx, id);
        if (!locked) throw workOrderNotFound(`No work order with id ${id}`);
        const started = await orders.startedStageCount(tx, id);
        if (started > 0) {
          throw workOrderStarted(
            `Work order ${id} cannot be deleted: ${started} of its stages have started; it stays in the history`,
          );
        }
        const raised = await orders.issueCountOfWorkOrder(tx, id);
        if (raised > 0) {
          throw workOrderStarted(
            `Work order ${id} cannot be deleted: ${raised} issue(s) were reported on it; they stay in the history`,
          );
        }
        const before = await workOrderOrThrow(tx, id);
        await orders.deleteWorkOrderRow(tx, id);
        await recordChange(tx, ctx, {
          action: 'delete',
          entity: 'work_order',
          entityId: id,
          siteId: locked.site_id,
          before,
        });
      }),

    /** The order's stages; a worker gets only the ones assigned to them. */
    stages: (request: RequestContext, workOrderId: number) =>
      read(request, async (tx, ctx) => {
        await workOrderOrThrow(tx, workOrderId);
        return orders.stagesOfWorkOrder(tx, workOrderId, ownStagesOnly(ctx));
      }),

    stage: (request: RequestContext, stageId: number) =>
      read(request, (tx, ctx) => visibleStage(tx, ctx, stageId)),

    updateStage: (request: RequestContext, stageId: number, input: UpdateStageInput) =>
      plan(request, async (tx, ctx) => {
        const locked = await orders.lockStage(tx, stageId);
        if (!locked) throw stageNotFound(`No work order stage with id ${stageId}`);
        const before = await stageOrThrow(tx, stageId);
        if (input.machine_id) await checkMachine(tx, input.machine_id, locked.site_id, 'machine_id');
        const start = input.planned_start === undefined ? locked.planned_start : input.planned_start;
        const end = input.planned_end === undefined ? locked.planned_end : input.planned_end;
        if (start && end && end.getTime() < start.getTime()) {
          throw invalidWindow('planned_end must not be before planned_start', {
            errors: [{ field: 'planned_end', message: 'must not be before planned_start' }],
          });
        }
        await orders.updateStageRow(tx, stageId, input);
        const after = await stageOrThrow(tx, stageId);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'work_order_stage',
          entityId: stageId,
          siteId: locked.site_id,
          before,
          after,
        });
        return after;
      }),
  };
}
export type WorkOrderService = ReturnType<typeof createWorkOrderService>;
