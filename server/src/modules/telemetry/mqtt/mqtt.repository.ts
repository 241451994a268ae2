import { sql } from 'kysely';
import type { Tx } from '../../../platform/db/database.ts';

export interface MachineByCode {
  id: number;
  site_id: number;
  site_code: string;
  machine_code: string;
  time_zone: string;
}

/** Active machines with any of these codes (lower case), with their site's code and time zone. */
export async function activeMachinesByCode(tx: Tx, codes: readonly string[]): Promise<MachineByCode[]> {
  if (codes.length === 0) return [];
  const result = await sql<MachineByCode>`
    select m.id::float8 as id, m.site_id::float8 as site_id, lower(s.code) as site_code,
      lower(m.code) as machine_code, s.time_zone
    from machines m join sites s on s.id = m.site_id
    where lower(m.code) = any (${codes}::text[]) and m.is_active and s.is_active`.execute(tx);
  return result.rows;
}

/** Keeps messages that can never be stored, with why (the ingest dead letters, source 'mqtt'). */
export async function insertDeadLetters(
  tx: Tx,
  letters: readonly { reason: string; payload: string }[],
): Promise<void> {
  if (letters.length === 0) return;
  await sql`insert into ingest_dead_letters (source, reason, payload)
    select 'mqtt', reason, payload
    from unnest(${letters.map((l) => l.reason)}::text[], ${letters.map((l) => l.payload)}::text[])
      as l (reason, payload)`.execute(tx);
}
