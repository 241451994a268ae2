/**
 * One machine's stops and repairs from the plant's start to its end. Operating time between stops is
 * exponential (a Poisson process of failures at 1/MTBF plus one of other stops); planned maintenance comes
 * every few weeks; durations are log-normal. Stops follow one another, so they never overlap, and only the
 * machines marked down at the end have one open stop.
 */
import { FAILURE_MEDIAN_MINUTES, FAILURE_REASONS, OTHER_STOPS, type FailureCategory } from './catalog.ts';
import type { DemoMachine, DemoPlant } from './generator.ts';
import { createRandom, subSeed, type Random } from './random.ts';
import { FAILURE_TEXTS, PLANNED_MAINTENANCE, STOP_COMMENTS, type FailureText } from './texts.ts';

export interface DemoDowntime {
  /** Epoch milliseconds. */
  start: number;
  end: number | null;
  planned: boolean;
  /** A downtime_reasons code; null for stops nobody has explained yet. */
  reason: string | null;
  comment: string | null;
  source: 'manual' | 'automatic';
  /** DemoUser key. */
  reportedBy: number | null;
}

export interface DemoRepair {
  /** Index of the stop in the history's `downtimes`. */
  downtime: number;
  type: 'scheduled' | 'unscheduled';
  status: 'open' | 'in_progress' | 'closed';
  start: number;
  end: number | null;
  description: string;
  failureCode: string | null;
  actions: string | null;
  cost: number | null;
  /** DemoUser keys; the first one records the repair. */
  technicians: number[];
  parts: { part: string; quantity: number }[];
}

export interface MachineHistory {
  machine: DemoMachine;
  downtimes: DemoDowntime[];
  repairs: DemoRepair[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Mean operating hours between stops that are not failures (changeovers, material, people, breaks). */
const OTHER_STOP_MEAN_HOURS = 26;
const REPAIRED_SHARE = 0.6;
const LABOUR_RATE = 65;
const FAILURE_SIGMA = 0.85;

export function machineHistory(plant: DemoPlant, machine: DemoMachine): MachineHistory {
  const random = createRandom(subSeed(plant.options.seed, 2, machine.key));
  const people = plant.users.filter((user) => user.siteKey === machine.siteKey);
  const technicians = people.filter((user) => user.role === 'technician');
  const operators = people.filter((user) => user.role === 'operator');
  const endMs = plant.options.end.getTime();
  const stopAt = machine.openStop ? endMs - random.between(10, 150) * MIN : endMs;
  const maintenanceEvery = { A: 21, B: 28, C: 42 }[machine.criticality] * DAY;

  const failureRate = 1 / (machine.mtbfHours * HOUR);
  const otherRate = 1 / (OTHER_STOP_MEAN_HOURS * HOUR * random.between(0.8, 1.25));
  const meanGap = 1 / (failureRate + otherRate);
  const failureShare = failureRate / (failureRate + otherRate);

  const downtimes: DemoDowntime[] = [];
  const repairs: DemoRepair[] = [];
  const reporter = (): Pick<DemoDowntime, 'source' | 'reportedBy'> =>
    machine.template.automatic && random.chance(0.7)
      ? { source: 'automatic', reportedBy: null }
      : { source: 'manual', reportedBy: operators.length > 0 ? random.pick(operators).key : null };
  const comment = (reason: string | null) => {
    const options = reason ? STOP_COMMENTS[reason] : undefined;
    return options && random.chance(0.12) ? random.pick(options) : null;
  };
  const add = (stop: DemoDowntime, category: FailureCategory | 'planned' | null) => {
    downtimes.push(stop);
    if (category === 'planned') repairs.push(repair(stop, downtimes.length - 1, null, PLANNED_MAINTENANCE));
    else if (category && stop.reason && random.chance(REPAIRED_SHARE)) {
      const codes = FAILURE_REASONS[category].find((entry) => entry.reason === stop.reason)?.codes ?? [];
      const code = random.pick(codes);
      repairs.push(repair(stop, downtimes.length - 1, code, FAILURE_TEXTS[code]!));
    }
  };
  const repair = (stop: DemoDowntime, index: number, code: string | null, text: FailureText): DemoRepair => {
    const crew = random.chance(0.3) ? 2 : 1;
    const team = pickDistinct(random, technicians, crew).map((user) => user.key);
    const start = Math.min(stop.start + random.between(2, 20) * MIN, (stop.end ?? endMs) - MIN);
    const recent = stop.end !== null && stop.end > endMs - 3 * DAY && random.chance(0.3);
    const base = {
      downtime: index,
      type: code ? ('unscheduled' as const) : ('scheduled' as const),
      start: Math.max(stop.start, start),
      description: random.pick(text.descriptions),
      failureCode: code,
      technicians: team,
    };
    if (stop.end === null || recent) {
      const status = stop.end === null || random.chance(0.6) ? 'in_progress' : 'open';
      return { ...base, status, end: null, actions: null, cost: null, parts: [] };
    }
    const parts = pickDistinct(random, text.parts, Number(random.weighted({ 0: 3, 1: 4, 2: 2, 3: 1 }))).map(
      (part) => ({ part: part.name, price: part.price, quantity: quantityOf(random, part.name) }),
    );
    const hours = (stop.end - base.start) / HOUR;
    const cost = hours * team.length * LABOUR_RATE + parts.reduce((sum, p) => sum + p.price * p.quantity, 0);
    return {
      ...base,
      status: 'closed',
      end: stop.end,
      actions: random.pick(text.actions),
      cost: Math.round(cost * 100) / 100,
      parts: parts.map(({ part, quantity }) => ({ part, quantity })),
    };
  };

  let t = plant.start.getTime();
  let nextMaintenance = t + random.between(0, maintenanceEvery);
  for (;;) {
    const candidate = t + random.exponential(meanGap);
    if (nextMaintenance <= candidate) {
      const start = Math.max(nextMaintenance, t + random.between(30, 240) * MIN);
      const end = start + clamp(random.logNormal(180, 0.3), 60, 480) * MIN;
      nextMaintenance = start + maintenanceEvery * random.between(0.9, 1.1);
      if (end > stopAt) break;
      add(
        { start, end, planned: true, reason: 'PLANNED_MAINTENANCE', comment: null, ...reporter() },
        'planned',
      );
      t = end;
      continue;
    }
    const start = candidate;
    let stop: DemoDowntime;
    let category: FailureCategory | null = null;
    if (random.chance(failureShare)) {
      category = random.weighted(machine.template.failureMix);
      const reason = random.pick(FAILURE_REASONS[category]).reason;
      const minutes = clamp(random.logNormal(FAILURE_MEDIAN_MINUTES[category], FAILURE_SIGMA), 4, 480);
      stop = { start, end: start + minutes * MIN, planned: false, reason, comment: null, ...reporter() };
    } else {
      const reason = random.weighted(
        Object.fromEntries(Object.entries(OTHER_STOPS).map(([k, v]) => [k, v.weight])),
      );
      const shape = OTHER_STOPS[reason]!;
      const minutes = clamp(random.logNormal(shape.median, shape.sigma), 3, 480);
      stop = {
        start,
        end: start + minutes * MIN,
        planned: shape.planned,
        reason,
        comment: null,
        ...reporter(),
      };
    }
    if (stop.end! > stopAt) break;
    // Recent stops wait in the unexplained queue more often than old ones.
    if (!stop.planned && random.chance(start > endMs - 7 * DAY ? 0.25 : 0.004)) stop.reason = null;
    stop.comment = comment(stop.reason);
    add(stop, category);
    t = stop.end!;
  }

  if (machine.openStop) {
    const planned = machine.openStop === 'planned';
    const category = planned ? 'planned' : random.weighted(machine.template.failureMix);
    const reason = planned
      ? 'PLANNED_MAINTENANCE'
      : random.chance(0.5)
        ? null
        : random.pick(FAILURE_REASONS[category as FailureCategory]).reason;
    add({ start: stopAt, end: null, planned, reason, comment: comment(reason), ...reporter() }, category);
  }
  return { machine, downtimes, repairs };
}

function pickDistinct<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0)
    picked.push(pool.splice(random.int(0, pool.length - 1), 1)[0]!);
  return picked;
}

function quantityOf(random: Random, part: string): number {
  return /\((litre|metre|cartridge)\)/.test(part) ? random.int(1, 8) : random.chance(0.8) ? 1 : 2;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
