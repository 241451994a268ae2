import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { buildSite, buildUser, type SiteRecord, type UserRecord } from '../../../../test/factories.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import { createLogger } from '../../../platform/logger.ts';
import { deliverDueMail, smtpTransport } from '../../../platform/mail/index.ts';
import { usersWithPermission } from '../../identity/index.ts';
import { createActionJobs, type ActionJobs } from '../index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('overdue reminders, escalation and the daily digest', () => {
  let h: Harness;
  let site: SiteRecord;
  let manager: UserRecord;
  let tech: UserRecord;
  let jobs: ActionJobs;
  let itemId: number;
  const due = new Date('2030-01-10T10:00:00Z');

  beforeAll(async () => {
    h = await createHarness();
    site = await buildSite(h, { time_zone: 'Europe/Berlin' });
    manager = await buildUser(h, { role: 'manager', site_ids: [site.id] });
    tech = await buildUser(h, { role: 'technician', site_ids: [site.id] });
    const owner = new pg.Client({ connectionString: h.ownerUrl });
    await owner.connect();
    await owner.query(`update users set email = 'tech@plant.example' where id = $1`, [tech.id]);
    await owner.query(`update users set email = 'boss@plant.example' where id = $1`, [manager.id]);
    await owner.end();
    jobs = createActionJobs({
      db: h.db,
      notify: h.server.modules.notifications.raise,
      findRecipients: usersWithPermission,
    });
    const created = await h.request({
      method: 'POST',
      url: '/action-items',
      token: manager.token,
      payload: { title: 'Polish cavity 2', assignee_id: tech.id, due_at: due.toISOString() },
    });
    expect(created.statusCode).toBe(201);
    itemId = created.json().id;
  });
  afterAll(async () => {
    await h.close();
  });

  const outbox = () =>
    h.db.transaction(SYSTEM_SCOPE, (tx) => tx.selectFrom('mail_outbox').selectAll().orderBy('id').execute());
  const notes = async (token: string, kind: string) =>
    (await h.request({ method: 'GET', url: '/notifications', token }))
      .json()
      .items.filter((n: { kind: string }) => n.kind === kind);

  it('tells the assignee once a day while overdue, in the app and by e-mail', async () => {
    expect(await jobs.remindOverdue(new Date(due.getTime() - HOUR))).toEqual({ reminded: 0, escalated: 0 });
    expect(await jobs.remindOverdue(new Date(due.getTime() + HOUR))).toEqual({ reminded: 1, escalated: 0 });
    expect(await notes(tech.token, 'action_overdue')).toHaveLength(1);
    let mails = await outbox();
    expect(mails.map((m) => [m.to_addresses, m.subject])).toEqual([
      [['tech@plant.example'], 'Overdue action: Polish cavity 2'],
    ]);
    // Same day again: nothing new.
    expect(await jobs.remindOverdue(new Date(due.getTime() + 5 * HOUR))).toEqual({
      reminded: 0,
      escalated: 0,
    });
    // Next day: reminded again, not yet escalated.
    expect(await jobs.remindOverdue(new Date(due.getTime() + DAY + 2 * HOUR))).toEqual({
      reminded: 1,
      escalated: 0,
    });
    mails = await outbox();
    expect(mails).toHaveLength(2);
    expect(await notes(tech.token, 'action_overdue')).toHaveLength(2);
  });

  it('escalates to the site managers after two days overdue, once, with an event', async () => {
    const at = new Date(due.getTime() + 2 * DAY + 3 * HOUR);
    expect(await jobs.remindOverdue(at)).toEqual({ reminded: 1, escalated: 1 });
    expect(await jobs.remindOverdue(new Date(at.getTime() + HOUR))).toEqual({ reminded: 0, escalated: 0 });
    const detail = (
      await h.request({ method: 'GET', url: `/action-items/${itemId}`, token: manager.token })
    ).json();
    expect(detail.escalation_level).toBe(1);
    expect(detail.events.filter((e: { kind: string }) => e.kind === 'escalated')).toEqual([
      expect.objectContaining({ from_value: '0', to_value: '1' }),
    ]);
    expect(await notes(manager.token, 'action_escalated')).toHaveLength(1);
    const mails = await outbox();
    expect(mails.filter((m) => m.to_addresses.includes('boss@plant.example')).map((m) => m.subject)).toEqual([
      `Escalated action (${site.code}): Polish cavity 2`,
    ]);
    // The next day: a reminder, but level 2 waits until 4 days overdue.
    expect(await jobs.remindOverdue(new Date(due.getTime() + 3 * DAY + 4 * HOUR))).toEqual({
      reminded: 1,
      escalated: 0,
    });
    expect(await jobs.remindOverdue(new Date(due.getTime() + 4 * DAY + 5 * HOUR))).toEqual({
      reminded: 1,
      escalated: 1,
    });
  });

  it('completed items are left alone', async () => {
    await h.request({
      method: 'POST',
      url: `/action-items/${itemId}/status`,
      token: tech.token,
      payload: { status: 'in_progress' },
    });
    const done = await h.request({
      method: 'POST',
      url: `/action-items/${itemId}/status`,
      token: tech.token,
      payload: { status: 'completed', note: 'Polished' },
    });
    expect(done.statusCode).toBe(200);
    expect(await jobs.remindOverdue(new Date(due.getTime() + 10 * DAY))).toEqual({
      reminded: 0,
      escalated: 0,
    });
  });

  it('sends one digest per person and day, from 06:00 local time', async () => {
    const created = await h.request({
      method: 'POST',
      url: '/action-items',
      token: manager.token,
      payload: { title: 'Check hot runner', assignee_id: tech.id, due_at: '2030-02-01T15:00:00Z' },
    });
    expect(created.statusCode).toBe(201);
    const before = (await outbox()).length;
    // 04:30 in Berlin: too early.
    expect(await jobs.sendDigests(new Date('2030-02-01T03:30:00Z'))).toEqual({ sent: 0 });
    expect(await jobs.sendDigests(new Date('2030-02-01T06:00:00Z'))).toEqual({ sent: 1 });
    expect(await jobs.sendDigests(new Date('2030-02-01T09:00:00Z'))).toEqual({ sent: 0 });
    const digests = (await outbox()).slice(before);
    expect(digests).toHaveLength(1);
    expect(digests[0]?.to_addresses).toEqual(['tech@plant.example']);
    expect(digests[0]?.subject).toMatch(/^HOM actions for 2030-02-01: 1 open, 0 overdue, 1 due today/);
    expect(digests[0]?.text_body).toContain('Check hot runner');
    expect(await notes(tech.token, 'action_digest')).toHaveLength(1);
    // The next day, another.
    expect(await jobs.sendDigests(new Date('2030-02-02T06:00:00Z'))).toEqual({ sent: 1 });
    expect((await outbox()).slice(before).at(-1)?.subject).toMatch(/1 overdue/);
  });

  it('the e-mails really arrive at an SMTP server', async () => {
    const received: ParsedMail[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    try {
      const pending = (await outbox()).filter((m) => m.sent_at === null).length;
      const result = await deliverDueMail({
        db: h.db,
        transport,
        from: 'HOM <hom@plant.example>',
        log: createLogger('silent'),
      });
      expect(result.sent).toBe(pending);
      expect(received.map((m) => m.subject)).toContain('Overdue action: Polish cavity 2');
      expect(received.map((m) => m.subject)).toContain(`Escalated action (${site.code}): Polish cavity 2`);
      const escalation = received.find((m) => m.subject?.startsWith('Escalated'));
      expect(JSON.stringify(escalation?.to)).toContain('boss@plant.example');
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
