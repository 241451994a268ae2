/** One batch of machine histories into downtimes, repairs and their technicians and parts. */
import type pg from 'pg';
import type { MachineHistory } from './history.ts';

export interface SeedCounts {
  sites: number;
  lines: number;
  machines: number;
  users: number;
  downtimes: number;
  repairs: number;
  repair_technicians: number;
  repair_parts: number;
  production_routes: number;
  route_steps: number;
  work_orders: number;
  work_order_stages: number;
  stage_assignments: number;
  production_issues: number;
  tools: number;
  tool_shot_readings: number;
  machine_states: number;
  machine_counts: number;
  machine_readings: number;
}

/** Database ids of the plant's generated keys and of the catalog's codes. */
export interface Ids {
  siteIds: number[];
  machineIds: number[];
  userIds: number[];
  reasons: Map<string, number>;
  failureCodes: Map<string, number>;
}

export async function writeBatch(client: pg.Client, batch: MachineHistory[], ids: Ids, counts: SeedCounts) {
  const stops = batch.flatMap((h) => h.downtimes.map((d) => ({ ...d, machine: h.machine })));
  const jobs = batch.flatMap((h, i) => h.repairs.map((r) => ({ ...r, machine: h.machine, history: i })));
  const firstStop = await reserveIds(client, 'downtimes', stops.length);
  const firstJob = await reserveIds(client, 'repairs', jobs.length);
  // The stop ids of each history start where the previous history's stops end.
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < batch.length; at += batch[i]!.downtimes.length, i += 1) offsets.push(at);
  const user = (key: number | null | undefined) =>
    key === null || key === undefined ? null : ids.userIds[key];

  await client.query(
    `insert into downtimes (id, site_id, machine_id, start_at, end_at, planned, reason_id, comment, source,
       reported_by, created_at, updated_at)
     overriding system value
     select id, site_id, machine_id, to_timestamp(s / 1000), to_timestamp(e / 1000), planned, reason_id, comment,
       source, reported_by, to_timestamp(coalesce(e, s) / 1000), to_timestamp(coalesce(e, s) / 1000)
     from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $5::float8[], $6::boolean[],
       $7::bigint[], $8::text[], $9::text[], $10::bigint[])
       as u (id, site_id, machine_id, s, e, planned, reason_id, comment, source, reported_by)`,
    [
      stops.map((_, i) => firstStop + i),
      stops.map((d) => ids.siteIds[d.machine.siteKey]),
      stops.map((d) => ids.machineIds[d.machine.key]),
      stops.map((d) => d.start),
      stops.map((d) => d.end),
      stops.map((d) => d.planned),
      stops.map((d) => (d.reason === null ? null : (ids.reasons.get(d.reason) ?? null))),
      stops.map((d) => d.comment),
      stops.map((d) => d.source),
      stops.map((d) => user(d.reportedBy)),
    ],
  );
  await client.query(
    `insert into repairs (id, site_id, machine_id, repair_type, status, start_at, end_at, description,
       failure_code_id, actions_taken, cost, downtime_id, created_by, updated_by, created_at, updated_at)
     overriding system value
     select id, site_id, machine_id, type, status, to_timestamp(s / 1000), to_timestamp(e / 1000), description,
       failure_code_id, actions, cost, downtime_id, created_by, created_by, to_timestamp(s / 1000),
       to_timestamp(coalesce(e, s) / 1000)
     from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::float8[], $7::float8[],
       $8::text[], $9::bigint[], $10::text[], $11::numeric[], $12::bigint[], $13::bigint[])
       as u (id, site_id, machine_id, type, status, s, e, description, failure_code_id, actions, cost,
         downtime_id, created_by)`,
    [
      jobs.map((_, i) => firstJob + i),
      jobs.map((r) => ids.siteIds[r.machine.siteKey]),
      jobs.map((r) => ids.machineIds[r.machine.key]),
      jobs.map((r) => r.type),
      jobs.map((r) => r.status),
      jobs.map((r) => r.start),
      jobs.map((r) => r.end),
      jobs.map((r) => r.description),
      jobs.map((r) => (r.failureCode === null ? null : (ids.failureCodes.get(r.failureCode) ?? null))),
      jobs.map((r) => r.actions),
      jobs.map((r) => r.cost),
      jobs.map((r) => firstStop + offsets[r.history]! + r.downtime),
      jobs.map((r) => user(r.technicians[0])),
    ],
  );
  const crew = jobs.flatMap((r, i) =>
    r.technicians.map((t) => [firstJob + i, user(t), ids.siteIds[r.machine.siteKey]]),
  );
  await client.query(
    `insert into repair_technicians (repair_id, user_id, site_id) select * from unnest($1::bigint[], $2::bigint[], $3::bigint[])`,
    [crew.map((c) => c[0]), crew.map((c) => c[1]), crew.map((c) => c[2])],
  );
  const parts = jobs.flatMap((r, i) =>
    r.parts.map((p) => ({ ...p, repair: firstJob + i, site: r.machine.siteKey })),
  );
  await client.query(
    `insert into repair_parts (repair_id, site_id, part, quantity)
     select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::numeric[])`,
    [
      parts.map((p) => p.repair),
      parts.map((p) => ids.siteIds[p.site]),
      parts.map((p) => p.part),
      parts.map((p) => p.quantity),
    ],
  );
  counts.downtimes += stops.length;
  counts.repairs += jobs.length;
  counts.repair_technicians += crew.length;
  counts.repair_parts += parts.length;
}

/** Takes `count` consecutive ids from the table's identity sequence; returns the first. */
async function reserveIds(client: pg.Client, table: 'downtimes' | 'repairs', count: number): Promise<number> {
  if (count === 0) return 0;
  const { rows } = await client.query<{ first: string }>(
    `select first from (select nextval(pg_get_serial_sequence($1, 'id')) as first) s,
       lateral setval(pg_get_serial_sequence($1, 'id'), s.first + $2 - 1)`,
    [table, count],
  );
  return Number(rows[0]!.first);
}
