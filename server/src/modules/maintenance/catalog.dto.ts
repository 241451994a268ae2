import { z } from 'zod';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const catalogCode = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{1,39}$/, '2–40 capital letters, digits or _');

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export const catalogListInput = z.object({
  include_inactive: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .or(z.boolean())
    .default(false),
});

export const createReasonInput = z.object({
  category_id: id,
  code: catalogCode,
  name: z.string().trim().min(1).max(200),
  name_ru: z.string().trim().max(200).nullable().optional(),
});
export type CreateReasonInput = z.output<typeof createReasonInput>;

export const updateReasonInput = createReasonInput
  .omit({ code: true })
  .partial()
  .extend({ is_active: z.boolean().optional() })
  .strict();
export type UpdateReasonInput = z.output<typeof updateReasonInput>;

export const createFailureCodeInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z]{2,5}-[0-9]{3,5}$/, 'like FL-001'),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable().optional(),
  default_severity: z.enum(SEVERITIES).default('medium'),
});
export type CreateFailureCodeInput = z.output<typeof createFailureCodeInput>;

export const updateFailureCodeInput = createFailureCodeInput
  .omit({ code: true, default_severity: true })
  .partial()
  .extend({ default_severity: z.enum(SEVERITIES).optional(), is_active: z.boolean().optional() })
  .strict();
export type UpdateFailureCodeInput = z.output<typeof updateFailureCodeInput>;

export const reasonOutput = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  name_ru: z.string().nullable(),
  is_active: z.boolean(),
  category_id: z.number(),
  category_code: z.string(),
  category_name: z.string(),
  category_name_ru: z.string().nullable(),
  is_failure: z.boolean(),
});

export const failureCodeOutput = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  default_severity: z.string(),
  is_active: z.boolean(),
});
export type FailureCodeOutput = z.output<typeof failureCodeOutput>;

export const idParam = z.object({ id });
