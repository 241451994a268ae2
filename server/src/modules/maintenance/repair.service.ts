import type { Kysely } from 'kysely';
import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import { pageOf } from '../../platform/pagination.ts';
import { recordChange } from '../audit/index.ts';
import { machineNotFound, machineRecords } from '../plant/index.ts';
import { findFailureCode } from './catalog.repository.ts';
import { findDowntime } from './downtime.repository.ts';
import {
  downtimeOfOtherMachine,
  invalidPeriod,
  repairCannotClose,
  repairNotFound,
  unknownFailureCode,
  unknownTechnician,
} from './maintenance.errors.ts';
import type { CreateRepairInput, RepairFilter, RepairOutput, UpdateRepairInput } from './repair.dto.ts';
import * as repairs from './repair.repository.ts';

export type SiteMembers = (
  db: Kysely<Tables>,
  siteId: number,
  userIds: readonly number[],
) => Promise<number[]>;

interface RepairState {
  machine_id: number;
  status: string;
  start_at: Date;
  end_at: Date | null;
  actions_taken: string | null;
}

/** Repairs: written by technicians and managers; who created and changed one comes from the token. */
export function createRepairService(deps: { db: Pick<Database, 'transaction'>; siteMembers: SiteMembers }) {
  const { db } = deps;

  async function getOrThrow(tx: Tx, id: number): Promise<RepairOutput> {
    const found = await repairs.findRepair(tx, id);
    if (!found) throw repairNotFound(`No repair with id ${id}`);
    return found;
  }

  /** The rules a repair must satisfy whatever changed: order of times, and what closing needs. */
  function checkState(state: RepairState): void {
    if (state.end_at && state.end_at.getTime() < state.start_at.getTime()) {
      throw invalidPeriod('The end must not be before the start', {
        errors: [{ field: 'end_datetime', message: 'must not be before start_datetime' }],
      });
    }
    if (state.status === 'closed') {
      const errors = [
        ...(state.end_at ? [] : [{ field: 'end_datetime', message: 'required to close a repair' }]),
        ...(state.actions_taken?.trim()
          ? []
          : [{ field: 'actions_taken', message: 'required to close a repair' }]),
      ];
      if (errors.length > 0)
        throw repairCannotClose('Closing a repair needs its end time and the actions taken', { errors });
    }
  }

  async function checkReferences(
    tx: Tx,
    siteId: number,
    machineId: number,
    input: { failure_code_id?: number | null; downtime_id?: number | null; technician_ids?: number[] },
  ): Promise<void> {
    if (input.failure_code_id && !(await findFailureCode(tx, input.failure_code_id))) {
      throw unknownFailureCode(`No failure code with id ${input.failure_code_id}`, {
        errors: [{ field: 'failure_code_id', message: 'unknown failure code' }],
      });
    }
    if (input.downtime_id) {
      const downtime = await findDowntime(tx, input.downtime_id);
      if (!downtime || downtime.machine_id !== machineId) {
        throw downtimeOfOtherMachine(`Downtime ${input.downtime_id} is not a stop of this machine`, {
          errors: [{ field: 'downtime_id', message: 'not a stop of this machine' }],
        });
      }
    }
    const wanted = [...new Set(input.technician_ids ?? [])];
    const members = await deps.siteMembers(tx, siteId, wanted);
    const strangers = wanted.filter((id) => !members.includes(id));
    if (strangers.length > 0) {
      throw unknownTechnician(`User ${strangers.join(', ')} is not an active member of this site`, {
        errors: [
          { field: 'technician_ids', message: `unknown or not on this site: ${strangers.join(', ')}` },
        ],
      });
    }
  }

  function write<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>): Promise<T> {
    const ctx = requirePermission(request, 'repair:write');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }
  const userOf = (ctx: AuthedContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

  return {
    async list(request: RequestContext, filter: RepairFilter) {
      const ctx = requirePermission(request, 'plant:read');
      const rows = await db.transaction(scopeOf(ctx), (tx) => repairs.listRepairs(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({
        start_at: row.start_datetime.toISOString(),
        id: row.id,
      }));
    },

    async get(request: RequestContext, id: number): Promise<RepairOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), (tx) => getOrThrow(tx, id));
    },

    create: (request: RequestContext, input: CreateRepairInput) =>
      write(request, async (tx, ctx) => {
        const machine = await machineRecords.lock(tx, input.machine_id);
        if (!machine) throw machineNotFound(`No machine with id ${input.machine_id}`);
        const state = {
          machine_id: machine.id,
          status: input.status,
          start_at: input.start_datetime,
          end_at: input.end_datetime ?? null,
          actions_taken: input.actions_taken ?? null,
        };
        checkState(state);
        await checkReferences(tx, machine.site_id, machine.id, input);
        const id = await repairs.insertRepair(tx, {
          ...state,
          site_id: machine.site_id,
          repair_type: input.repair_type,
          description: input.description,
          failure_code_id: input.failure_code_id ?? null,
          cost: input.cost ?? null,
          downtime_id: input.downtime_id ?? null,
          created_by: userOf(ctx),
        });
        await repairs.replaceTechnicians(tx, id, machine.site_id, [...new Set(input.technician_ids)]);
        await repairs.replaceParts(tx, id, machine.site_id, input.parts);
        const created = await getOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'repair',
          entityId: id,
          siteId: machine.site_id,
          after: created,
        });
        return created;
      }),

    update: (request: RequestContext, id: number, input: UpdateRepairInput) =>
      write(request, async (tx, ctx) => {
        const locked = await repairs.lockRepair(tx, id);
        if (!locked) throw repairNotFound(`No repair with id ${id}`);
        const before = await getOrThrow(tx, id);
        checkState({
          machine_id: locked.machine_id,
          status: input.status ?? locked.status,
          start_at: input.start_datetime ?? locked.start_at,
          end_at: input.end_datetime === undefined ? locked.end_at : input.end_datetime,
          actions_taken: input.actions_taken === undefined ? locked.actions_taken : input.actions_taken,
        });
        await checkReferences(tx, locked.site_id, locked.machine_id, input);
        await repairs.updateRepairRow(tx, id, {
          ...(input.repair_type !== undefined ? { repair_type: input.repair_type } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
          ...(input.start_datetime !== undefined ? { start_at: input.start_datetime } : {}),
          ...(input.end_datetime !== undefined ? { end_at: input.end_datetime } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.failure_code_id !== undefined ? { failure_code_id: input.failure_code_id } : {}),
          ...(input.actions_taken !== undefined ? { actions_taken: input.actions_taken } : {}),
          ...(input.cost !== undefined ? { cost: input.cost } : {}),
          ...(input.downtime_id !== undefined ? { downtime_id: input.downtime_id } : {}),
          updated_by: userOf(ctx),
        });
        if (input.technician_ids)
          await repairs.replaceTechnicians(tx, id, locked.site_id, [...new Set(input.technician_ids)]);
        if (input.parts) await repairs.replaceParts(tx, id, locked.site_id, input.parts);
        const after = await getOrThrow(tx, id);
        const action = input.status === 'closed' && before.status !== 'closed' ? 'close' : 'update';
        await recordChange(tx, ctx, {
          action,
          entity: 'repair',
          entityId: id,
          siteId: locked.site_id,
          before,
          after,
        });
        return after;
      }),
  };
}
export type RepairService = ReturnType<typeof createRepairService>;
