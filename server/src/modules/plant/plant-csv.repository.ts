import type { Tx } from '../../platform/db/database.ts';
import type {} from './plant.schema.ts';
import type {} from '../identity/identity.schema.ts';
import type { LineOutput, MachineOutput } from './plant.dto.ts';
import { lineColumns, machineColumns } from './plant.repository.ts';

/** Rows per multi-row INSERT: 500 machines × 14 values stays far below PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

/** Row-level security applies: a site the transaction may not see is not found. */
export function findSite(
  tx: Tx,
  id: number,
): Promise<{ id: number; code: string; time_zone: string } | undefined> {
  return tx.selectFrom('sites').select(['id', 'code', 'time_zone']).where('id', '=', id).executeTakeFirst();
}

/** Every line of the site, active or not, by code. */
export function siteLines(tx: Tx, siteId: number): Promise<LineOutput[]> {
  return tx.selectFrom('lines').select(lineColumns).where('site_id', '=', siteId).orderBy('code').execute();
}

/** Every machine of the site, active or not, by code. */
export function siteMachines(tx: Tx, siteId: number): Promise<MachineOutput[]> {
  return tx
    .selectFrom('machines')
    .select(machineColumns)
    .where('site_id', '=', siteId)
    .orderBy('code')
    .execute();
}

export interface NewLine {
  site_id: number;
  code: string;
  name: string;
  status: string;
  notes: string | null;
  is_active: boolean;
}

export async function insertLines(tx: Tx, lines: readonly NewLine[]): Promise<LineOutput[]> {
  const created: LineOutput[] = [];
  for (let start = 0; start < lines.length; start += CHUNK) {
    const chunk = lines.slice(start, start + CHUNK);
    created.push(...(await tx.insertInto('lines').values(chunk).returning(lineColumns).execute()));
  }
  return created;
}

export interface NewMachine {
  site_id: number;
  line_id: number;
  code: string;
  name: string;
  asset_number: string | null;
  serial_number: string | null;
  manufacturer: string | null;
  model: string | null;
  machine_type: string | null;
  status: string;
  criticality: string;
  commissioned_on: string | null;
  notes: string | null;
  is_active: boolean;
}

export async function insertMachines(tx: Tx, machines: readonly NewMachine[]): Promise<MachineOutput[]> {
  const created: MachineOutput[] = [];
  for (let start = 0; start < machines.length; start += CHUNK) {
    const chunk = machines.slice(start, start + CHUNK);
    created.push(...(await tx.insertInto('machines').values(chunk).returning(machineColumns).execute()));
  }
  return created;
}
