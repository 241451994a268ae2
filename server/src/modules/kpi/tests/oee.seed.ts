import pg from 'pg';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  type MachineRecord,
  type SiteRecord,
} from '../../../../test/factories.ts';
import type { Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import { CALENDAR, local, OEE_EXAMPLE, type ExampleStop } from './oee.fixtures.ts';

/**
 * The OEE worked example of docs/kpis.md put in through the services: the shift calendar API, tools and
 * mountings API, the downtime API, the telemetry signal recorder (stale periods, counters) and test
 * results over POST /ingest. Ideal cycle times are set with SQL (their API is not the kpi module's).
 * Noise: a retired machine M9 of the line with output and a stop, an idle machine M3 on another line.
 */

const { M1, M2 } = OEE_EXAMPLE;

export interface SeededOee {
  site: SiteRecord;
  otherSite: SiteRecord;
  lineId: number;
  m1: MachineRecord;
  m2: MachineRecord;
  m3: MachineRecord;
  apiKey: string;
  toolIds: Record<string, number>;
}

export async function seedOeeExample(h: Harness): Promise<SeededOee> {
  const owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  const toolIds: Record<string, number> = {};
  async function ok(response: Promise<{ statusCode: number; body: string }>, status = 200) {
    const result = await response;
    if (result.statusCode !== status)
      throw new Error(`expected ${status}, got ${result.statusCode}: ${result.body}`);
    return JSON.parse(result.body) as Record<string, unknown>;
  }

  const admin = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object, status = 200) =>
    ok(h.request({ method, url, token: h.adminToken, payload }), status);

  const signals = () => h.server.modules.telemetry.signals;

  async function recordCounts(
    machine: MachineRecord,
    counts: readonly (readonly [Date, number, number | null, number | null])[],
  ) {
    for (const [at, cycle, good, reject] of counts) {
      const values = { cycle, good, reject } as const;
      for (const kind of ['cycle', 'good', 'reject'] as const) {
        const counter_value = values[kind];
        if (counter_value === null) continue;
        await h.db.transaction(SYSTEM_SCOPE, (tx) =>
          signals().recordCount(tx, {
            machine_id: machine.id,
            site_id: machine.site_id,
            kind,
            counter_value,
            source: 'opcua',
            at,
          }),
        );
      }
    }
  }

  async function recordStops(
    machine: MachineRecord,
    stops: readonly ExampleStop[],
    reasons: Map<string, number>,
  ) {
    for (const stop of stops) {
      await admin(
        'POST',
        '/downtimes',
        {
          machine_id: machine.id,
          start_datetime: stop.start.toISOString(),
          ...(stop.end ? { end_datetime: stop.end.toISOString() } : {}),
          planned: stop.planned,
          reason_id: stop.reason === null ? null : reasons.get(stop.reason),
        },
        201,
      );
    }
  }

  async function ingestVerdicts(machine: MachineRecord, apiKey: string) {
    const { Early, Late, outside } = M2.verdicts;
    const results = [Early, Late].flatMap((part, p) =>
      [...Array(part.pass + part.fail + part.no_limit).keys()].map((i) => ({
        barcode: `U-${p}-${i}`,
        machine_id: machine.code,
        product_id: 'CAP-1',
        // PASS inside 0…10, FAIL above; NO_LIMIT: a step without limits.
        test_step: i < part.pass + part.fail ? 'leak' : 'visual',
        measured_value: i < part.pass ? 5 : 20,
        timestamp: new Date(part.from.getTime() + i * 5 * 60_000).toISOString(),
      })),
    );
    results.push({ ...results[0]!, barcode: 'U-late', measured_value: 20, timestamp: outside.toISOString() });
    await ok(
      h.request({ method: 'POST', url: '/ingest', headers: { 'x-api-key': apiKey }, payload: results }),
      202,
    );
  }

  try {
    const site = await buildSite(h, { time_zone: OEE_EXAMPLE.timeZone });
    const otherSite = await buildSite(h);
    await admin('PUT', `/sites/${site.id}/shift-calendar`, CALENDAR);
    const lineId = (await buildLine(h, site.id)).id;
    const [m1, m2] = [
      await buildMachine(h, lineId, { code: 'M1' }),
      await buildMachine(h, lineId, { code: 'M2' }),
    ];
    // Noise: a retired machine of the line with output, and an idle machine on another line.
    const retired = await buildMachine(h, lineId, { code: 'M9' });
    const m3 = await buildMachine(h, (await buildLine(h, site.id)).id, { code: 'M3' });
    const apiKey = (await buildApiKey(h, site.id)).key;

    // Ideal cycle times (set here with SQL: the API that sets them is not this module's). The example's
    // counters report every few hours, so automatic downtime's no-cycle rule (no cycle for factor ×
    // ideal time) is set out of reach: the example's stops are the ones recorded below.
    await owner.query('update machines set no_cycle_factor = 1000 where id = any($1)', [[m1.id, m2.id]]);
    await owner.query('update machines set ideal_cycle_seconds = $2 where id = $1', [
      m1.id,
      M1.ideal_cycle_seconds,
    ]);
    await owner.query('update machines set ideal_cycle_seconds = $2 where id = $1', [
      m2.id,
      M2.ideal_cycle_seconds,
    ]);
    for (const tool of M1.tools) {
      const created = await admin(
        'POST',
        '/tools',
        { site_id: site.id, asset_number: tool.code, name: `Mould ${tool.code}` },
        201,
      );
      toolIds[tool.code] = created.id as number;
      await owner.query('update tools set ideal_cycle_seconds = $2 where id = $1', [created.id, tool.ideal]);
      await admin(
        'POST',
        `/tools/${created.id}/mount`,
        { machine_id: m1.id, at: tool.mounted.toISOString() },
        201,
      );
      if (tool.removed)
        await admin('POST', `/tools/${created.id}/unmount`, { at: tool.removed.toISOString() });
    }

    const reasons = new Map(
      (
        (await ok(
          h.request({ method: 'GET', url: '/catalog/downtime-reasons', token: h.adminToken }),
        )) as unknown as {
          id: number;
          code: string;
        }[]
      ).map((r) => [r.code, r.id]),
    );
    await recordStops(m1, M1.stops, reasons);
    await recordStops(m2, M2.stops, reasons);
    for (const stale of M1.stale) {
      const ref = { machine_id: m1.id, site_id: m1.site_id, source: 'opcua' as const };
      await h.db.transaction(SYSTEM_SCOPE, (tx) =>
        signals().markStale(tx, { ...ref, reason: stale.reason, at: stale.start }),
      );
      await h.db.transaction(SYSTEM_SCOPE, (tx) => signals().markFresh(tx, { ...ref, at: stale.end }));
    }
    await recordCounts(m1, M1.counts);
    await recordCounts(m2, M2.counts);
    await admin(
      'POST',
      '/quality/limits',
      {
        site_id: site.id,
        product_id: 'CAP-1',
        test_step: 'leak',
        lower_limit: 0,
        upper_limit: 10,
        effective_from: '2025-01-01T00:00:00Z',
      },
      201,
    );
    await ingestVerdicts(m2, apiKey);

    await recordCounts(retired, [
      [local('2025-03-03T07:00'), 0, null, null],
      [local('2025-03-03T08:00'), 900, null, null],
    ]);
    await admin(
      'POST',
      '/downtimes',
      {
        machine_id: retired.id,
        start_datetime: local('2025-03-03T09:00').toISOString(),
        end_datetime: local('2025-03-03T10:00').toISOString(),
      },
      201,
    );
    await admin('PATCH', `/machines/${retired.id}`, { is_active: false });
    return { site, otherSite, lineId, m1, m2, m3, apiKey, toolIds };
  } finally {
    await owner.end();
  }
}
