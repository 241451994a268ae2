/**
 * Demo machine signals: the last day of each machine's state timeline, cycle / good / reject counters
 * and the last six hours of two sensor readings (with their 1-minute and 1-hour rollups), so the machine
 * board, the machine page charts and OEE show a working plant. The stops come from the demo history's
 * own downtimes, so the timeline, the downtime list and availability agree; between them the machines
 * run with a few micro-stops. One machine per site has lost its OPC-UA connection (stale) and one has an
 * unexplained automatic stop waiting in the operators' queue.
 */
import type pg from 'pg';
import type { LineKind } from './catalog.ts';
import type { DemoPlant } from './generator.ts';
import { createRandom, subSeed } from './random.ts';
import type { SeedCounts } from './seed-batch.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TIMELINE_MS = 24 * HOUR;
const READINGS_MS = 6 * HOUR;
const COUNT_STEP_MS = 5 * MINUTE;

/** Ideal cycle time per line kind, seconds; the sensors each kind has: [type, unit, typical, spread]. */
const KIND_PROFILE: Record<LineKind, { cycle: number; sensors: [string, string, number, number][] }> = {
  IM: {
    cycle: 30,
    sensors: [
      ['melt_temperature', '°C', 235, 4],
      ['injection_pressure', 'bar', 1150, 40],
    ],
  },
  ASM: {
    cycle: 45,
    sensors: [
      ['air_pressure', 'bar', 6.2, 0.15],
      ['motor_current', 'A', 7.5, 0.6],
    ],
  },
  CNC: {
    cycle: 120,
    sensors: [
      ['spindle_load', '%', 55, 8],
      ['coolant_temperature', '°C', 24, 1.2],
    ],
  },
  PKG: {
    cycle: 6,
    sensors: [
      ['seal_temperature', '°C', 180, 3],
      ['line_speed', 'm/min', 42, 2],
    ],
  },
  PRS: {
    cycle: 4,
    sensors: [
      ['hydraulic_pressure', 'bar', 210, 6],
      ['oil_temperature', '°C', 48, 1.5],
    ],
  },
  WLD: {
    cycle: 60,
    sensors: [
      ['weld_current', 'A', 180, 9],
      ['gas_flow', 'l/min', 14, 0.7],
    ],
  },
};

interface Period {
  state: string;
  start: number;
  end: number | null;
}

export async function writeSignals(
  client: pg.Client,
  plant: DemoPlant,
  ids: { siteIds: number[]; machineIds: number[] },
  counts: SeedCounts,
): Promise<void> {
  const random = createRandom(subSeed(plant.options.seed, 7007));
  const end = plant.options.end.getTime();
  const from = end - TIMELINE_MS;
  const states: { machine: number; site: number; state: string; start: number; end: number | null }[] = [];
  const counters: {
    machine: number;
    site: number;
    kind: string;
    value: number;
    delta: number;
    at: number;
  }[] = [];
  const readings: { machine: number; site: number; type: string; unit: string; value: number; at: number }[] =
    [];
  const stale: { machine: number; site: number; start: number }[] = [];
  const automatic: { machine: number; site: number; start: number }[] = [];
  const staleSites = new Set<number>();
  const queueSites = new Set<number>();

  for (const [index, machine] of plant.machines.entries()) {
    const machineId = ids.machineIds[index];
    const siteId = ids.siteIds[machine.siteKey];
    const line = plant.lines[machine.lineKey];
    if (machineId === undefined || siteId === undefined || !line) continue;
    const profile = KIND_PROFILE[line.kind];
    await client.query('update machines set ideal_cycle_seconds = $2 where id = $1', [
      machineId,
      profile.cycle,
    ]);

    // The history's stops in the last day become stopped or fault periods.
    const { rows: stops } = await client.query<{ start_at: Date; end_at: Date | null; failure: boolean }>(
      `select d.start_at, d.end_at, coalesce(c.is_failure and not d.planned, false) as failure
         from downtimes d
         left join downtime_reasons r on r.id = d.reason_id
         left join downtime_categories c on c.id = r.category_id
        where d.machine_id = $1 and (d.end_at is null or d.end_at > $2) and d.start_at < $3
        order by d.start_at`,
      [machineId, new Date(from), new Date(end)],
    );
    const periods: Period[] = [];
    let cursor = from;
    const run = (until: number) => {
      // Running, with a micro-stop now and then (shorter than the 120 s stop threshold).
      while (cursor < until) {
        const next = Math.min(until, cursor + random.int(20, 90) * MINUTE);
        periods.push({ state: 'running', start: cursor, end: next });
        cursor = next;
        if (cursor < until - 5 * MINUTE && random.chance(0.5)) {
          const micro = Math.min(until, cursor + random.int(20, 100) * 1000);
          periods.push({ state: 'stopped', start: cursor, end: micro });
          cursor = micro;
        }
      }
    };
    for (const stop of stops) {
      const start = Math.max(from, stop.start_at.getTime());
      const stopEnd = stop.end_at ? Math.min(end, stop.end_at.getTime()) : null;
      if (start > cursor) run(start);
      periods.push({
        state: stop.failure ? 'fault' : 'stopped',
        start: Math.max(cursor, start),
        end: stopEnd,
      });
      cursor = stopEnd ?? end;
    }
    // One machine per site stopped 40 minutes ago without anyone saying why: the queue has work.
    const open = periods.at(-1)?.end === null;
    if (!open && !queueSites.has(siteId) && cursor < end - 2 * HOUR) {
      queueSites.add(siteId);
      run(end - 40 * MINUTE);
      periods.push({ state: 'stopped', start: cursor, end: null });
      automatic.push({ machine: machineId, site: siteId, start: cursor });
      cursor = end;
    }
    if (cursor < end) run(end);
    const last = periods.at(-1);
    if (last && last.end === end) last.end = null;
    for (const period of periods) states.push({ machine: machineId, site: siteId, ...period });

    // Counters every five minutes from the running time in between, about 85 % of the ideal rate.
    let cycles = random.int(10_000, 900_000);
    let good = Math.round(cycles * 0.97);
    let reject = cycles - good;
    for (let at = from; at <= end; at += COUNT_STEP_MS) {
      const running = periods.reduce((sum, period) => {
        if (period.state !== 'running') return sum;
        const overlap = Math.min(period.end ?? end, at) - Math.max(period.start, at - COUNT_STEP_MS);
        return sum + Math.max(0, overlap);
      }, 0);
      const made =
        at === from ? 0 : Math.round((running / 1000 / profile.cycle) * random.between(0.78, 0.92));
      const bad = Math.round(made * random.between(0.005, 0.03));
      cycles += made;
      good += made - bad;
      reject += bad;
      counters.push({ machine: machineId, site: siteId, kind: 'cycle', value: cycles, delta: made, at });
      counters.push({ machine: machineId, site: siteId, kind: 'good', value: good, delta: made - bad, at });
      counters.push({ machine: machineId, site: siteId, kind: 'reject', value: reject, delta: bad, at });
    }

    // One machine per site went silent 25 minutes ago: no readings since, its OPC-UA source is stale.
    const silent = !staleSites.has(siteId) && !automatic.some((a) => a.machine === machineId);
    if (silent) {
      staleSites.add(siteId);
      stale.push({ machine: machineId, site: siteId, start: end - 25 * MINUTE });
    }
    const readingsEnd = silent ? end - 25 * MINUTE : end;
    for (const [type, unit, typical, spread] of profile.sensors) {
      let drift = 0;
      for (let at = end - READINGS_MS; at <= readingsEnd; at += MINUTE) {
        drift = drift * 0.9 + random.between(-spread, spread) * 0.3;
        const value = Math.round((typical + drift + random.between(-spread, spread) * 0.5) * 100) / 100;
        readings.push({ machine: machineId, site: siteId, type, unit, value, at });
      }
    }
  }

  await client.query(
    `insert into machine_states (site_id, machine_id, state, raw_value, source, started_at, ended_at)
     select site_id, machine_id, state, state, 'opcua', to_timestamp(s / 1000), to_timestamp(e / 1000)
       from unnest($1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::float8[]) as u (site_id, machine_id, state, s, e)`,
    [
      states.map((s) => s.site),
      states.map((s) => s.machine),
      states.map((s) => s.state),
      states.map((s) => s.start),
      states.map((s) => s.end),
    ],
  );
  await client.query(
    `insert into machine_counts (site_id, machine_id, kind, counter_value, delta, at, source)
     select site_id, machine_id, kind, value, delta, to_timestamp(at / 1000), 'opcua'
       from unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::float8[])
         as u (site_id, machine_id, kind, value, delta, at)`,
    [
      counters.map((c) => c.site),
      counters.map((c) => c.machine),
      counters.map((c) => c.kind),
      counters.map((c) => c.value),
      counters.map((c) => c.delta),
      counters.map((c) => c.at),
    ],
  );
  // The months the readings fall in need their partitions before the insert.
  await client.query('select hom_ensure_machine_readings_partition($1)', [new Date(end - READINGS_MS)]);
  await client.query('select hom_ensure_machine_readings_partition($1)', [new Date(end)]);
  await client.query(
    `insert into machine_readings (site_id, machine_id, reading_type, value, unit, recorded_at)
     select site_id, machine_id, reading_type, value, unit, to_timestamp(at / 1000)
       from unnest($1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::text[], $6::float8[])
         as u (site_id, machine_id, reading_type, value, unit, at)`,
    [
      readings.map((r) => r.site),
      readings.map((r) => r.machine),
      readings.map((r) => r.type),
      readings.map((r) => r.value),
      readings.map((r) => r.unit),
      readings.map((r) => r.at),
    ],
  );
  for (const [table, unit] of [
    ['machine_readings_1m', 'minute'],
    ['machine_readings_1h', 'hour'],
  ] as const) {
    await client.query(
      `insert into ${table} (site_id, machine_id, reading_type, bucket, n, sum, min, max, first_at, last_value, last_at, unit)
       select site_id, machine_id, reading_type, date_trunc('${unit}', recorded_at), count(*), sum(value), min(value),
              max(value), min(recorded_at), (array_agg(value order by recorded_at desc))[1], max(recorded_at), max(unit)
         from machine_readings group by site_id, machine_id, reading_type, date_trunc('${unit}', recorded_at)`,
    );
  }
  for (const period of stale) {
    await client.query(
      `insert into machine_stale_periods (site_id, machine_id, source, reason, started_at)
       values ($1, $2, 'opcua', 'connection lost: no answer from the OPC-UA server', $3)`,
      [period.site, period.machine, new Date(period.start)],
    );
  }
  for (const stop of automatic) {
    await client.query(
      `insert into downtimes (site_id, machine_id, start_at, planned, source) values ($1, $2, $3, false, 'automatic')`,
      [stop.site, stop.machine, new Date(stop.start)],
    );
  }
  counts.machine_states = states.length;
  counts.machine_counts = counters.length;
  counts.machine_readings = readings.length;
}
