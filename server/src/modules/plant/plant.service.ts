import {
  requirePermission,
  requireSite,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type {
  CreateLineInput,
  CreateMachineInput,
  LineFilter,
  LineOutput,
  MachineFilter,
  MachineOutput,
  UpdateLineInput,
  UpdateMachineInput,
} from './plant.dto.ts';
import { lineCodeTaken, lineNotFound, machineCodeTaken, machineNotFound } from './plant.errors.ts';
import * as plant from './plant.repository.ts';

/** Lines and machines: read by everyone on the site, changed by plant managers, never hard-deleted. */
export function createPlantService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;

  async function lineOrThrow(tx: Tx, id: number): Promise<LineOutput> {
    const line = await plant.findLine(tx, id);
    if (!line) throw lineNotFound(`No line with id ${id}`);
    return line;
  }

  async function machineOrThrow(tx: Tx, id: number): Promise<MachineOutput> {
    const machine = await plant.findMachine(tx, id);
    if (!machine) throw machineNotFound(`No machine with id ${id}`);
    return machine;
  }

  function read<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>): Promise<T> {
    const ctx = requirePermission(request, 'plant:read');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }

  function write<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>): Promise<T> {
    const ctx = requirePermission(request, 'plant:manage');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }

  return {
    listLines: (request: RequestContext, filter: LineFilter) =>
      read(request, (tx) => plant.listLines(tx, filter)),
    getLine: (request: RequestContext, id: number) => read(request, (tx) => lineOrThrow(tx, id)),
    getLines: (request: RequestContext, ids: readonly number[]) =>
      read(request, (tx) => plant.findLinesByIds(tx, ids)),
    listMachines: (request: RequestContext, filter: MachineFilter) =>
      read(request, (tx) => plant.listMachines(tx, filter)),
    getMachine: (request: RequestContext, id: number) => read(request, (tx) => machineOrThrow(tx, id)),
    machinesOfLines: (request: RequestContext, lineIds: readonly number[]) =>
      read(request, (tx) => plant.findMachinesByLineIds(tx, lineIds)),

    createLine: (request: RequestContext, input: CreateLineInput) =>
      write(request, async (tx, ctx) => {
        requireSite(ctx, input.site_id);
        if (await plant.lineCodeExists(tx, input.site_id, input.code)) {
          throw lineCodeTaken(`Line code "${input.code}" is used on this site`, {
            errors: [{ field: 'code', message: 'already used on this site' }],
          });
        }
        const line = await plant.insertLine(tx, input);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'line',
          entityId: line.id,
          siteId: line.site_id,
          after: line,
        });
        return line;
      }),

    updateLine: (request: RequestContext, id: number, input: UpdateLineInput) =>
      write(request, async (tx, ctx) => {
        const before = await lineOrThrow(tx, id);
        if (Object.keys(input).length === 0) return before;
        if (input.code && (await plant.lineCodeExists(tx, before.site_id, input.code, id))) {
          throw lineCodeTaken(`Line code "${input.code}" is used on this site`, {
            errors: [{ field: 'code', message: 'already used on this site' }],
          });
        }
        const after = (await plant.updateLineRow(tx, id, input)) ?? before;
        const action = input.is_active === false && before.is_active ? 'deactivate' : 'update';
        await recordChange(tx, ctx, {
          action,
          entity: 'line',
          entityId: id,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      }),

    createMachine: (request: RequestContext, input: CreateMachineInput) =>
      write(request, async (tx, ctx) => {
        const line = await lineOrThrow(tx, input.line_id);
        if (await plant.machineCodeExists(tx, line.site_id, input.code)) {
          throw machineCodeTaken(`Machine code "${input.code}" is used on this site`, {
            errors: [{ field: 'code', message: 'already used on this site' }],
          });
        }
        const machine = await plant.insertMachine(tx, line.site_id, input);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'machine',
          entityId: machine.id,
          siteId: machine.site_id,
          after: machine,
        });
        return machine;
      }),

    /** Moving a machine to another line keeps it on its site. */
    updateMachine: (request: RequestContext, id: number, input: UpdateMachineInput) =>
      write(request, async (tx, ctx) => {
        const before = await machineOrThrow(tx, id);
        if (Object.keys(input).length === 0) return before;
        if (input.line_id && input.line_id !== before.line_id) {
          const line = await lineOrThrow(tx, input.line_id);
          if (line.site_id !== before.site_id) {
            throw lineNotFound(`Line ${input.line_id} is not on this machine's site`, {
              errors: [{ field: 'line_id', message: 'not on this machine’s site' }],
            });
          }
        }
        if (input.code && (await plant.machineCodeExists(tx, before.site_id, input.code, id))) {
          throw machineCodeTaken(`Machine code "${input.code}" is used on this site`, {
            errors: [{ field: 'code', message: 'already used on this site' }],
          });
        }
        const after = (await plant.updateMachineRow(tx, id, input)) ?? before;
        const action = input.is_active === false && before.is_active ? 'deactivate' : 'update';
        await recordChange(tx, ctx, {
          action,
          entity: 'machine',
          entityId: id,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      }),
  };
}
export type PlantService = ReturnType<typeof createPlantService>;

/**
 * For the maintenance module: lock a machine inside its transaction and keep its status in step with
 * open stops. Row-level security applies: a machine of another site is simply not found.
 */
export const machineRecords = {
  find: plant.findMachine,
  lock: plant.lockMachine,
  setStatus: plant.setMachineStatusRow,
};
