import { z } from 'zod';
import type { Tx } from '../db/database.ts';
import { parseInput } from '../validation.ts';
import type {} from './mail.schema.ts';

/** Largest total attachment size one e-mail may carry (most SMTP servers refuse more than 10–25 MB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const address = z.email().max(254);

export const mailInput = z
  .object({
    to: z.array(address).min(1).max(100),
    subject: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .refine((value) => !/[\r\n]/.test(value), 'a subject is one line'),
    text: z.string().min(1).max(1_000_000),
    html: z.string().max(2_000_000).optional(),
    attachments: z
      .array(
        z.object({
          filename: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .refine((value) => !/[\r\n/\\]/.test(value), 'a file name, without folders'),
          content: z.instanceof(Buffer),
          contentType: z
            .string()
            .regex(/^[\w.+-]+\/[\w.+-]+$/, 'a media type such as application/pdf')
            .max(100),
        }),
      )
      .max(20)
      .refine(
        (files) => files.reduce((sum, file) => sum + file.content.length, 0) <= MAX_ATTACHMENT_BYTES,
        `attachments together may hold at most ${MAX_ATTACHMENT_BYTES} bytes`,
      )
      .optional(),
  })
  .strict();
export type MailInput = z.input<typeof mailInput>;

/**
 * Queues one e-mail in the caller's transaction: it is sent (by the worker, through SMTP) exactly when
 * the change that caused it commits, and never when that change rolls back. Duplicate recipients are
 * sent once.
 */
export async function queueMail(tx: Tx, input: MailInput): Promise<void> {
  const mail = parseInput(mailInput, input);
  const to = [...new Set(mail.to.map((recipient) => recipient.trim()))];
  await tx
    .insertInto('mail_outbox')
    .values({
      to_addresses: to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      attachments: JSON.stringify(
        (mail.attachments ?? []).map((file) => ({
          filename: file.filename,
          content_type: file.contentType,
          content_base64: file.content.toString('base64'),
        })),
      ),
    })
    .execute();
}
