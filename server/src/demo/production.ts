/**
 * The demo plant's production tracking, as plain data: every site's routes (a default one and one per
 * product that has its own), and for every line the work orders of the 30 days before `end` and the 7
 * after, each with the stages of its route, the operators assigned to them and the issues raised on them.
 *
 * Work orders are planned within the site's day, in its time zone (06:00–22:00 and Saturday mornings; moulding
 * lines round the clock, all week), 4–16 h each, one after the other with a changeover between. Their stages are worked in route order: each takes its planned
 * share of the window times the line's pace times a log-normal factor (a little faster than planned, as a
 * rule; much slower when an issue hits it). What has started by `end` has actual times, nothing after it
 * does: done stages before `end`, the one running at `end` in progress, the rest planned. A work order's
 * status and actual window follow its stages, as the production module keeps them.
 */
import { DateTime } from 'luxon';
import { spreadWindows } from '../modules/production/production.rules.ts';
import { DEFAULT_ROUTE, PRODUCTS, type ProductTemplate, type RouteStepTemplate } from './catalog.ts';
import type { DemoLine, DemoPlant, DemoUser } from './generator.ts';
import { createRandom, subSeed, type Random } from './random.ts';
import { ISSUE_TEXTS, WORK_ORDER_REMARKS } from './texts.ts';

export type StageStatus = 'planned' | 'in_progress' | 'done';
export type IssueType = keyof typeof ISSUE_TEXTS;
export type IssueStatus = 'open' | 'acknowledged' | 'resolved';

export interface DemoRoute {
  siteKey: number;
  /** null: the site's default route. */
  productCode: string | null;
  name: string;
  steps: { stageName: string; weight: number }[];
}

/** Times are epoch milliseconds (whole seconds); people are DemoUser keys, machines DemoMachine keys. */
export interface DemoIssue {
  type: IssueType;
  description: string;
  status: IssueStatus;
  machineKey: number | null;
  createdBy: number | null;
  createdAt: number;
  acknowledgedBy: number | null;
  acknowledgedAt: number | null;
  resolvedBy: number | null;
  resolvedAt: number | null;
  resolutionNote: string | null;
}

export interface DemoStage {
  /** 1, 2, … in route order. */
  position: number;
  stageName: string;
  machineKey: number | null;
  plannedStart: number;
  plannedEnd: number;
  actualStart: number | null;
  actualEnd: number | null;
  status: StageStatus;
  startedBy: number | null;
  finishedBy: number | null;
  /** The operators assigned to the stage (empty for some stages more than two days ahead). */
  assignees: number[];
  assignedBy: number | null;
  assignedAt: number;
  issues: DemoIssue[];
}

export interface DemoWorkOrder {
  siteKey: number;
  lineKey: number;
  productCode: string;
  lotNo: string;
  qty: number;
  plannedStart: number;
  plannedEnd: number;
  status: StageStatus;
  actualStart: number | null;
  actualEnd: number | null;
  notes: string;
  createdBy: number | null;
  createdAt: number;
  updatedAt: number;
  stages: DemoStage[];
}

export interface DemoProduction {
  routes: DemoRoute[];
  workOrders: DemoWorkOrder[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
export const PRODUCTION_PAST_DAYS = 30;
export const PRODUCTION_FUTURE_DAYS = 7;
/** The site's working day, in its time zone: two shifts; moulding runs three, all week. */
const DAY_OPENS = 6;
const DAY_CLOSES = 22;
const MIN_HOURS = 4;
const MAX_HOURS = 16;
/** Share of stages an operator raises an issue on. */
const ISSUE_SHARE = 0.07;
/** Issue types on a stage with a machine, and on one without (no breakdown without a machine). */
const MACHINE_ISSUES = {
  machine_breakdown: 4,
  tooling_problem: 2,
  material_shortage: 2,
  quality_problem: 2,
  other: 1,
} as const;
const HANDWORK_ISSUES = { material_shortage: 4, quality_problem: 4, tooling_problem: 1, other: 2 } as const;
/** How much longer a stage takes when the issue hits it. */
const ISSUE_SLOWDOWN: Record<IssueType, [number, number]> = {
  machine_breakdown: [1.2, 1.9],
  material_shortage: [1.15, 1.7],
  tooling_problem: [1.1, 1.6],
  quality_problem: [1.05, 1.4],
  other: [1, 1.3],
};

export function generateProduction(plant: DemoPlant): DemoProduction {
  return {
    routes: plant.sites.flatMap((site) => siteRoutes(plant, site.key)),
    workOrders: plant.lines.flatMap((line) => lineWorkOrders(plant, line)),
  };
}

/** The site's default route, then the own route of every product its lines make that has one. */
function siteRoutes(plant: DemoPlant, siteKey: number): DemoRoute[] {
  const steps = (route: readonly RouteStepTemplate[]) =>
    route.map((step) => ({ stageName: step.stage, weight: step.weight }));
  const routes: DemoRoute[] = [
    { siteKey, productCode: null, name: DEFAULT_ROUTE.name, steps: steps(DEFAULT_ROUTE.steps) },
  ];
  const seen = new Set<string>();
  for (const line of plant.lines.filter((l) => l.siteKey === siteKey)) {
    for (const product of PRODUCTS[line.kind]) {
      if (!product.route || seen.has(product.code)) continue;
      seen.add(product.code);
      routes.push({
        siteKey,
        productCode: product.code,
        name: `${product.name} (${product.code})`,
        steps: steps(product.route),
      });
    }
  }
  return routes;
}

function lineWorkOrders(plant: DemoPlant, line: DemoLine): DemoWorkOrder[] {
  const random = createRandom(subSeed(plant.options.seed, 3, line.key));
  const zone = plant.sites[line.siteKey]!.timeZone;
  const people = plant.users.filter((user) => user.siteKey === line.siteKey);
  const operators = people.filter((user) => user.role === 'operator');
  const planners = people.filter((user) => user.role === 'planner');
  const deciders = [...planners, ...people.filter((user) => user.role === 'manager')];
  const endMs = plant.options.end.getTime();
  const from = endMs - PRODUCTION_PAST_DAYS * DAY;
  const to = endMs + PRODUCTION_FUTURE_DAYS * DAY;
  // Moulding runs round the clock all week; the other lines work two shifts, Saturday mornings, not Sunday.
  const roundTheClock = line.kind === 'IM';
  // The line's own pace against the plan: some lines are planned tighter than others.
  const pace = random.between(0.95, 1.05);
  const context: OrderContext = {
    plant,
    line,
    random,
    endMs,
    pace,
    operators,
    planners: planners.length > 0 ? planners : deciders,
    deciders,
    machines: plant.machines.filter((machine) => machine.lineKey === line.key),
  };

  const orders: DemoWorkOrder[] = [];
  const products = PRODUCTS[line.kind];
  let product = random.pick(products);
  for (
    let day = DateTime.fromMillis(from, { zone }).startOf('day');
    day.toMillis() < to;
    day = day.plus({ days: 1 })
  ) {
    if (!roundTheClock && day.weekday === 7) continue;
    const saturday = !roundTheClock && day.weekday === 6;
    const opens = roundTheClock ? day : day.set({ hour: DAY_OPENS });
    const closes = (roundTheClock ? day.plus({ days: 1 }) : day.set({ hour: DAY_CLOSES })).toMillis();
    let cursor = opens.toMillis() + 15 * MIN * random.int(0, 2);
    for (let n = 1; closes - cursor >= MIN_HOURS * HOUR; n += 1) {
      const room = Math.min(closes - cursor, (saturday ? 8 : MAX_HOURS) * HOUR) / HOUR;
      const hours = Math.max(
        MIN_HOURS,
        Math.floor(clamp(random.logNormal(8, 0.35), MIN_HOURS, room) * 4) / 4,
      );
      // Campaigns: the line often runs the same product again.
      if (!random.chance(0.45)) product = random.pick(products);
      const start = cursor;
      const end = start + hours * HOUR;
      const lotNo = `L${day.toFormat('yyMMdd')}-${line.code.replace('-', '')}-${n}`;
      const order = workOrder(context, product, lotNo, start, end, hours);
      if (start >= from && start < to) orders.push(order);
      if (saturday) break;
      cursor = end + 15 * MIN * random.int(1, 3); // changeover
    }
  }
  return orders;
}

interface OrderContext {
  plant: DemoPlant;
  line: DemoLine;
  random: Random;
  endMs: number;
  pace: number;
  operators: DemoUser[];
  planners: DemoUser[];
  /** Who acknowledges and resolves issues: the planners and the manager. */
  deciders: DemoUser[];
  machines: DemoPlant['machines'];
}

function workOrder(
  context: OrderContext,
  product: ProductTemplate,
  lotNo: string,
  start: number,
  end: number,
  hours: number,
): DemoWorkOrder {
  const { plant, line, random, endMs } = context;
  const raw = hours * product.perHour * random.between(0.85, 1);
  const qty = clamp(raw >= 500 ? Math.round(raw / 50) * 50 : Math.round(raw / 10) * 10, 100, 5000);
  const planner = context.planners.length > 0 ? random.pick(context.planners).key : null;
  // Planned a few days ahead; orders for the coming week were planned in the last day or so.
  const createdAt = sec(
    Math.max(
      plant.start.getTime(),
      Math.min(start - random.between(1, 6) * DAY, endMs - random.between(0.25, 30) * HOUR),
    ),
  );
  const remark = random.chance(0.15) ? `; ${random.pick(WORK_ORDER_REMARKS)}` : '';
  const steps = product.route ?? DEFAULT_ROUTE.steps;
  const windows = spreadWindows(
    steps.map((step) => ({ stage_name: step.stage, weight: step.weight })),
    new Date(start),
    new Date(end),
  );

  // Mostly on time, now and then late (the previous order overran, material came late).
  const lateStart = random.chance(0.08) ? random.between(30, 120) : 0;
  let previousEnd: number | null = null;
  let waiting = false; // a stage is not finished: the ones after it have not started
  const stages = windows.map((window, index): DemoStage => {
    const step = steps[index]!;
    const plannedStart = window.planned_start.getTime();
    const plannedEnd = window.planned_end.getTime();
    const candidates = step.machine ? context.machines.filter((m) => m.template.prefix === step.machine) : [];
    const machine = candidates.length > 0 ? random.pick(candidates) : null;

    let actualStart: number;
    if (previousEnd === null)
      actualStart = plannedStart + (clamp(random.normal() * 10 + 3, -20, 45) + lateStart) * MIN;
    else if (previousEnd < plannedStart && random.chance(0.15))
      actualStart = Math.max(previousEnd, plannedStart + random.between(-5, 10) * MIN); // waits for its slot
    else actualStart = previousEnd + random.between(0.5, 3) * MIN; // handover
    actualStart = sec(actualStart);
    const issueType: IssueType | null = random.chance(ISSUE_SHARE)
      ? random.weighted<IssueType>(machine ? MACHINE_ISSUES : HANDWORK_ISSUES)
      : null;
    let factor = context.pace * random.logNormal(0.87, 0.13);
    if (issueType) factor *= random.between(...ISSUE_SLOWDOWN[issueType]);
    const actualEnd = sec(actualStart + Math.max(5 * MIN, (plannedEnd - plannedStart) * factor));

    const status: StageStatus =
      waiting || actualStart > endMs ? 'planned' : actualEnd > endMs ? 'in_progress' : 'done';
    waiting ||= status !== 'done';
    previousEnd = actualEnd;

    const crew =
      status === 'planned' && plannedStart > endMs + 2 * DAY && random.chance(0.4)
        ? []
        : pickDistinct(random, context.operators, random.chance(0.3) ? 2 : 1).map((user) => user.key);
    const started = status !== 'planned';
    const latest = Math.min(endMs, started ? actualStart : plannedStart);
    const assignedAt = sec(Math.max(createdAt, Math.min(createdAt + random.between(0.2, 20) * HOUR, latest)));
    const issues =
      issueType && started
        ? [issue(context, issueType, machine, crew, actualStart, Math.min(actualEnd, endMs))]
        : [];
    return {
      position: index + 1,
      stageName: step.stage,
      machineKey: machine?.key ?? null,
      plannedStart,
      plannedEnd,
      actualStart: started ? actualStart : null,
      actualEnd: status === 'done' ? actualEnd : null,
      status,
      startedBy: started ? (crew[0] ?? null) : null,
      finishedBy: status === 'done' ? (crew[crew.length - 1] ?? null) : null,
      assignees: crew,
      assignedBy: crew.length > 0 ? planner : null,
      assignedAt,
      issues,
    };
  });

  // In step with the stages, as the production module keeps it.
  const status: StageStatus = stages.every((s) => s.status === 'done')
    ? 'done'
    : stages.some((s) => s.status !== 'planned')
      ? 'in_progress'
      : 'planned';
  const starts = stages.flatMap((s) => (s.actualStart === null ? [] : [s.actualStart]));
  const ends = stages.flatMap((s) => (s.actualEnd === null ? [] : [s.actualEnd]));
  return {
    siteKey: line.siteKey,
    lineKey: line.key,
    productCode: product.code,
    lotNo,
    qty,
    plannedStart: start,
    plannedEnd: end,
    status,
    actualStart: starts.length > 0 ? Math.min(...starts) : null,
    actualEnd: status === 'done' ? Math.max(...ends) : null,
    notes: `${product.name}${remark}`,
    createdBy: planner,
    createdAt,
    updatedAt: Math.max(createdAt, ...starts, ...ends),
    stages,
  };
}

/** An issue raised by one of the stage's operators while it ran; acknowledged and resolved as time allowed. */
function issue(
  context: OrderContext,
  type: IssueType,
  machine: DemoPlant['machines'][number] | null,
  crew: number[],
  from: number,
  until: number,
): DemoIssue {
  const { random, endMs } = context;
  const texts = ISSUE_TEXTS[type];
  const createdAt = sec(from + random.between(0.05, 0.7) * (until - from));
  const acknowledgedAt = sec(createdAt + clamp(random.logNormal(20, 0.7), 2, 240) * MIN);
  const resolvedAt = sec(acknowledgedAt + clamp(random.logNormal(100, 0.8), 10, 24 * 60) * MIN);
  let status: IssueStatus =
    resolvedAt <= endMs ? 'resolved' : acknowledgedAt <= endMs ? 'acknowledged' : 'open';
  // Recent issues linger now and then: nobody has looked yet, or the fix is still to come.
  if (createdAt > endMs - 3 * DAY) {
    const roll = random.next();
    if (roll < 0.25) status = 'open';
    else if (roll < 0.6 && status === 'resolved') status = 'acknowledged';
  }
  const acknowledgedBy = context.deciders.length > 0 ? random.pick(context.deciders).key : null;
  const resolvedBy =
    context.deciders.length > 0 && random.chance(0.3) ? random.pick(context.deciders).key : acknowledgedBy;
  const reporter =
    crew.length > 0
      ? random.pick(crew)
      : context.operators.length > 0
        ? random.pick(context.operators).key
        : null;
  const withMachine = type === 'machine_breakdown' || type === 'tooling_problem';
  return {
    type,
    description: random.pick(texts.descriptions).replace('{machine}', machine?.code ?? 'the machine'),
    status,
    machineKey: withMachine ? (machine?.key ?? null) : null,
    createdBy: reporter,
    createdAt,
    acknowledgedBy: status === 'open' ? null : acknowledgedBy,
    acknowledgedAt: status === 'open' ? null : acknowledgedAt,
    resolvedBy: status === 'resolved' ? resolvedBy : null,
    resolvedAt: status === 'resolved' ? resolvedAt : null,
    resolutionNote: status === 'resolved' ? random.pick(texts.resolutions) : null,
  };
}

function pickDistinct<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0)
    picked.push(pool.splice(random.int(0, pool.length - 1), 1)[0]!);
  return picked;
}

/** Whole seconds, as a clock stamps them; rounded down, so nothing moves past `end`. */
function sec(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
