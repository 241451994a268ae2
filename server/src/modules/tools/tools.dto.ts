import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

export const TOOL_KINDS = ['mould', 'die', 'fixture', 'gauge', 'jig', 'cutting_tool', 'other'] as const;
export type ToolKind = (typeof TOOL_KINDS)[number];
export const TOOL_STATUSES = ['active', 'maintenance', 'retired'] as const;
export type ToolStatus = (typeof TOOL_STATUSES)[number];
export const PHOTO_ANGLES = ['front', 'rear', 'core', 'cavity', 'other'] as const;
export type PhotoAngle = (typeof PHOTO_ANGLES)[number];
export const SHOT_SOURCES = ['manual', 'csv', 'machine'] as const;
export type ShotSource = (typeof SHOT_SOURCES)[number];
/** Share of the life limit from which a tool is "near its life limit". */
export const NEAR_LIMIT_SHARE = 0.9;
/** Shots are whole numbers far below 2^53; a counter beyond this is a typo. */
export const MAX_SHOTS = 1_000_000_000_000;

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const INSTANT_HINT = 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00';
/** An ISO 8601 instant; one without an offset is read as UTC. */
export const instant = z
  .string({ error: INSTANT_HINT })
  .max(40, INSTANT_HINT)
  .pipe(z.iso.datetime({ offset: true, local: true, error: INSTANT_HINT }))
  .transform((value) => new Date(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`));
const assetNumber = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$/,
    '1–40 letters, digits or _ . / -, starting with a letter or digit',
  );
const text = (max: number) => z.string().trim().max(max).nullable().optional();
const shotCount = z
  .number({ error: 'a whole number of shots' })
  .int('a whole number')
  .min(0, 'must not be negative')
  .max(MAX_SHOTS, `at most ${MAX_SHOTS}`);
const positiveShots = z
  .number({ error: 'a whole number of shots' })
  .int('a whole number')
  .positive('must be greater than 0')
  .max(MAX_SHOTS, `at most ${MAX_SHOTS}`);
const position = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, '1–40 letters, digits, _ or -');
/** The longest ideal cycle time a tool can have (a day), in seconds. */
export const MAX_IDEAL_CYCLE_SECONDS = 86_400;
/** Seconds per cycle, as numeric(10, 3) keeps them: positive, at most a day, at most 3 decimals. */
const idealCycleSeconds = z
  .number({ error: 'a number of seconds per cycle, e.g. 12.5' })
  .positive('must be greater than 0')
  .max(MAX_IDEAL_CYCLE_SECONDS, `at most ${MAX_IDEAL_CYCLE_SECONDS} seconds (a day)`)
  .refine((value) => Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6, 'at most 3 decimals');
const limit = z.coerce.number().int().min(1).max(500).default(100);
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .optional();

export const toolIdParam = z.object({ id });
export const toolPhotoParam = z.object({ tool_id: id });
export const machineIdParam = z.object({ id });

// ---------- tools ----------

export const createToolInput = z
  .object({
    site_id: id.optional(),
    asset_number: assetNumber,
    name: z.string().trim().min(1, 'required').max(200),
    kind: z.enum(TOOL_KINDS).default('mould'),
    manufacturer: text(200),
    cavity_count: z.number().int('a whole number').min(1, 'at least 1').max(1024).default(1),
    status: z.enum(['active', 'maintenance']).default('active'),
    storage_location: text(200),
    life_limit_shots: positiveShots.nullable().optional(),
    counter_max: positiveShots.nullable().optional(),
    /** Seconds per cycle at full speed; OEE and the no-cycle rule use it while the tool is mounted. */
    ideal_cycle_seconds: idealCycleSeconds.nullable().optional(),
    notes: text(4000),
  })
  .strict();
export type CreateToolInput = z.output<typeof createToolInput>;

export const updateToolInput = z
  .object({
    asset_number: assetNumber.optional(),
    name: z.string().trim().min(1, 'required').max(200).optional(),
    kind: z.enum(TOOL_KINDS).optional(),
    manufacturer: text(200),
    cavity_count: z.number().int('a whole number').min(1, 'at least 1').max(1024).optional(),
    /** Retiring goes through POST /tools/:id/retire; a retired tool comes back with status active. */
    status: z.enum(['active', 'maintenance']).optional(),
    storage_location: text(200),
    life_limit_shots: positiveShots.nullable().optional(),
    counter_max: positiveShots.nullable().optional(),
    /** Null clears it (the machine's ideal cycle time applies again). */
    ideal_cycle_seconds: idealCycleSeconds.nullable().optional(),
    notes: text(4000),
  })
  .strict();
export type UpdateToolInput = z.output<typeof updateToolInput>;

const toolCursor = z.object({ created_at: z.coerce.date(), id: z.number().int().positive() });

export const toolFilterInput = z.object({
  site_id: id.optional(),
  kind: z.enum(TOOL_KINDS).optional(),
  status: z.enum(TOOL_STATUSES).optional(),
  /** Asset number, name, manufacturer or storage location containing this text. */
  q: z.string().trim().max(100).optional(),
  /** Only tools at or above 90 % of their life limit. */
  near_limit: bool,
  /** Only tools mounted on this machine now. */
  machine_id: id.optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, toolCursor, ctx))
    .optional(),
  limit,
});
export type ToolFilter = z.output<typeof toolFilterInput>;

export const currentMountingOutput = z.object({
  mounting_id: z.number(),
  machine_id: z.number(),
  machine_code: z.string(),
  machine_name: z.string(),
  position: z.string(),
  mounted_at: z.date(),
});

export const toolOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  asset_number: z.string(),
  name: z.string(),
  kind: z.enum(TOOL_KINDS),
  manufacturer: z.string().nullable(),
  cavity_count: z.number(),
  status: z.enum(TOOL_STATUSES),
  storage_location: z.string().nullable(),
  life_limit_shots: z.number().nullable(),
  counter_max: z.number().nullable(),
  /** Seconds per cycle at full speed; null: the machine's ideal cycle time applies while mounted. */
  ideal_cycle_seconds: z.number().nullable(),
  notes: z.string().nullable(),
  total_shots: z.number(),
  /** total_shots ÷ life_limit_shots × 100, to one decimal; null without a limit. */
  life_used_percent: z.number().nullable(),
  near_life_limit: z.boolean(),
  last_reading_at: z.date().nullable(),
  mounted: currentMountingOutput.nullable(),
  retired_at: z.date().nullable(),
  created_by: z.number().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type ToolOutput = z.output<typeof toolOutput>;

export const toolPageOutput = z.object({ items: z.array(toolOutput), next_cursor: z.string().nullable() });

// ---------- photos ----------

export const photoQuery = z.object({ angle: z.enum(PHOTO_ANGLES).optional() });

// ---------- mountings ----------

export const mountInput = z
  .object({
    machine_id: z.number({ error: 'a machine id' }).int().positive().max(Number.MAX_SAFE_INTEGER),
    position: position.default('main'),
    /** When it was mounted (default now); not in the future. */
    at: instant.optional(),
  })
  .strict();
export type MountInput = z.output<typeof mountInput>;

export const unmountInput = z.object({ at: instant.optional() }).strict();
export type UnmountInput = z.output<typeof unmountInput>;

export const mountingOutput = z.object({
  id: z.number(),
  tool_id: z.number(),
  tool_asset_number: z.string(),
  tool_name: z.string(),
  site_id: z.number(),
  machine_id: z.number(),
  machine_code: z.string(),
  machine_name: z.string(),
  position: z.string(),
  mounted_at: z.date(),
  removed_at: z.date().nullable(),
  mounted_by: z.number().nullable(),
  removed_by: z.number().nullable(),
});
export type MountingOutput = z.output<typeof mountingOutput>;

// ---------- shots ----------

/** The form says which: a counter value read off the machine, or a number of shots since the last reading. */
export const shotReadingInput = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('counter'),
        counter_value: shotCount,
        taken_at: instant.optional(),
        note: text(1000),
      })
      .strict(),
    z
      .object({
        kind: z.literal('delta'),
        shots: shotCount,
        taken_at: instant.optional(),
        note: text(1000),
      })
      .strict(),
  ],
  { error: 'kind must be "counter" (with counter_value) or "delta" (with shots)' },
);
export type ShotReadingInput = z.output<typeof shotReadingInput>;

export const shotReadingOutput = z.object({
  id: z.number(),
  tool_id: z.number(),
  taken_at: z.date(),
  source: z.enum(SHOT_SOURCES),
  kind: z.enum(['counter', 'delta']),
  counter_value: z.number().nullable(),
  shots: z.number().nullable(),
  mounting_id: z.number().nullable(),
  delta: z.number(),
  is_reset: z.boolean(),
  is_rollover: z.boolean(),
  note: z.string().nullable(),
  entered_by: z.number().nullable(),
  created_at: z.date(),
});
export type ShotReadingOutput = z.output<typeof shotReadingOutput>;

export const recordedReadingOutput = z.object({
  reading: shotReadingOutput,
  /** False when the same reading (tool, taken_at, source) was stored before: nothing changed. */
  created: z.boolean(),
  total_shots: z.number(),
});

export const shotsQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type ShotsQuery = z.output<typeof shotsQuery>;

export const shotsSummaryOutput = z.object({
  tool_id: z.number(),
  total_shots: z.number(),
  life_limit_shots: z.number().nullable(),
  life_used_percent: z.number().nullable(),
  /** Shots in the last 30 days ÷ 30. */
  shots_per_day: z.number(),
  shots_last_30_days: z.number(),
  /** Newest first. */
  readings: z.array(shotReadingOutput),
  /** One point per day with shots, in the site's time zone, oldest first; cumulative counts all before. */
  daily: z.array(z.object({ date: z.string(), shots: z.number(), cumulative: z.number() })),
});
export type ShotsSummaryOutput = z.output<typeof shotsSummaryOutput>;

export const csvImportOutput = z.object({
  rows: z.number(),
  created: z.number(),
  duplicates: z.number(),
  tools: z.number(),
});
