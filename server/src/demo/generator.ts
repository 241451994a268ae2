/**
 * The demo plant, generated deterministically from a seed: sites, lines, machines and people as plain
 * objects, and each machine's history of stops and repairs (history.ts) on demand, one machine at a time,
 * so that 500 machines × 5 years (about a million stops) never sit in memory at once.
 */
import {
  LINE_KINDS,
  LINE_KIND_ORDER,
  MACHINE_TEMPLATES,
  SITE_TEMPLATES,
  type Criticality,
  type LineKind,
  type MachineTemplate,
} from './catalog.ts';
import { machineHistory, type MachineHistory } from './history.ts';
import { createRandom, subSeed } from './random.ts';

export interface DemoOptions {
  seed: number;
  sites: number;
  linesPerSite: number;
  machines: number;
  /** Length of the history, ending at `end`. */
  years: number;
  end: Date;
}

/** The living demo of `npm start -- --demo`: 2 sites, 6 lines, 40 machines, a year. */
export const DEMO_DEFAULTS: Omit<DemoOptions, 'end'> = {
  seed: 20_260_101,
  sites: 2,
  linesPerSite: 3,
  machines: 40,
  years: 1,
};

export interface DemoSite {
  key: number;
  code: string;
  name: string;
  timeZone: string;
}

export interface DemoLine {
  key: number;
  siteKey: number;
  kind: LineKind;
  code: string;
  name: string;
  description: string;
}

export type OpenStop = 'failure' | 'planned' | null;

export interface DemoMachine {
  key: number;
  siteKey: number;
  lineKey: number;
  code: string;
  name: string;
  assetNumber: string;
  serialNumber: string;
  manufacturer: string;
  model: string;
  type: string;
  criticality: Criticality;
  commissionedOn: string;
  /** Mean operating hours between failures. */
  mtbfHours: number;
  /** Whether the machine is down at `end`, and why. */
  openStop: OpenStop;
  status: 'operational' | 'broken' | 'maintenance';
  template: MachineTemplate;
}

export type DemoRole = 'manager' | 'technician' | 'operator' | 'planner';

export interface DemoUser {
  key: number;
  siteKey: number;
  username: string;
  fullName: string;
  role: DemoRole;
}

export interface DemoPlant {
  options: DemoOptions;
  start: Date;
  sites: DemoSite[];
  lines: DemoLine[];
  machines: DemoMachine[];
  users: DemoUser[];
  /** Each machine's stops and repairs, generated when asked for (same seed, same history). */
  histories(): Generator<MachineHistory>;
}

const MS_PER_YEAR = 365.25 * 24 * 3600 * 1000;
/** Share of machines down at `end`: a few, so the dashboard shows something. */
const OPEN_SHARE = 0.075;

export function generatePlant(input: Partial<DemoOptions> = {}): DemoPlant {
  const options: DemoOptions = { ...DEMO_DEFAULTS, end: new Date(), ...input };
  if (options.sites < 1 || options.linesPerSite < 1 || options.machines < 1 || options.years <= 0)
    throw new Error('A demo plant needs at least one site, line and machine and a positive period');
  const random = createRandom(subSeed(options.seed, 1));
  const start = new Date(options.end.getTime() - options.years * MS_PER_YEAR);

  const sites: DemoSite[] = Array.from({ length: options.sites }, (_, key) => {
    const template = SITE_TEMPLATES[key % SITE_TEMPLATES.length]!;
    const round = Math.floor(key / SITE_TEMPLATES.length);
    const suffix = round === 0 ? '' : String(round + 1);
    return {
      key,
      code: `${template.code}${suffix}`,
      name: round === 0 ? template.name : `${template.name} ${round + 1}`,
      timeZone: template.timeZone,
    };
  });

  const lines: DemoLine[] = sites.flatMap((site) =>
    Array.from({ length: options.linesPerSite }, (_, index) => {
      const kind = LINE_KIND_ORDER[index % LINE_KIND_ORDER.length]!;
      const perKind = Math.ceil(options.linesPerSite / LINE_KIND_ORDER.length);
      const number = site.key * perKind + Math.floor(index / LINE_KIND_ORDER.length) + 1;
      return {
        key: site.key * options.linesPerSite + index,
        siteKey: site.key,
        kind,
        code: `${kind}-${number}`,
        name: `${LINE_KINDS[kind].name} ${number}`,
        description: LINE_KINDS[kind].description,
      };
    }),
  );

  const openEvery = Math.max(1, Math.round(1 / OPEN_SHARE));
  const placed = new Map<number, number>();
  const machines: DemoMachine[] = Array.from({ length: options.machines }, (_, key) => {
    const line = lines[key % lines.length]!;
    const position = placed.get(line.key) ?? 0;
    placed.set(line.key, position + 1);
    const templates = MACHINE_TEMPLATES[line.kind];
    const template = templates[position % templates.length]!;
    const criticality = random.weighted(template.criticality);
    const lineNumber = line.code.split('-')[1];
    // A machines fail less often (better kept), C machines more; each unit has its own luck.
    const care = criticality === 'A' ? 1.25 : criticality === 'C' ? 0.8 : 1;
    const mtbfHours = clamp(template.mtbfHours * care * random.logNormal(1, 0.2), 60, 250);
    // Every openEvery-th machine (from the third on) is down right now: mostly failures.
    const isOpen = key % openEvery === Math.min(2, options.machines - 1);
    const openStop: OpenStop = isOpen ? (random.chance(0.2) ? 'planned' : 'failure') : null;
    const model = random.pick(template.models);
    return {
      key,
      siteKey: line.siteKey,
      lineKey: line.key,
      code: `${template.prefix}-${lineNumber}${String(position + 1).padStart(2, '0')}`,
      name: `${template.type} ${template.manufacturer} ${model}`,
      assetNumber: `A-${String(100_000 + key * 37 + random.int(0, 36)).padStart(6, '0')}`,
      serialNumber: `${template.manufacturer.slice(0, 2).toUpperCase()}${random.int(1_000_000, 9_999_999)}`,
      manufacturer: template.manufacturer,
      model,
      type: template.type,
      criticality,
      commissionedOn: `${random.int(2008, 2023)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`,
      mtbfHours,
      openStop,
      status: openStop === 'failure' ? 'broken' : openStop === 'planned' ? 'maintenance' : 'operational',
      template,
    };
  });

  const users: DemoUser[] = sites.flatMap((site) => {
    const { people, planners } = SITE_TEMPLATES[site.key % SITE_TEMPLATES.length]!;
    const person = (stem: string, fullName: string, role: DemoRole): DemoUser => ({
      key: 0,
      siteKey: site.key,
      username: `demo.${stem}.${site.code.toLowerCase()}`,
      fullName,
      role,
    });
    // The planners come after the site's other people, so adding them left everyone else's role alone.
    return [
      ...people.map(([stem, fullName], index) =>
        person(
          stem,
          fullName,
          index === 0 ? 'manager' : index <= people.length / 2 ? 'technician' : 'operator',
        ),
      ),
      ...planners.map(([stem, fullName]) => person(stem, fullName, 'planner')),
    ];
  });
  users.forEach((user, key) => (user.key = key));

  const plant: DemoPlant = {
    options,
    start,
    sites,
    lines,
    machines,
    users,
    *histories() {
      for (const machine of machines) yield machineHistory(plant, machine);
    },
  };
  return plant;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
