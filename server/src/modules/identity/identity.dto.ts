import { z } from 'zod';
import { ROLE_ALIASES, ROLE_NAMES, type RoleName } from './permissions.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const idParam = z.object({ id });

export const username = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$/,
    '2–64 letters, digits or _ . @ -, starting with a letter or digit',
  );
export const password = z.string().min(12, 'at least 12 characters').max(256, 'at most 256 characters');
export const roleName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => ROLE_ALIASES[value] ?? value)
  .pipe(z.enum(ROLE_NAMES, { error: `one of ${[...ROLE_NAMES, 'worker'].join(', ')}` }))
  .transform((value): RoleName => value);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const loginInput = z.object({
  username: z.string().trim().min(1, 'required').max(64),
  password: z.string().min(1, 'required').max(256),
});

export const refreshInput = z.object({ refresh_token: z.string().min(20).max(200) });
export const logoutInput = z.object({ refresh_token: z.string().min(20).max(200).optional() });

export const registerInput = z.object({
  username,
  password,
  full_name: optionalText(200),
  email: z.email().max(254).nullable().optional(),
  phone: optionalText(40),
});

export const createUserInput = z.object({
  username,
  password,
  role: roleName,
  full_name: optionalText(200),
  email: z.email().max(254).nullable().optional(),
  phone: optionalText(40),
  site_ids: z.array(id).max(500).optional(),
});
export type CreateUserInput = z.output<typeof createUserInput>;

export const updateUserInput = z
  .object({
    full_name: optionalText(200),
    email: z.email().max(254).nullable().optional(),
    phone: optionalText(40),
    role: roleName.optional(),
    is_active: z.boolean().optional(),
    site_ids: z.array(id).max(500).optional(),
    password: password.optional(),
  })
  .strict();
export type UpdateUserInput = z.output<typeof updateUserInput>;

export const setRoleInput = z.object({ role: roleName });

export const createSiteInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, '1–32 letters, digits or _ . -'),
  name: z.string().trim().min(1).max(200),
  time_zone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
});
export type CreateSiteInput = z.output<typeof createSiteInput>;

export const updateSiteInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    time_zone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin').optional(),
    is_active: z.boolean().optional(),
  })
  .strict();
export type UpdateSiteInput = z.output<typeof updateSiteInput>;

export const createApiKeyInput = z.object({ site_id: id, name: z.string().trim().min(1).max(120) });
export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;

export const settingsInput = z.object({ self_registration_enabled: z.boolean() }).strict();

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.length <= 64;
  } catch {
    return false;
  }
}

// Outputs (the REST shapes; GraphQL maps the same objects to camelCase).
export const siteOutput = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  time_zone: z.string(),
  is_active: z.boolean(),
  created_at: z.date(),
});
export type SiteOutput = z.output<typeof siteOutput>;

export const userOutput = z.object({
  id: z.number(),
  username: z.string(),
  full_name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.string(),
  is_active: z.boolean(),
  site_ids: z.array(z.number()),
  created_at: z.date(),
  updated_at: z.date(),
});
export type UserOutput = z.output<typeof userOutput>;

export const meOutput = userOutput.omit({ site_ids: true }).extend({
  sites: z.array(siteOutput.pick({ id: true, code: true, name: true, time_zone: true })),
  permissions: z.array(z.string()),
});

export const tokenOutput = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number(),
  refresh_token: z.string(),
});
export type TokenOutput = z.output<typeof tokenOutput>;

export const apiKeyOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  name: z.string(),
  prefix: z.string(),
  created_by: z.number().nullable(),
  created_at: z.date(),
  last_used_at: z.date().nullable(),
  revoked_at: z.date().nullable(),
});
export type ApiKeyOutput = z.output<typeof apiKeyOutput>;
