import { z } from 'zod';
import { TOOL_KINDS } from './tools.dto.ts';

/** What a template is for: any subject, any tool, machines, or one kind of tool. */
export const APPLIES_TO = ['any', 'tool', 'machine', ...TOOL_KINDS] as const;
export type AppliesTo = (typeof APPLIES_TO)[number];

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .or(z.boolean());

export const templateIdParam = z.object({ id });

const item = z
  .object({
    text: z.string().trim().min(1, 'say what to check').max(500),
    required: z.boolean().default(true),
  })
  .strict();
const items = z
  .array(item)
  .min(1, 'a checklist needs at least one step')
  .max(200, 'at most 200 steps')
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((step, index) => {
      const key = step.text.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: [index, 'text'], message: `same as step ${first + 1}` });
      else seen.set(key, index);
    });
  });

export const createTemplateInput = z
  .object({
    /** Null or absent: shared by every site (admins of all sites only). */
    site_id: id.nullable().default(null),
    name: z.string().trim().min(1, 'give the checklist a name').max(200),
    description: z.string().trim().max(2000).nullable().optional(),
    applies_to: z.enum(APPLIES_TO).default('any'),
    items,
  })
  .strict();
export type CreateTemplateInput = z.output<typeof createTemplateInput>;

/** Items, when given, replace the whole list in the order given (logs keep their own copy). */
export const updateTemplateInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).nullable(),
    applies_to: z.enum(APPLIES_TO),
    is_active: z.boolean(),
    items,
  })
  .partial()
  .strict();
export type UpdateTemplateInput = z.output<typeof updateTemplateInput>;

export const templateFilterInput = z.object({
  /** Templates a log on this site may use: the site's own and the shared ones. */
  site_id: id.optional(),
  applies_to: z.enum(APPLIES_TO).optional(),
  include_inactive: bool.default(false),
});
export type TemplateFilter = z.output<typeof templateFilterInput>;

export const templateItemOutput = z.object({
  id: z.number(),
  position: z.number(),
  text: z.string(),
  required: z.boolean(),
});
export type TemplateItemOutput = z.output<typeof templateItemOutput>;

export const templateOutput = z.object({
  id: z.number(),
  site_id: z.number().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  applies_to: z.string(),
  is_active: z.boolean(),
  items: z.array(templateItemOutput),
  /** Logs written with it; a used template is deactivated, not deleted. */
  used_by_logs: z.number(),
  used_by_plans: z.number(),
  created_by: z.number().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type TemplateOutput = z.output<typeof templateOutput>;
