import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import * as mountings from './mounting.repository.ts';
import * as tools from './tool.repository.ts';
import { MANAGE_PERMISSION, READ_PERMISSION, toolOrThrow, userIdOf } from './tool.service.ts';
import type { MountingOutput, MountInput, UnmountInput } from './tools.dto.ts';
import {
  invalidTime,
  positionTaken,
  toolAlreadyMounted,
  toolNotFound,
  toolNotMounted,
  toolRetired,
  unknownMachine,
} from './tools.errors.ts';

/** Tablet clocks drift: a time up to a minute ahead is taken as now. */
const CLOCK_SKEW_MS = 60_000;

export function pastOrNow(field: string, value: Date | undefined, now: Date): Date {
  if (!value) return now;
  if (value.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw invalidTime(`${field} is in the future`, {
      errors: [{ field, message: 'must not be in the future' }],
    });
  }
  return value.getTime() > now.getTime() ? now : value;
}

const where = (m: MountingOutput) => `${m.machine_code} (${m.machine_name}), position ${m.position}`;
const since = (m: MountingOutput) =>
  m.removed_at
    ? `from ${m.mounted_at.toISOString()} to ${m.removed_at.toISOString()}`
    : `since ${m.mounted_at.toISOString()}`;

function isExclusionViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === '23P01';
}

/** Mounting tools on machines and taking them off, with times; history never overlaps. */
export function createMountingService(deps: { db: Pick<Database, 'transaction'>; clock?: () => Date }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  function manage<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>) {
    const ctx = requirePermission(request, MANAGE_PERMISSION);
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }
  function read<T>(request: RequestContext, work: (tx: Tx) => Promise<T>) {
    const ctx = requirePermission(request, READ_PERMISSION);
    return db.transaction(scopeOf(ctx), (tx) => work(tx));
  }

  return {
    ofTool: (request: RequestContext, toolId: number) =>
      read(request, async (tx) => {
        await toolOrThrow(tx, toolId);
        return mountings.mountingsOfTool(tx, toolId);
      }),

    onMachine: (request: RequestContext, machineId: number) =>
      read(request, async (tx) => {
        if (!(await mountings.machineOf(tx, machineId))) {
          throw unknownMachine(`No machine with id ${machineId}`);
        }
        return mountings.currentOnMachine(tx, machineId);
      }),

    mount: (request: RequestContext, toolId: number, input: MountInput) =>
      manage(request, async (tx, ctx) => {
        const tool = await tools.lockTool(tx, toolId);
        if (!tool) throw toolNotFound(`No tool with id ${toolId}`);
        if (tool.status === 'retired') {
          throw toolRetired(`Tool ${tool.asset_number} is retired: reinstate it before mounting it`);
        }
        const machine = await mountings.machineOf(tx, input.machine_id);
        if (!machine || machine.site_id !== tool.site_id) {
          throw unknownMachine(`No machine with id ${input.machine_id} on the tool's site`, {
            errors: [{ field: 'machine_id', message: 'unknown machine on this site' }],
          });
        }
        const at = pastOrNow('at', input.at, clock());
        const open = await mountings.openMountingOfTool(tx, toolId);
        if (open) {
          throw toolAlreadyMounted(
            `Tool ${tool.asset_number} is already mounted on ${where(open)} ${since(open)}: take it off first`,
            { details: { mounting_id: open.id, machine_id: open.machine_id, position: open.position } },
          );
        }
        const overlap = await mountings.toolOverlaps(tx, toolId, at, null);
        if (overlap) {
          throw toolAlreadyMounted(
            `Tool ${tool.asset_number} was on ${where(overlap)} ${since(overlap)}: mount it after that`,
            { details: { mounting_id: overlap.id, machine_id: overlap.machine_id } },
          );
        }
        const taken = await mountings.positionOverlaps(tx, machine.id, input.position, at, null);
        if (taken) {
          throw positionTaken(
            `Position ${input.position} of ${machine.code} holds tool ${taken.tool_asset_number} ${since(taken)}: take it off first or choose another position`,
            { details: { mounting_id: taken.id, tool_id: taken.tool_id, position: taken.position } },
          );
        }
        let id: number;
        try {
          id = await mountings.insertMounting(tx, {
            tool_id: toolId,
            site_id: tool.site_id,
            machine_id: machine.id,
            position: input.position,
            mounted_at: at,
            mounted_by: userIdOf(ctx),
          });
        } catch (error) {
          if (!isExclusionViolation(error)) throw error;
          throw positionTaken(
            `Tool ${tool.asset_number} or position ${input.position} of ${machine.code} was taken at the same moment; reload and try again`,
            { cause: error },
          );
        }
        const created = (await mountings.findMounting(tx, id)) as MountingOutput;
        await recordChange(tx, ctx, {
          action: 'mount',
          entity: 'tool',
          entityId: toolId,
          siteId: tool.site_id,
          after: created,
        });
        return created;
      }),

    unmount: (request: RequestContext, toolId: number, input: UnmountInput) =>
      manage(request, async (tx, ctx) => {
        const tool = await tools.lockTool(tx, toolId);
        if (!tool) throw toolNotFound(`No tool with id ${toolId}`);
        const open = await mountings.openMountingOfTool(tx, toolId);
        if (!open) throw toolNotMounted(`Tool ${tool.asset_number} is not mounted on any machine`);
        const at = pastOrNow('at', input.at, clock());
        if (at.getTime() <= open.mounted_at.getTime()) {
          throw invalidTime(
            `Tool ${tool.asset_number} was mounted at ${open.mounted_at.toISOString()}; it cannot come off before that`,
            { errors: [{ field: 'at', message: 'must be after the mounting time' }] },
          );
        }
        await mountings.closeMounting(tx, open.id, at, userIdOf(ctx));
        const closed = (await mountings.findMounting(tx, open.id)) as MountingOutput;
        await recordChange(tx, ctx, {
          action: 'unmount',
          entity: 'tool',
          entityId: toolId,
          siteId: tool.site_id,
          before: open,
          after: closed,
        });
        return closed;
      }),
  };
}
export type MountingService = ReturnType<typeof createMountingService>;
