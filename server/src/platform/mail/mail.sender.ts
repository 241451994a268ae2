import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import { SYSTEM_SCOPE, type Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { StoredAttachment } from './mail.schema.ts';

/** After this many failed tries a mail is given up (kept, with its last error). */
export const MAX_MAIL_ATTEMPTS = 10;
/** How long a claimed mail stays away from other workers while one sends it. */
const LEASE_MS = 5 * 60_000;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;

/** Waiting time before try number `attempts + 1`: 1 min, 2, 4, … capped at 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/** What sends one message; nodemailer's SMTP transport in production. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string | null }>;
  close(): void;
}

export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async send(mail) {
      const info = await transporter.sendMail(mail);
      return { messageId: typeof info.messageId === 'string' ? info.messageId : null };
    },
    close: () => transporter.close(),
  };
}

export interface MailDelivery {
  claimed: number;
  sent: number;
  failed: number;
}

interface ClaimedMail {
  id: number;
  to_addresses: string[];
  subject: string;
  text_body: string;
  html_body: string | null;
  attachments: StoredAttachment[];
  attempts: number;
}

/** A refusal that retrying cannot fix: the server answered 5xx (e.g. 550 no such mailbox). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 2000);
}

/**
 * Sends the mail that is due: claims rows (`for update skip locked`, then a lease), so several workers
 * never send the same message; a failure is recorded and retried later with backoff; a permanent refusal
 * or the last allowed attempt gives the mail up. Without a transport (SMTP_URL unset) nothing is sent and
 * the mail stays queued.
 */
export async function deliverDueMail(
  deps: { db: Database; transport: MailTransport | null; from: string | undefined; log: Logger },
  options: { now?: Date; limit?: number } = {},
): Promise<MailDelivery> {
  const result: MailDelivery = { claimed: 0, sent: 0, failed: 0 };
  if (!deps.transport || !deps.from) return result;
  const now = options.now ?? new Date();
  const limit = options.limit ?? 50;
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const claimed = await deps.db.transaction(SYSTEM_SCOPE, async (tx) => {
    const rows = await sql<ClaimedMail>`
      update mail_outbox
      set next_attempt_at = ${leaseUntil}, attempts = attempts + 1, last_attempt_at = ${now}
      where id in (
        select id from mail_outbox
        where sent_at is null and gave_up_at is null and next_attempt_at <= ${now}
        order by next_attempt_at, id
        limit ${limit}
        for update skip locked)
      returning id, to_addresses, subject, text_body, html_body, attachments, attempts`.execute(tx);
    return rows.rows;
  });
  result.claimed = claimed.length;
  for (const mail of claimed) {
    try {
      const sent = await deps.transport.send({
        from: deps.from,
        to: mail.to_addresses,
        subject: mail.subject,
        text: mail.text_body,
        ...(mail.html_body ? { html: mail.html_body } : {}),
        attachments: mail.attachments.map((file) => ({
          filename: file.filename,
          contentType: file.content_type,
          content: Buffer.from(file.content_base64, 'base64'),
        })),
      });
      await deps.db.transaction(SYSTEM_SCOPE, (tx) =>
        tx
          .updateTable('mail_outbox')
          .set({ sent_at: now, message_id: sent.messageId, last_error: null })
          .where('id', '=', mail.id)
          .execute(),
      );
      result.sent += 1;
    } catch (error) {
      result.failed += 1;
      const giveUp = isPermanent(error) || mail.attempts >= MAX_MAIL_ATTEMPTS;
      const retryAt = new Date(now.getTime() + retryDelayMs(mail.attempts));
      deps.log.warn(
        { err: error, mail_id: mail.id, attempts: mail.attempts, gave_up: giveUp },
        giveUp ? 'e-mail given up' : 'e-mail not sent; will retry',
      );
      await deps.db.transaction(SYSTEM_SCOPE, (tx) =>
        tx
          .updateTable('mail_outbox')
          .set({
            last_error: describe(error),
            next_attempt_at: retryAt,
            gave_up_at: giveUp ? now : null,
          })
          .where('id', '=', mail.id)
          .execute(),
      );
    }
  }
  return result;
}

/** Mail waiting to be sent (for the log when SMTP is not configured). */
export async function pendingMailCount(db: Database): Promise<number> {
  const row = await db.transaction(SYSTEM_SCOPE, (tx) =>
    tx
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('sent_at', 'is', null)
      .where('gave_up_at', 'is', null)
      .executeTakeFirstOrThrow(),
  );
  return Number(row.count);
}
