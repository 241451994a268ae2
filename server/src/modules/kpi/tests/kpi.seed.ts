import pg from 'pg';
import { buildSite, buildUser } from '../../../../test/factories.ts';
import type { Harness } from '../../../../test/harness.ts';
import type { RequestContext } from '../../../platform/auth/actor.ts';
import { WORKED_EXAMPLE } from './kpi.fixtures.ts';

export interface SeededPlant {
  siteId: number;
  otherSiteId: number;
  lineId: number;
  machineIds: { M1: number; M2: number };
  otherLineMachineId: number;
}

/**
 * The worked example inserted with SQL through the owner connection: line L1 with machines M1 and M2
 * and the example's stops, plus noise the line's KPIs must ignore (a stop of an inactive machine of
 * L1, a stop on another line, a site the other users belong to).
 */
export async function seedWorkedExample(h: Harness): Promise<SeededPlant> {
  const [site, otherSite] = await Promise.all([buildSite(h), buildSite(h)]);
  const client = new pg.Client({ connectionString: h.ownerUrl });
  await client.connect();
  try {
    const insertLine = async (code: string) =>
      (
        await client.query<{ id: number }>(
          'insert into lines (site_id, code, name) values ($1, $2, $2) returning id::int',
          [site.id, code],
        )
      ).rows[0]!.id;
    const insertMachine = async (lineId: number, code: string, active = true) =>
      (
        await client.query<{ id: number }>(
          'insert into machines (site_id, line_id, code, name, is_active) values ($1, $2, $3, $3, $4) returning id::int',
          [site.id, lineId, code, active],
        )
      ).rows[0]!.id;
    const insertStop = (
      machineId: number,
      start: Date,
      end: Date | null,
      planned: boolean,
      reasonCode: string | null,
    ) =>
      client.query(
        `insert into downtimes (site_id, machine_id, start_at, end_at, planned, reason_id)
         values ($1, $2, $3, $4, $5, (select id from downtime_reasons where code = $6))`,
        [site.id, machineId, start, end, planned, reasonCode],
      );

    const lineId = await insertLine('L1');
    const machineIds = { M1: await insertMachine(lineId, 'M1'), M2: await insertMachine(lineId, 'M2') };
    for (const stop of WORKED_EXAMPLE.stops) {
      await insertStop(
        machineIds[stop.machine],
        stop.start,
        stop.end,
        stop.planned,
        stop.reason?.code ?? null,
      );
    }
    const retired = await insertMachine(lineId, 'M9', false);
    await insertStop(
      retired,
      new Date('2025-03-03T08:00Z'),
      new Date('2025-03-03T09:00Z'),
      false,
      'MECH_JAM',
    );
    const otherLineMachineId = await insertMachine(await insertLine('L2'), 'M3');
    await insertStop(
      otherLineMachineId,
      new Date('2025-03-03T08:00Z'),
      new Date('2025-03-03T20:00Z'),
      false,
      null,
    );
    return { siteId: site.id, otherSiteId: otherSite.id, lineId, machineIds, otherLineMachineId };
  } finally {
    await client.end();
  }
}

/** A user of `role` on `siteIds`, as the request context a service receives. */
export async function contextOf(h: Harness, role: string, siteIds: number[]): Promise<RequestContext> {
  const user = await buildUser(h, { role, site_ids: siteIds });
  const actor = await h.server.modules.identity.authenticate({ authorization: `Bearer ${user.token}` });
  return { actor, requestId: `kpi-test-${role}`, clientIp: '127.0.0.1', userAgent: undefined };
}
