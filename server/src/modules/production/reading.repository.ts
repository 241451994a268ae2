import type { Tx } from '../../platform/db/database.ts';
import type {} from './production.schema.ts';
import type { ReadingFilter, ReadingOutput } from './production.dto.ts';

const readingColumns = [
  'id',
  'machine_id',
  'reading_type',
  'value',
  'unit',
  'recorded_at as timestamp',
  'received_at',
] as const;

export function insertReadings(
  tx: Tx,
  rows: readonly {
    site_id: number;
    machine_id: number;
    reading_type: string;
    value: number;
    unit: string | null;
    recorded_at: Date;
  }[],
): Promise<ReadingOutput[]> {
  return tx.insertInto('machine_readings').values(rows).returning(readingColumns).execute();
}

export function listReadings(tx: Tx, machineId: number, filter: ReadingFilter): Promise<ReadingOutput[]> {
  let query = tx
    .selectFrom('machine_readings')
    .select(readingColumns)
    .where('machine_id', '=', machineId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.reading_type) query = query.where('reading_type', '=', filter.reading_type.toLowerCase());
  if (filter.from) query = query.where('recorded_at', '>=', filter.from);
  if (filter.to) query = query.where('recorded_at', '<', filter.to);
  return query.execute();
}

/** Machines whose code matches, in the sites the transaction sees. */
export function machinesByCode(tx: Tx, code: string): Promise<{ id: number; site_id: number }[]> {
  return tx
    .selectFrom('machines')
    .select(['id', 'site_id'])
    .where((eb) => eb(eb.fn('lower', ['code']), '=', code.toLowerCase()))
    .limit(2)
    .execute();
}
