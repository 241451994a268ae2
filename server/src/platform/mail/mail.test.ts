import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { deliverDueMail, queueMail, smtpTransport } from './index.ts';

/** A real SMTP server on a free port that keeps every message it accepts, parsed. */
async function startSmtp(options: { port?: number; rejectRecipient?: string } = {}) {
  const received: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'hom' && auth.password === 'secret') callback(null, { user: 'hom' });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address === options.rejectRecipient) {
        const error = Object.assign(new Error('No such mailbox'), { responseCode: 550 });
        callback(error);
      } else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          envelopes.push(session.envelope.rcptTo.map((r) => r.address));
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    envelopes,
    url: `smtp://hom:secret@127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const log = createLogger('silent');
const FROM = 'HOM <hom@plant.example>';

describe('e-mail outbox and SMTP delivery', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function outbox() {
    return h.db.transaction(SYSTEM_SCOPE, (tx) =>
      tx.selectFrom('mail_outbox').selectAll().orderBy('id').execute(),
    );
  }

  it('delivers a queued mail with its recipients, subject and attachment to a real SMTP server', async () => {
    const smtp = await startSmtp();
    const transport = smtpTransport(smtp.url);
    try {
      const pdf = Buffer.from('%PDF-1.4 weekly report\n');
      await h.db.transaction(SYSTEM_SCOPE, (tx) =>
        queueMail(tx, {
          to: ['anna@plant.example', 'boris@plant.example', 'anna@plant.example'],
          subject: 'Weekly maintenance report',
          text: 'The report is attached.',
          html: '<p>The report is attached.</p>',
          attachments: [{ filename: 'weekly.pdf', content: pdf, contentType: 'application/pdf' }],
        }),
      );
      const result = await deliverDueMail({ db: h.db, transport, from: FROM, log });
      expect(result).toEqual({ claimed: 1, sent: 1, failed: 0 });
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      expect(mail.subject).toBe('Weekly maintenance report');
      expect(mail.from?.text).toContain('hom@plant.example');
      expect(smtp.envelopes[0]?.sort()).toEqual(['anna@plant.example', 'boris@plant.example']);
      expect(mail.text?.trim()).toBe('The report is attached.');
      expect(mail.attachments).toHaveLength(1);
      expect(mail.attachments[0]?.filename).toBe('weekly.pdf');
      expect(mail.attachments[0]?.contentType).toBe('application/pdf');
      expect(mail.attachments[0]?.content.equals(pdf)).toBe(true);

      const [row] = await outbox();
      expect(row?.sent_at).toBeInstanceOf(Date);
      expect(row?.attempts).toBe(1);
      // Sent once: another run finds nothing due.
      expect(await deliverDueMail({ db: h.db, transport, from: FROM, log })).toMatchObject({ claimed: 0 });
      expect(smtp.received).toHaveLength(1);
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it('keeps mail queued when the SMTP server is down, retries later with backoff, and delivers it once', async () => {
    // Take a free port, then close the server: connections to it are refused.
    const probe = await startSmtp();
    const port = probe.port;
    await probe.close();
    const transport = smtpTransport(`smtp://hom:secret@127.0.0.1:${port}`);
    const t0 = new Date('2030-01-01T08:00:00Z');
    await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      queueMail(tx, { to: ['carl@plant.example'], subject: 'Overdue action', text: 'Please act.' }),
    );
    const first = await deliverDueMail({ db: h.db, transport, from: FROM, log }, { now: t0 });
    expect(first).toMatchObject({ claimed: 1, sent: 0, failed: 1 });
    let row = (await outbox()).find((r) => r.subject === 'Overdue action')!;
    expect(row.sent_at).toBeNull();
    expect(row.gave_up_at).toBeNull();
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(row.next_attempt_at.getTime()).toBe(t0.getTime() + 60_000);

    // Not due yet: nothing is tried.
    const early = await deliverDueMail({ db: h.db, transport, from: FROM, log }, { now: t0 });
    expect(early.claimed).toBe(0);

    const smtp = await startSmtp({ port });
    try {
      const later = new Date(t0.getTime() + 2 * 60_000);
      const second = await deliverDueMail({ db: h.db, transport, from: FROM, log }, { now: later });
      expect(second).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
      expect(smtp.received.map((m) => m.subject)).toEqual(['Overdue action']);
      row = (await outbox()).find((r) => r.subject === 'Overdue action')!;
      expect(row.attempts).toBe(2);
      expect(row.sent_at).toEqual(later);
      const again = await deliverDueMail(
        { db: h.db, transport, from: FROM, log },
        { now: new Date(later.getTime() + 3_600_000) },
      );
      expect(again.claimed).toBe(0);
      expect(smtp.received).toHaveLength(1);
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it('sends each mail exactly once when two workers deliver at the same time', async () => {
    const smtp = await startSmtp();
    const a = smtpTransport(smtp.url);
    const b = smtpTransport(smtp.url);
    try {
      await h.db.transaction(SYSTEM_SCOPE, async (tx) => {
        for (let i = 0; i < 12; i += 1)
          await queueMail(tx, { to: ['dana@plant.example'], subject: `Parallel ${i}`, text: `Mail ${i}` });
      });
      const now = new Date('2031-01-01T00:00:00Z');
      const [ra, rb] = await Promise.all([
        deliverDueMail({ db: h.db, transport: a, from: FROM, log }, { now, limit: 8 }),
        deliverDueMail({ db: h.db, transport: b, from: FROM, log }, { now, limit: 8 }),
      ]);
      expect(ra.sent + rb.sent).toBe(12);
      const subjects = smtp.received.map((m) => m.subject).filter((s) => s?.startsWith('Parallel'));
      expect(subjects).toHaveLength(12);
      expect(new Set(subjects).size).toBe(12);
    } finally {
      a.close();
      b.close();
      await smtp.close();
    }
  });

  it('gives a mail up when the server refuses its recipient for good, keeping the reason', async () => {
    const smtp = await startSmtp({ rejectRecipient: 'nobody@plant.example' });
    const transport = smtpTransport(smtp.url);
    try {
      await h.db.transaction(SYSTEM_SCOPE, (tx) =>
        queueMail(tx, { to: ['nobody@plant.example'], subject: 'Refused', text: 'x' }),
      );
      const now = new Date('2032-01-01T00:00:00Z');
      const result = await deliverDueMail({ db: h.db, transport, from: FROM, log }, { now });
      expect(result.failed).toBe(1);
      const row = (await outbox()).find((r) => r.subject === 'Refused')!;
      expect(row.gave_up_at).toEqual(now);
      expect(row.last_error).toMatch(/No such mailbox|550/);
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it('keeps mail unsent without SMTP configured, and refuses bad input', async () => {
    const before = (await outbox()).length;
    await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      queueMail(tx, { to: ['erik@plant.example'], subject: 'Unsent', text: 'x' }),
    );
    expect(await deliverDueMail({ db: h.db, transport: null, from: undefined, log })).toMatchObject({
      claimed: 0,
    });
    expect((await outbox()).find((r) => r.subject === 'Unsent')?.sent_at).toBeNull();
    await expect(
      h.db.transaction(SYSTEM_SCOPE, (tx) =>
        queueMail(tx, { to: ['not an address'], subject: 'Bad\r\nBcc: x@y.z', text: 'x' }),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await outbox()).length).toBe(before + 1);
  });

  it('lets people queue mail but never read the outbox', async () => {
    const userScope = { userId: 1, siteIds: [], allSites: true };
    await h.db.transaction(userScope, (tx) =>
      queueMail(tx, { to: ['fay@plant.example'], subject: 'From a request', text: 'x' }),
    );
    const seen = await h.db.transaction(userScope, (tx) =>
      tx.selectFrom('mail_outbox').selectAll().execute(),
    );
    expect(seen).toEqual([]);
    expect((await outbox()).some((r) => r.subject === 'From a request')).toBe(true);
  });
});
