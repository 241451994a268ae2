import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pastOrNow } from './production.access.ts';
import type { ReadingFilter, ReadingInput, ReadingOutput } from './production.dto.ts';
import { machineNotFound } from '../plant/index.ts';
import { ambiguousMachine } from './production.errors.ts';
import * as readings from './reading.repository.ts';
import * as orders from './work-order.repository.ts';

/** A machine named in a path: a number is its id, anything else its code (within the caller's sites). */
async function resolveMachine(tx: Tx, ref: string): Promise<{ id: number; site_id: number }> {
  if (/^[0-9]+$/.test(ref) && Number(ref) <= Number.MAX_SAFE_INTEGER) {
    const byId = await orders.machineOf(tx, Number(ref));
    if (byId) return byId;
  }
  const byCode = await readings.machinesByCode(tx, ref);
  if (byCode.length > 1) {
    throw ambiguousMachine(`Several of your sites have a machine ${ref}; use its numeric id`);
  }
  const [machine] = byCode;
  if (!machine) throw machineNotFound(`No machine with id or code ${ref} on your sites`);
  return machine;
}

/** Raw readings posted over HTTP (temperature, pressure, speed, …). */
export function createReadingService(deps: { db: Pick<Database, 'transaction'>; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    record: (
      request: RequestContext,
      machineRef: string,
      input: readonly ReadingInput[],
    ): Promise<ReadingOutput[]> => {
      const ctx: AuthedContext = requirePermission(request, 'ingest:write');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const machine = await resolveMachine(tx, machineRef);
        const current = now();
        return readings.insertReadings(
          tx,
          input.map((reading, index) => ({
            site_id: machine.site_id,
            machine_id: machine.id,
            reading_type: reading.reading_type,
            value: reading.value,
            unit: reading.unit ?? null,
            recorded_at: pastOrNow(
              input.length > 1 ? `${index}.timestamp` : 'timestamp',
              reading.timestamp,
              current,
            ),
          })),
        );
      });
    },

    list: (request: RequestContext, machineRef: string, filter: ReadingFilter): Promise<ReadingOutput[]> => {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), async (tx) =>
        readings.listReadings(tx, (await resolveMachine(tx, machineRef)).id, filter),
      );
    },
  };
}
export type ReadingService = ReturnType<typeof createReadingService>;
