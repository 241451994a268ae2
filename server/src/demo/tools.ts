/**
 * Demo tools: about ten moulds and other tools per site, half of them mounted on a machine, each with
 * weekly counter readings (a counter reset now and then) whose deltas come from the tools module's own
 * rule, so totals, life used and the shots chart look like a real toolroom's.
 */
import type pg from 'pg';
import { computeDeltas, type DeltaInput } from '../modules/tools/index.ts';
import type { DemoPlant } from './generator.ts';
import { createRandom, subSeed } from './random.ts';
import type { SeedCounts } from './seed-batch.ts';

const KINDS = ['mould', 'mould', 'mould', 'mould', 'die', 'fixture', 'gauge', 'jig', 'cutting_tool', 'mould'];
const NAMES: Record<string, string[]> = {
  mould: ['Cap mould 4-cavity', 'Housing mould', 'Bezel mould 2-cavity', 'Clip mould 8-cavity', 'Lid mould'],
  die: ['Bracket stamping die'],
  fixture: ['Welding fixture'],
  gauge: ['Go/no-go gauge'],
  jig: ['Drilling jig'],
  cutting_tool: ['Trim cutter'],
};
const MAKERS = ['Hasco', 'Meusburger', 'DME', 'Toolcraft', 'Husky'];
const DAY_MS = 86_400_000;

export async function writeTools(
  client: pg.Client,
  plant: DemoPlant,
  ids: { siteIds: number[]; machineIds: number[] },
  counts: SeedCounts,
): Promise<void> {
  const random = createRandom(subSeed(plant.options.seed, 6006));
  const end = plant.options.end.getTime();
  let tools = 0;
  let readings = 0;
  for (const site of plant.sites) {
    const siteId = ids.siteIds[site.key];
    if (siteId === undefined) continue;
    const machines = plant.machines.filter((machine) => machine.siteKey === site.key);
    for (let n = 0; n < 10; n += 1) {
      const kind = KINDS[n % KINDS.length] ?? 'mould';
      const name = random.pick(NAMES[kind] ?? ['Tool']);
      const counterMax = kind === 'mould' ? 999_999 : null;
      const perDay = kind === 'mould' ? random.int(800, 6000) : random.int(20, 300);
      const weeks = random.int(8, 26);
      const lifeLimit = kind === 'mould' ? random.pick([250_000, 500_000, 1_000_000]) : null;
      // Weekly counter readings; now and then the counter is reset after maintenance.
      const rows: (DeltaInput & { note: string | null })[] = [];
      let counter = random.int(0, 40_000);
      for (let week = weeks; week >= 0; week -= 1) {
        const reset = week < weeks && random.chance(0.05);
        counter = reset ? random.int(0, 500) : counter + Math.round(perDay * 7 * random.between(0.6, 1.2));
        if (counterMax !== null && counter > counterMax) counter -= counterMax + 1;
        rows.push({
          id: rows.length + 1,
          taken_at: new Date(end - week * 7 * DAY_MS - random.int(0, 8) * 3600_000),
          kind: 'counter',
          counter_value: counter,
          shots: null,
          note: reset ? 'Counter reset after maintenance' : null,
        });
      }
      const deltas = computeDeltas(rows, { start: 'zero', counter_max: counterMax });
      const total = deltas.reduce((sum, result) => sum + result.delta, 0);
      const status = lifeLimit !== null && total > lifeLimit ? 'maintenance' : 'active';
      const { rows: inserted } = await client.query<{ id: number }>(
        `insert into tools (site_id, asset_number, name, kind, manufacturer, cavity_count, status, storage_location,
           life_limit_shots, counter_max, total_shots, last_reading_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id`,
        [
          siteId,
          `${site.code}-T${String(n + 1).padStart(3, '0')}`,
          name,
          kind,
          random.pick(MAKERS),
          kind === 'mould' ? random.pick([1, 2, 4, 8]) : 1,
          status,
          `Rack ${String.fromCharCode(65 + (n % 4))}${1 + (n % 5)}`,
          lifeLimit,
          counterMax,
          total,
          rows.at(-1)?.taken_at ?? null,
          new Date(end - (weeks + 1) * 7 * DAY_MS),
        ],
      );
      const toolId = inserted[0]?.id;
      if (toolId === undefined) continue;
      tools += 1;
      const byId = new Map(deltas.map((result) => [result.id, result]));
      await client.query(
        `insert into tool_shot_readings (tool_id, site_id, taken_at, source, kind, counter_value, delta, is_reset, note)
         select $1, $2, taken_at, 'manual', 'counter', counter_value, delta, is_reset, note
           from unnest($3::timestamptz[], $4::bigint[], $5::bigint[], $6::boolean[], $7::text[])
             as u (taken_at, counter_value, delta, is_reset, note)`,
        [
          toolId,
          siteId,
          rows.map((row) => row.taken_at),
          rows.map((row) => row.counter_value),
          rows.map((row) => byId.get(row.id)?.delta ?? 0),
          rows.map((row) => byId.get(row.id)?.is_reset ?? false),
          rows.map((row) => row.note),
        ],
      );
      readings += rows.length;
      // Half the tools are on a machine now, one per machine.
      const machine = machines[n];
      const machineId = machine ? ids.machineIds[plant.machines.indexOf(machine)] : undefined;
      if (n % 2 === 0 && machineId !== undefined && status === 'active') {
        await client.query(
          `insert into tool_mountings (tool_id, site_id, machine_id, position, mounted_at) values ($1, $2, $3, 'main', $4)`,
          [toolId, siteId, machineId, new Date(end - random.int(1, 30) * DAY_MS)],
        );
      }
    }
  }
  counts.tools = tools;
  counts.tool_shot_readings = readings;
}
