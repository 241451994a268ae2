import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './plant.schema.ts';
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

export const lineColumns = [
  'id',
  'site_id',
  'code',
  'name',
  'description',
  'status',
  'notes',
  'is_active',
  'created_at',
  'updated_at',
] as const;

export const machineColumns = [
  'id',
  'site_id',
  'line_id',
  'code',
  'name',
  'asset_number',
  'serial_number',
  'manufacturer',
  'model',
  'machine_type',
  'status',
  'criticality',
  'commissioned_on',
  'notes',
  'is_active',
  'created_at',
  'updated_at',
] as const;

/** Row-level security limits every query here to the transaction's sites. */
export function listLines(tx: Tx, filter: LineFilter): Promise<LineOutput[]> {
  let query = tx.selectFrom('lines').select(lineColumns).orderBy('site_id').orderBy('code');
  if (filter.site_id) query = query.where('site_id', '=', filter.site_id);
  if (!filter.include_inactive) query = query.where('is_active', '=', true);
  return query.execute();
}

export function findLine(tx: Tx, id: number): Promise<LineOutput | undefined> {
  return tx.selectFrom('lines').select(lineColumns).where('id', '=', id).executeTakeFirst();
}

export function findLinesByIds(tx: Tx, ids: readonly number[]): Promise<LineOutput[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.selectFrom('lines').select(lineColumns).where('id', 'in', ids).execute();
}

export async function lineCodeExists(
  tx: Tx,
  siteId: number,
  code: string,
  exceptId?: number,
): Promise<boolean> {
  let query = tx
    .selectFrom('lines')
    .select('id')
    .where('site_id', '=', siteId)
    .where(sql`lower(code)`, '=', code.toLowerCase());
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export function insertLine(tx: Tx, input: CreateLineInput): Promise<LineOutput> {
  return tx
    .insertInto('lines')
    .values({
      site_id: input.site_id,
      code: input.code,
      name: input.name,
      description: input.description ?? null,
      status: input.status,
      notes: input.notes ?? null,
    })
    .returning(lineColumns)
    .executeTakeFirstOrThrow();
}

export function updateLineRow(tx: Tx, id: number, changes: UpdateLineInput): Promise<LineOutput | undefined> {
  return tx.updateTable('lines').set(changes).where('id', '=', id).returning(lineColumns).executeTakeFirst();
}

export function listMachines(tx: Tx, filter: MachineFilter): Promise<MachineOutput[]> {
  let query = tx.selectFrom('machines').select(machineColumns).orderBy('site_id').orderBy('code');
  if (filter.site_id) query = query.where('site_id', '=', filter.site_id);
  if (filter.line_id) query = query.where('line_id', '=', filter.line_id);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (!filter.include_inactive) query = query.where('is_active', '=', true);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('code', 'ilike', pattern),
        eb('name', 'ilike', pattern),
        eb('asset_number', 'ilike', pattern),
        eb('serial_number', 'ilike', pattern),
      ]),
    );
  }
  return query.limit(5000).execute();
}

export function findMachine(tx: Tx, id: number): Promise<MachineOutput | undefined> {
  return tx.selectFrom('machines').select(machineColumns).where('id', '=', id).executeTakeFirst();
}

export function findMachinesByLineIds(tx: Tx, lineIds: readonly number[]): Promise<MachineOutput[]> {
  if (lineIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('machines')
    .select(machineColumns)
    .where('line_id', 'in', lineIds)
    .where('is_active', '=', true)
    .orderBy('code')
    .execute();
}

export async function machineCodeExists(
  tx: Tx,
  siteId: number,
  code: string,
  exceptId?: number,
): Promise<boolean> {
  let query = tx
    .selectFrom('machines')
    .select('id')
    .where('site_id', '=', siteId)
    .where(sql`lower(code)`, '=', code.toLowerCase());
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export function insertMachine(tx: Tx, siteId: number, input: CreateMachineInput): Promise<MachineOutput> {
  return tx
    .insertInto('machines')
    .values({
      site_id: siteId,
      line_id: input.line_id,
      code: input.code,
      name: input.name,
      asset_number: input.asset_number ?? null,
      serial_number: input.serial_number ?? null,
      manufacturer: input.manufacturer ?? null,
      model: input.model ?? null,
      machine_type: input.machine_type ?? null,
      status: input.status,
      criticality: input.criticality,
      commissioned_on: input.commissioned_on ?? null,
      notes: input.notes ?? null,
    })
    .returning(machineColumns)
    .executeTakeFirstOrThrow();
}

export function updateMachineRow(
  tx: Tx,
  id: number,
  changes: UpdateMachineInput & { site_id?: number },
): Promise<MachineOutput | undefined> {
  return tx
    .updateTable('machines')
    .set(changes)
    .where('id', '=', id)
    .returning(machineColumns)
    .executeTakeFirst();
}

/** Locks the machine row: concurrent stops of one machine are decided one at a time. */
export function lockMachine(tx: Tx, id: number): Promise<MachineOutput | undefined> {
  return tx.selectFrom('machines').select(machineColumns).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function setMachineStatusRow(tx: Tx, id: number, status: string): Promise<void> {
  await tx.updateTable('machines').set({ status }).where('id', '=', id).execute();
}
