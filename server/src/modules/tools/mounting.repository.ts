import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './tools.schema.ts';
import type { MountingOutput } from './tools.dto.ts';

const SELECT_MOUNTING = sql`
  select m.id, m.tool_id, t.asset_number as tool_asset_number, t.name as tool_name, m.site_id,
         m.machine_id, mc.code as machine_code, mc.name as machine_name, m.position, m.mounted_at,
         m.removed_at, m.mounted_by, m.removed_by
    from tool_mountings m
    join tools t on t.id = m.tool_id
    join machines mc on mc.id = m.machine_id`;

export async function mountingsOfTool(tx: Tx, toolId: number): Promise<MountingOutput[]> {
  const { rows } = await sql<MountingOutput>`${SELECT_MOUNTING}
    where m.tool_id = ${toolId} order by m.mounted_at desc, m.id desc`.execute(tx);
  return rows;
}

export async function currentOnMachine(tx: Tx, machineId: number): Promise<MountingOutput[]> {
  const { rows } = await sql<MountingOutput>`${SELECT_MOUNTING}
    where m.machine_id = ${machineId} and m.removed_at is null order by m.position`.execute(tx);
  return rows;
}

export async function findMounting(tx: Tx, id: number): Promise<MountingOutput | undefined> {
  const { rows } = await sql<MountingOutput>`${SELECT_MOUNTING} where m.id = ${id}`.execute(tx);
  return rows[0];
}

/** Mountings of the tool whose time range meets [from, to) (to null = open-ended). */
export async function toolOverlaps(
  tx: Tx,
  toolId: number,
  from: Date,
  to: Date | null,
  exceptId?: number,
): Promise<MountingOutput | undefined> {
  const { rows } = await sql<MountingOutput>`${SELECT_MOUNTING}
    where m.tool_id = ${toolId} and m.id <> ${exceptId ?? 0}
      and tstzrange(m.mounted_at, m.removed_at, '[)') && tstzrange(${from}, ${to}, '[)')
    order by m.mounted_at desc limit 1`.execute(tx);
  return rows[0];
}

/** The mounting of another tool on the same machine position whose range meets [from, to). */
export async function positionOverlaps(
  tx: Tx,
  machineId: number,
  position: string,
  from: Date,
  to: Date | null,
): Promise<MountingOutput | undefined> {
  const { rows } = await sql<MountingOutput>`${SELECT_MOUNTING}
    where m.machine_id = ${machineId} and m.position = ${position}
      and tstzrange(m.mounted_at, m.removed_at, '[)') && tstzrange(${from}, ${to}, '[)')
    order by m.mounted_at desc limit 1`.execute(tx);
  return rows[0];
}

export async function openMountingOfTool(tx: Tx, toolId: number): Promise<MountingOutput | undefined> {
  const { rows } = await sql<MountingOutput>`${SELECT_MOUNTING}
    where m.tool_id = ${toolId} and m.removed_at is null limit 1`.execute(tx);
  return rows[0];
}

/** A mounting that starts after `at` (mounting back-dated before a later history is refused). */
export async function laterMountingOfTool(tx: Tx, toolId: number, at: Date): Promise<boolean> {
  const row = await tx
    .selectFrom('tool_mountings')
    .select('id')
    .where('tool_id', '=', toolId)
    .where('mounted_at', '>', at)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMounting(
  tx: Tx,
  values: {
    tool_id: number;
    site_id: number;
    machine_id: number;
    position: string;
    mounted_at: Date;
    mounted_by: number | null;
  },
): Promise<number> {
  const row = await tx.insertInto('tool_mountings').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function closeMounting(tx: Tx, id: number, at: Date, by: number | null): Promise<void> {
  await tx
    .updateTable('tool_mountings')
    .set({ removed_at: at, removed_by: by })
    .where('id', '=', id)
    .execute();
}

export async function machineOf(
  tx: Tx,
  machineId: number,
): Promise<{ id: number; site_id: number; code: string; name: string } | undefined> {
  const { rows } = await sql<{ id: number; site_id: number; code: string; name: string }>`
    select id, site_id, code, name from machines where id = ${machineId}`.execute(tx);
  return rows[0];
}

/** A tool mounted on a machine now, with its shot count and life (the live machine board). */
export interface MountedToolNow {
  machine_id: number;
  tool_id: number;
  asset_number: string;
  name: string;
  position: string;
  mounted_at: Date;
  total_shots: number;
  life_limit_shots: number | null;
  life_used_percent: number | null;
}

/** The tools mounted now on any of these machines, one query for all of them. */
export async function mountedNowOn(tx: Tx, machineIds: readonly number[]): Promise<MountedToolNow[]> {
  if (machineIds.length === 0) return [];
  const { rows } = await sql<Omit<MountedToolNow, 'life_used_percent'>>`
    select m.machine_id, m.tool_id, t.asset_number, t.name, m.position, m.mounted_at,
           t.total_shots::float8 as total_shots, t.life_limit_shots
      from tool_mountings m
      join tools t on t.id = m.tool_id
     where m.machine_id = any(${[...machineIds]}::bigint[]) and m.removed_at is null
     order by m.machine_id, m.position`.execute(tx);
  return rows.map((row) => ({
    ...row,
    life_used_percent: row.life_limit_shots
      ? Math.round((row.total_shots / row.life_limit_shots) * 1000) / 10
      : null,
  }));
}

/** `mountedAt` for many (machine, instant) pairs in one query; `index` is the pair's position. */
export async function mountedAtMany(
  tx: Tx,
  pairs: readonly { machine_id: number; at: Date }[],
): Promise<{ index: number; id: number; tool_id: number; site_id: number; mounted_at: Date }[]> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<{
    index: number;
    id: number;
    tool_id: number;
    site_id: number;
    mounted_at: Date;
  }>`
    select (i.ord - 1)::int as index, tm.id, tm.tool_id, tm.site_id, tm.mounted_at
      from unnest(${pairs.map((p) => p.machine_id)}::bigint[], ${pairs.map((p) => p.at)}::timestamptz[])
           with ordinality as i(machine_id, at, ord)
      join tool_mountings tm
        on tm.machine_id = i.machine_id and tm.mounted_at <= i.at and (tm.removed_at is null or tm.removed_at > i.at)
     order by i.ord, tm.tool_id`.execute(tx);
  return rows;
}
