import type { Tx } from '../../platform/db/database.ts';
import { machineNotFound } from '../plant/index.ts';
import * as repo from './auto-downtime.repository.ts';
import { countMicroStops, type MicroStops } from './auto-downtime.rules.ts';

const shift = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

/**
 * Micro-stops of one machine: state stops (STOP_STATES) that began in [from, to) and ended after less
 * than its stop threshold, with their total length (docs/auto-downtime.md). In the caller's
 * transaction; OEE uses it for the performance side of the picture.
 */
export async function microStops(tx: Tx, machineId: number, from: Date, to: Date): Promise<MicroStops> {
  const settings = await repo.stopSettingsOf(tx, machineId);
  if (!settings) throw machineNotFound(`No machine with id ${machineId}`);
  const threshold = settings.stop_threshold_seconds;
  const periods = await repo.statePeriodsOf(tx, [machineId], shift(from, -threshold), shift(to, threshold));
  return countMicroStops(periods, from, to, threshold);
}

/** Micro-stops of every active machine of a site or line (or all visible ones), machine by machine. */
export async function microStopSummary(
  tx: Tx,
  filter: { site_id?: number | undefined; line_id?: number | undefined },
  from: Date,
  to: Date,
) {
  const machines = await repo.machinesForMicroStops(tx, filter);
  const widest = Math.max(0, ...machines.map((m) => m.stop_threshold_seconds));
  const periods = await repo.statePeriodsOf(
    tx,
    machines.map((m) => m.id),
    shift(from, -widest),
    shift(to, widest),
  );
  const byMachine = Map.groupBy(periods, (period) => period.machine_id);
  const rows = machines.map((machine) => ({
    machine_id: machine.id,
    machine_code: machine.code,
    machine_name: machine.name,
    ...countMicroStops(byMachine.get(machine.id) ?? [], from, to, machine.stop_threshold_seconds),
  }));
  return {
    from,
    to,
    count: rows.reduce((sum, row) => sum + row.count, 0),
    total_seconds: rows.reduce((sum, row) => sum + row.total_seconds, 0),
    machines: rows,
  };
}
