import { z } from 'zod';

export const OWNER_TYPES = ['repair', 'tool', 'failure_report', 'maintenance_log'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export interface Owner {
  owner_type: OwnerType;
  owner_id: number;
}

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const repairIdParam = z.object({ repair_id: id });
export const attachmentIdParam = z.object({ id });
export const downloadQuery = z.object({
  thumbnail: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});

export const attachmentOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  owner_type: z.enum(OWNER_TYPES),
  owner_id: z.number(),
  /** Which photo it is, e.g. a tool's angle (front, rear, core, cavity, other); null when untagged. */
  tag: z.string().nullable(),
  kind: z.enum(['image', 'document']),
  original_name: z.string(),
  content_type: z.string(),
  size_bytes: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  /** The REST path that downloads the file (send the same bearer token). */
  url: z.string(),
  thumbnail_url: z.string().nullable(),
  uploaded_by: z.number().nullable(),
  created_at: z.date(),
});
export type AttachmentOutput = z.output<typeof attachmentOutput>;
