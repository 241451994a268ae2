import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

export const STAGE_STATUSES = ['planned', 'in_progress', 'done'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];
export const WORK_ORDER_STATUSES = ['planned', 'in_progress', 'done'] as const;
export const ISSUE_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const INSTANT_HINT = 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00';
/** An ISO 8601 instant; one without an offset is read as UTC (never as the server's local time). */
const instant = z
  .string({ error: INSTANT_HINT })
  .max(40, INSTANT_HINT)
  .pipe(z.iso.datetime({ offset: true, local: true, error: INSTANT_HINT }))
  .transform((value) => new Date(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`));
const productCode = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_./-]{0,59}$/,
    '1–60 letters, digits or _ . / -, starting with a letter or digit',
  );
const stageName = z.string().trim().min(1, 'required').max(100);
const text = (max: number) => z.string().trim().max(max).nullable().optional();

export const woIdParam = z.object({ wo_id: id });
export const wosIdParam = z.object({ wos_id: id });
export const issueParams = z.object({ wos_id: id, issue_id: id });
export const assignmentParams = z.object({ wos_id: id, user_id: id });

function cursorOf<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, schema, ctx))
    .optional();
}
const limit = z.coerce.number().int().min(1).max(500).default(100);

// ---------- work orders ----------

const plannedStageInput = z.object({
  stage_name: stageName,
  planned_start: instant.optional(),
  planned_end: instant.optional(),
  machine_id: id.nullable().optional(),
});

export const createWorkOrderInput = z
  .object({
    product_code: productCode,
    lot_no: z.string().trim().min(1, 'required').max(60),
    qty: z.number().int('a whole number').positive('must be greater than 0').max(1_000_000_000),
    planned_start: instant,
    planned_end: instant,
    site_id: id.optional(),
    line_id: id.nullable().optional(),
    notes: text(4000),
    /** Stages to create instead of the product's route. */
    stages: z.array(plannedStageInput).min(1).max(50).optional(),
  })
  .refine(
    (wo) =>
      !(wo.planned_start instanceof Date && wo.planned_end instanceof Date) ||
      wo.planned_start < wo.planned_end,
    {
      message: 'must be after planned_start',
      path: ['planned_end'],
    },
  );
export type CreateWorkOrderInput = z.output<typeof createWorkOrderInput>;

export const updateWorkOrderInput = z
  .object({
    product_code: productCode.optional(),
    lot_no: z.string().trim().min(1, 'required').max(60).optional(),
    qty: z.coerce
      .number()
      .int('a whole number')
      .positive('must be greater than 0')
      .max(1_000_000_000)
      .optional(),
    planned_start: instant.optional(),
    planned_end: instant.optional(),
    line_id: id.nullable().optional(),
    notes: text(4000),
  })
  .strict();
export type UpdateWorkOrderInput = z.output<typeof updateWorkOrderInput>;

const workOrderCursor = z.object({ planned_start: z.coerce.date(), id: z.number().int().positive() });

export const workOrderFilterInput = z.object({
  site_id: id.optional(),
  line_id: id.optional(),
  product_code: z.string().trim().max(60).optional(),
  status: z.enum(WORK_ORDER_STATUSES).optional(),
  /** Work orders whose planned window overlaps [from, to). */
  from: instant.optional(),
  to: instant.optional(),
  q: z.string().trim().max(100).optional(),
  cursor: cursorOf(workOrderCursor),
  limit,
});
export type WorkOrderFilter = z.output<typeof workOrderFilterInput>;

export const workOrderOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  line_id: z.number().nullable(),
  line_code: z.string().nullable(),
  product_code: z.string(),
  lot_no: z.string(),
  qty: z.number(),
  planned_start: z.date(),
  planned_end: z.date(),
  actual_start: z.date().nullable(),
  actual_end: z.date().nullable(),
  status: z.enum(WORK_ORDER_STATUSES),
  stage_count: z.number(),
  stages_done: z.number(),
  open_issues: z.number(),
  notes: z.string().nullable(),
  created_by: z.number().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type WorkOrderOutput = z.output<typeof workOrderOutput>;

// ---------- stages ----------

export const assigneeOutput = z.object({
  user_id: z.number(),
  username: z.string(),
  full_name: z.string().nullable(),
});

export const stageOutput = z.object({
  id: z.number(),
  work_order_id: z.number(),
  site_id: z.number(),
  position: z.number(),
  stage_name: z.string(),
  machine_id: z.number().nullable(),
  machine_code: z.string().nullable(),
  planned_start: z.date().nullable(),
  planned_end: z.date().nullable(),
  actual_start: z.date().nullable(),
  actual_end: z.date().nullable(),
  status: z.enum(STAGE_STATUSES),
  started_by: z.number().nullable(),
  finished_by: z.number().nullable(),
  assignees: z.array(assigneeOutput),
  open_issues: z.number(),
  product_code: z.string(),
  lot_no: z.string(),
  qty: z.number(),
});
export type StageOutput = z.output<typeof stageOutput>;

export const startStageInput = z.object({ actual_start: instant.optional() }).strict();
export const finishStageInput = z.object({ actual_end: instant.optional() }).strict();

export const updateStageInput = z
  .object({
    stage_name: stageName.optional(),
    planned_start: instant.nullable().optional(),
    planned_end: instant.nullable().optional(),
    machine_id: id.nullable().optional(),
  })
  .strict();
export type UpdateStageInput = z.output<typeof updateStageInput>;

export const myStagesInput = z.object({
  /** A calendar day in the site's time zone; default today. */
  date: z.iso.date('a date like 2026-03-31').optional(),
});

export const assignInput = z.object({ user_id: id });

// ---------- routes (stage templates) ----------

const routeStepInput = z.object({
  stage_name: stageName,
  weight: z.number().min(0.01, 'at least 0.01').max(1000).default(1),
});

export const saveRouteInput = z.object({
  site_id: id,
  /** null or absent: the site's default route. */
  product_code: productCode.nullable().optional(),
  name: z.string().trim().min(1, 'required').max(200),
  steps: z
    .array(routeStepInput)
    .min(1, 'a route needs at least one stage')
    .max(50)
    .refine((steps) => new Set(steps.map((s) => s.stage_name.toLowerCase())).size === steps.length, {
      message: 'stage names must be different',
    }),
});
export type SaveRouteInput = z.output<typeof saveRouteInput>;

export const routeFilterInput = z.object({ site_id: id.optional() });
export const routeIdParam = z.object({ route_id: id });

export const routeOutput = z.object({
  id: z.number().nullable(),
  site_id: z.number(),
  product_code: z.string().nullable(),
  name: z.string(),
  /** True for the built-in route used when a site has no default of its own. */
  built_in: z.boolean(),
  steps: z.array(z.object({ stage_name: z.string(), weight: z.number() })),
  updated_at: z.date().nullable(),
});
export type RouteOutput = z.output<typeof routeOutput>;

// ---------- issues ----------

export const raiseIssueInput = z.object({
  type: z.string().trim().min(1, 'required').max(40),
  description: z.string().trim().min(1, 'required').max(4000),
  /** The machine that broke down, when the stage does not name one. */
  machine_id: id.nullable().optional(),
});
export type RaiseIssueInput = z.output<typeof raiseIssueInput>;

export const updateIssueInput = z
  .object({
    status: z.enum(ISSUE_STATUSES),
    note: z.string().trim().max(4000).optional(),
  })
  .strict();
export type UpdateIssueInput = z.output<typeof updateIssueInput>;

const issueCursor = z.object({ id: z.number().int().positive() });

export const issueFilterInput = z.object({
  site_id: id.optional(),
  status: z.enum(ISSUE_STATUSES).optional(),
  type: z.string().trim().max(40).optional(),
  work_order_stage_id: id.optional(),
  work_order_id: id.optional(),
  cursor: cursorOf(issueCursor),
  limit,
});
export type IssueFilter = z.output<typeof issueFilterInput>;

export const issueOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  work_order_stage_id: z.number(),
  work_order_id: z.number(),
  stage_name: z.string(),
  product_code: z.string(),
  lot_no: z.string(),
  type: z.string(),
  description: z.string(),
  status: z.enum(ISSUE_STATUSES),
  machine_id: z.number().nullable(),
  downtime_id: z.number().nullable(),
  created_by: z.number().nullable(),
  created_by_name: z.string().nullable(),
  created_at: z.date(),
  acknowledged_by: z.number().nullable(),
  acknowledged_at: z.date().nullable(),
  resolved_by: z.number().nullable(),
  resolved_at: z.date().nullable(),
  resolution_note: z.string().nullable(),
});
export type IssueOutput = z.output<typeof issueOutput>;

export const issueTypeOutput = z.object({
  code: z.string(),
  name: z.string(),
  name_ru: z.string().nullable(),
  is_active: z.boolean(),
  sort_order: z.number(),
});
export type IssueTypeOutput = z.output<typeof issueTypeOutput>;

export const createIssueTypeInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,39}$/, '2–40 lower-case letters, digits or _, starting with a letter'),
  name: z.string().trim().min(1, 'required').max(200),
  name_ru: text(200),
  sort_order: z.coerce.number().int().min(0).max(10_000).default(100),
});
export const updateIssueTypeInput = z
  .object({
    name: z.string().trim().min(1, 'required').max(200).optional(),
    name_ru: text(200),
    is_active: z.boolean().optional(),
    sort_order: z.coerce.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export const issueTypeParam = z.object({ code: z.string().trim().max(40) });
export const issueTypeListInput = z.object({
  include_inactive: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .default(false),
});

// ---------- metrics ----------

export const metricsOutput = z.object({
  planned_minutes: z.number().nullable(),
  actual_minutes: z.number().nullable(),
  delay_minutes: z.number().nullable(),
  efficiency_pct: z.number().nullable(),
  on_time: z.boolean().nullable(),
  /** Why some figures are null: not_started, not_finished, no_planned_window, zero_actual_duration. */
  reason: z.string().nullable(),
});
export type Metrics = z.output<typeof metricsOutput>;

export const workOrderMetricsOutput = metricsOutput.extend({
  work_order_id: z.number(),
  status: z.enum(WORK_ORDER_STATUSES),
  stages: z.array(metricsOutput.extend({ stage_id: z.number(), stage_name: z.string() })),
});
export const stageMetricsOutput = metricsOutput.extend({
  stage_id: z.number(),
  work_order_id: z.number(),
  status: z.enum(STAGE_STATUSES),
});

export const productionMetricsInput = z.object({
  site_id: id.optional(),
  line_id: id.optional(),
  product_code: z.string().trim().max(60).optional(),
  from: instant.optional(),
  to: instant.optional(),
  level: z.enum(['work_order', 'stage']).default('work_order'),
  bucket: z.enum(['day', 'week']).default('day'),
});
export type ProductionMetricsInput = z.output<typeof productionMetricsInput>;

const summary = z.object({
  finished: z.number(),
  with_windows: z.number(),
  on_time: z.number(),
  on_time_pct: z.number().nullable(),
  avg_delay_minutes: z.number().nullable(),
  efficiency_pct: z.number().nullable(),
});
export const productionMetricsOutput = summary.extend({
  from: z.date(),
  to: z.date(),
  level: z.enum(['work_order', 'stage']),
  reason: z.string().nullable(),
  buckets: z.array(summary.extend({ bucket_start: z.date() })),
});
export type ProductionMetricsOutput = z.output<typeof productionMetricsOutput>;
