import type { AuthedContext } from '../../platform/auth/actor.ts';
import type { Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import { machineNotFound, machineRecords } from '../plant/index.ts';
import * as downtimes from './downtime.repository.ts';

/**
 * A worker reported a machine breakdown on the line: the machine's stop starts now, without a reason
 * yet (it joins the unexplained queue), and the machine is broken. When the machine is already down,
 * that open stop is the one and nothing new is written. Runs in the caller's transaction.
 */
export async function openBreakdownDowntime(
  tx: Tx,
  ctx: AuthedContext,
  input: { machineId: number; at: Date; comment: string },
): Promise<{ id: number; created: boolean }> {
  const machine = await machineRecords.lock(tx, input.machineId);
  if (!machine) throw machineNotFound(`No machine with id ${input.machineId}`);
  const open = await downtimes.openDowntimeOf(tx, machine.id);
  if (open) return { id: open.id, created: false };
  const overlap = await downtimes.overlappingDowntime(tx, machine.id, input.at, null);
  const start = overlap?.end_at && overlap.end_at > input.at ? overlap.end_at : input.at;
  const id = await downtimes.insertDowntime(tx, {
    site_id: machine.site_id,
    machine_id: machine.id,
    start_at: start,
    end_at: null,
    planned: false,
    reason_id: null,
    comment: input.comment.slice(0, 2000),
    reported_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
    source: 'issue',
  });
  await machineRecords.setStatus(tx, machine.id, 'broken');
  const created = await downtimes.findDowntime(tx, id);
  await recordChange(tx, ctx, {
    action: 'create',
    entity: 'downtime',
    entityId: id,
    siteId: machine.site_id,
    after: created,
  });
  return { id, created: true };
}
