import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

export const notificationOutput = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  site_id: z.number().nullable(),
  created_at: z.date(),
  read_at: z.date().nullable(),
});
export type NotificationOutput = z.output<typeof notificationOutput>;

const cursor = z.object({ id: z.number().int().positive() });

export const notificationListInput = z.object({
  unread_only: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .or(z.boolean())
    .default(false),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type NotificationListInput = z.output<typeof notificationListInput>;

/** What a module hands the notification service: whom to tell, and what. */
export const raiseNotificationInput = z.object({
  kind: z.string().min(1).max(64),
  title: z.string().min(1).max(300),
  body: z.string().max(4000).nullable().optional(),
  link: z.string().max(500).nullable().optional(),
  site_id: z.number().int().positive().nullable().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  recipients: z.union([
    z.object({ user_ids: z.array(z.number().int().positive()).min(1).max(10_000) }),
    z.object({ roles: z.array(z.string()).min(1) }),
  ]),
});
export type RaiseNotificationInput = z.input<typeof raiseNotificationInput>;
