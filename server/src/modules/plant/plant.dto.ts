import { z } from 'zod';

export const LINE_STATUSES = ['working', 'maintenance', 'stopped'] as const;
export const MACHINE_STATUSES = ['operational', 'broken', 'maintenance'] as const;
export const CRITICALITIES = ['A', 'B', 'C'] as const;

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const code = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$/,
    '1–40 letters, digits or _ . / -, starting with a letter or digit',
  );
const name = z.string().trim().min(1, 'required').max(200);
const text = (max: number) => z.string().trim().max(max).nullable().optional();
const isoDate = z.iso.date('a date like 2024-03-31').nullable().optional();

export const lineIdParam = z.object({ line_id: id });
export const machineIdParam = z.object({ machine_id: id });

export const createLineInput = z.object({
  site_id: id,
  code,
  name,
  description: text(2000),
  status: z.enum(LINE_STATUSES).default('working'),
  notes: text(4000),
});
export type CreateLineInput = z.output<typeof createLineInput>;

export const updateLineInput = z
  .object({
    code: code.optional(),
    name: name.optional(),
    description: text(2000),
    status: z.enum(LINE_STATUSES).optional(),
    notes: text(4000),
    is_active: z.boolean().optional(),
  })
  .strict();
export type UpdateLineInput = z.output<typeof updateLineInput>;

export const createMachineInput = z.object({
  line_id: id,
  code,
  name,
  asset_number: text(100),
  serial_number: text(100),
  manufacturer: text(200),
  model: text(200),
  machine_type: text(100),
  status: z.enum(MACHINE_STATUSES).default('operational'),
  criticality: z.enum(CRITICALITIES).default('B'),
  commissioned_on: isoDate,
  notes: text(4000),
});
export type CreateMachineInput = z.output<typeof createMachineInput>;

export const updateMachineInput = createMachineInput
  .omit({ status: true, criticality: true })
  .partial()
  .extend({
    status: z.enum(MACHINE_STATUSES).optional(),
    criticality: z.enum(CRITICALITIES).optional(),
    is_active: z.boolean().optional(),
  })
  .strict();
export type UpdateMachineInput = z.output<typeof updateMachineInput>;

const flag = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .or(z.boolean());

export const lineFilterInput = z.object({ site_id: id.optional(), include_inactive: flag.default(false) });
export type LineFilter = z.output<typeof lineFilterInput>;

export const machineFilterInput = z.object({
  site_id: id.optional(),
  line_id: id.optional(),
  status: z.enum(MACHINE_STATUSES).optional(),
  search: z.string().trim().max(100).optional(),
  include_inactive: flag.default(false),
});
export type MachineFilter = z.output<typeof machineFilterInput>;

export const lineOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.string(),
  notes: z.string().nullable(),
  is_active: z.boolean(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type LineOutput = z.output<typeof lineOutput>;

export const machineOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  line_id: z.number(),
  code: z.string(),
  name: z.string(),
  asset_number: z.string().nullable(),
  serial_number: z.string().nullable(),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
  machine_type: z.string().nullable(),
  status: z.string(),
  criticality: z.string(),
  commissioned_on: z.string().nullable(),
  notes: z.string().nullable(),
  is_active: z.boolean(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type MachineOutput = z.output<typeof machineOutput>;
