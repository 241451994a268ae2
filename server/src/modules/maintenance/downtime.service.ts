import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pageOf } from '../../platform/pagination.ts';
import { recordChange } from '../audit/index.ts';
import { machineNotFound, machineRecords } from '../plant/index.ts';
import { findReason } from './catalog.repository.ts';
import type {
  CreateDowntimeInput,
  DowntimeFilter,
  DowntimeOutput,
  UpdateDowntimeInput,
} from './downtime.dto.ts';
import * as downtimes from './downtime.repository.ts';
import {
  downtimeAlreadyEnded,
  downtimeAlreadyOpen,
  downtimeNotFound,
  downtimeOverlap,
  invalidPeriod,
  unknownReason,
} from './maintenance.errors.ts';

/** Clocks of tablets drift: times up to this far ahead of the server are taken as "now". */
const CLOCK_SKEW_MS = 120_000;

export function createDowntimeService(deps: { db: Pick<Database, 'transaction'>; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function getOrThrow(tx: Tx, id: number): Promise<DowntimeOutput> {
    const found = await downtimes.findDowntime(tx, id);
    if (!found) throw downtimeNotFound(`No downtime with id ${id}`);
    return found;
  }

  function notInFuture(field: string, value: Date): Date {
    const current = now();
    if (value.getTime() > current.getTime() + CLOCK_SKEW_MS) {
      throw invalidPeriod(`${field} is in the future`, {
        errors: [{ field, message: 'must not be in the future' }],
      });
    }
    return value.getTime() > current.getTime() ? current : value;
  }

  /** Refuses a second open stop (naming it) and stops that overlap another of the same machine. */
  async function checkInterval(tx: Tx, machineId: number, start: Date, end: Date | null, exceptId?: number) {
    if (end && end.getTime() <= start.getTime()) {
      throw invalidPeriod('The end must be after the start', {
        errors: [{ field: 'end_datetime', message: 'must be after start_datetime' }],
      });
    }
    if (end === null) {
      const open = await downtimes.openDowntimeOf(tx, machineId, exceptId);
      if (open) {
        throw downtimeAlreadyOpen(
          `This machine is already down since ${open.start_at.toISOString()} (downtime ${open.id}); end that one first`,
        );
      }
    }
    const overlap = await downtimes.overlappingDowntime(tx, machineId, start, end, exceptId);
    if (overlap) {
      throw downtimeOverlap(
        `This overlaps downtime ${overlap.id} (${overlap.start_at.toISOString()} – ${overlap.end_at?.toISOString() ?? 'still open'})`,
      );
    }
  }

  async function checkReason(tx: Tx, reasonId: number | null | undefined): Promise<void> {
    if (reasonId && !(await findReason(tx, reasonId))) {
      throw unknownReason(`No downtime reason with id ${reasonId}`, {
        errors: [{ field: 'reason_id', message: 'unknown reason' }],
      });
    }
  }

  /** The machine's status follows its open stop: unplanned → broken, planned → maintenance, none → operational. */
  async function syncMachineStatus(tx: Tx, machineId: number): Promise<void> {
    const open = await downtimes.openDowntimeOf(tx, machineId);
    const row = open ? await downtimes.lockDowntime(tx, open.id) : undefined;
    await machineRecords.setStatus(
      tx,
      machineId,
      row ? (row.planned ? 'maintenance' : 'broken') : 'operational',
    );
  }

  function record<T>(request: RequestContext, work: (tx: Tx, ctx: AuthedContext) => Promise<T>): Promise<T> {
    const ctx = requirePermission(request, 'downtime:record');
    return db.transaction(scopeOf(ctx), (tx) => work(tx, ctx));
  }

  return {
    async list(request: RequestContext, filter: DowntimeFilter) {
      const ctx = requirePermission(request, 'plant:read');
      const rows = await db.transaction(scopeOf(ctx), (tx) => downtimes.listDowntimes(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({
        start_at: row.start_datetime.toISOString(),
        id: row.id,
      }));
    },

    async get(request: RequestContext, id: number): Promise<DowntimeOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), (tx) => getOrThrow(tx, id));
    },

    create: (request: RequestContext, input: CreateDowntimeInput) =>
      record(request, async (tx, ctx) => {
        const machine = await machineRecords.lock(tx, input.machine_id);
        if (!machine) throw machineNotFound(`No machine with id ${input.machine_id}`);
        const start = notInFuture('start_datetime', input.start_datetime ?? now());
        const end = input.end_datetime ? notInFuture('end_datetime', input.end_datetime) : null;
        await checkInterval(tx, machine.id, start, end);
        await checkReason(tx, input.reason_id);
        const id = await downtimes.insertDowntime(tx, {
          site_id: machine.site_id,
          machine_id: machine.id,
          start_at: start,
          end_at: end,
          planned: input.planned,
          reason_id: input.reason_id ?? null,
          comment: input.comment ?? null,
          reported_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
        });
        await syncMachineStatus(tx, machine.id);
        const created = await getOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'downtime',
          entityId: id,
          siteId: machine.site_id,
          after: created,
        });
        return created;
      }),

    update: (request: RequestContext, id: number, input: UpdateDowntimeInput) =>
      record(request, async (tx, ctx) => {
        const locked = await downtimes.lockDowntime(tx, id);
        if (!locked) throw downtimeNotFound(`No downtime with id ${id}`);
        const before = await getOrThrow(tx, id);
        const start = input.start_datetime
          ? notInFuture('start_datetime', input.start_datetime)
          : locked.start_at;
        const end =
          input.end_datetime === undefined
            ? locked.end_at
            : input.end_datetime && notInFuture('end_datetime', input.end_datetime);
        await checkInterval(tx, locked.machine_id, start, end ?? null, id);
        await checkReason(tx, input.reason_id);
        await downtimes.updateDowntimeRow(tx, id, {
          ...(input.start_datetime ? { start_at: start } : {}),
          ...(input.end_datetime !== undefined ? { end_at: end ?? null } : {}),
          ...(input.planned !== undefined ? { planned: input.planned } : {}),
          ...(input.reason_id !== undefined ? { reason_id: input.reason_id } : {}),
          ...(input.comment !== undefined ? { comment: input.comment } : {}),
        });
        await syncMachineStatus(tx, locked.machine_id);
        const after = await getOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'downtime',
          entityId: id,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      }),

    /** "Running again": ends the stop now (or at the time given) and the machine is operational. */
    end: (request: RequestContext, id: number, endDatetime?: Date) =>
      record(request, async (tx, ctx) => {
        const locked = await downtimes.lockDowntime(tx, id);
        if (!locked) throw downtimeNotFound(`No downtime with id ${id}`);
        if (locked.end_at)
          throw downtimeAlreadyEnded(`Downtime ${id} already ended at ${locked.end_at.toISOString()}`);
        const before = await getOrThrow(tx, id);
        const end = notInFuture('end_datetime', endDatetime ?? now());
        await checkInterval(tx, locked.machine_id, locked.start_at, end, id);
        await downtimes.updateDowntimeRow(tx, id, { end_at: end });
        await syncMachineStatus(tx, locked.machine_id);
        const after = await getOrThrow(tx, id);
        await recordChange(tx, ctx, {
          action: 'end',
          entity: 'downtime',
          entityId: id,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      }),
  };
}
export type DowntimeService = ReturnType<typeof createDowntimeService>;
