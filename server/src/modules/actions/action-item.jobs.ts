import { sql } from 'kysely';
import { SYSTEM_SCOPE, type Database, type Tx } from '../../platform/db/database.ts';
import { queueMail } from '../../platform/mail/index.ts';
import type { RaiseNotificationInput } from './notification.dto.ts';
import type { FindRecipients } from './notification.service.ts';

const DAY_MS = 86_400_000;
/** Overdue reminders repeat at most this often (a little under a day, so an hourly job keeps its hour). */
const REMIND_EVERY_MS = 23 * 3_600_000;
/** Escalation to the site's managers after every further 2 days overdue (2, 4, 6, …). */
export const ESCALATE_EVERY_DAYS = 2;
/** Digests go out from this local hour of the person's site. */
export const DIGEST_HOUR = 6;

type Notify = (tx: Tx, input: RaiseNotificationInput) => Promise<number>;

interface OverdueRow {
  id: number;
  site_id: number;
  site_code: string;
  title: string;
  assignee_id: number | null;
  due_at: Date;
  escalation_level: number;
  status: string;
}

interface Person {
  id: number;
  email: string | null;
  name: string;
}

async function people(tx: Tx, ids: readonly number[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  const rows = await sql<Person>`
    select id, nullif(trim(email), '') as email, coalesce(full_name, username) as name
    from users where id = any(${[...ids]}::bigint[]) and is_active`.execute(tx);
  return rows.rows;
}

function lateBy(now: Date, due: Date): string {
  const hours = Math.floor((now.getTime() - due.getTime()) / 3_600_000);
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${Math.max(1, hours)} hours`;
}

function appUrl(base: string | undefined, path: string): string {
  return base ? `${base.replace(/\/$/, '')}${path}` : path;
}

/**
 * The action-item jobs of the worker role. Each is safe when several workers run: rows are claimed with
 * `for update skip locked` (overdue) or by inserting the day's digest row first (digest).
 */
export function createActionJobs(deps: {
  db: Pick<Database, 'transaction'>;
  notify: Notify;
  findRecipients: FindRecipients;
  /** Public address of the web app for links in e-mail, e.g. https://hom.plant.example. */
  appBaseUrl?: string;
}) {
  const { db, notify } = deps;

  return {
    /**
     * Overdue open / in-progress items: the assignee is told in the app and by e-mail (if they have an
     * address) once a day; every further 2 days overdue the item escalates (level + 1, an 'escalated'
     * event) to the site's managers, in the app and by e-mail.
     */
    async remindOverdue(now: Date = new Date()): Promise<{ reminded: number; escalated: number }> {
      return db.transaction(SYSTEM_SCOPE, async (tx) => {
        const rows = await sql<OverdueRow>`
          select a.id, a.site_id, s.code as site_code, a.title, a.assignee_id, a.due_at, a.escalation_level, a.status
          from action_items a join sites s on s.id = a.site_id
          where a.status in ('open', 'in_progress') and a.due_at < ${now}
            and (a.overdue_notified_at is null or a.overdue_notified_at <= ${new Date(now.getTime() - REMIND_EVERY_MS)})
          order by a.due_at
          limit 500
          for update of a skip locked`.execute(tx);
        let escalated = 0;
        for (const item of rows.rows) {
          const late = lateBy(now, item.due_at);
          const link = `/app/actions/${item.id}`;
          const escalate =
            now.getTime() - item.due_at.getTime() >=
            ESCALATE_EVERY_DAYS * (item.escalation_level + 1) * DAY_MS;
          await sql`update action_items set overdue_notified_at = ${now},
              escalation_level = escalation_level + ${escalate ? 1 : 0},
              escalated_at = case when ${escalate} then ${now}::timestamptz else escalated_at end
            where id = ${item.id}`.execute(tx);
          if (item.assignee_id !== null) {
            await notify(tx, {
              kind: 'action_overdue',
              title: `Overdue by ${late}: ${item.title}`,
              body: `Was due ${item.due_at.toISOString()}`,
              link,
              site_id: item.site_id,
              data: { action_item_id: item.id },
              recipients: { user_ids: [item.assignee_id] },
            });
            const [person] = await people(tx, [item.assignee_id]);
            if (person?.email)
              await queueMail(tx, {
                to: [person.email],
                subject: `Overdue action: ${item.title}`.slice(0, 300),
                text: `Hello ${person.name},\n\nthe action "${item.title}" (${item.site_code}) was due ${item.due_at.toISOString()} and is ${late} late.\n\nOpen it: ${appUrl(deps.appBaseUrl, link)}\n`,
              });
          }
          if (!escalate) continue;
          escalated += 1;
          const level = item.escalation_level + 1;
          await tx
            .insertInto('action_item_events')
            .values({
              action_item_id: item.id,
              site_id: item.site_id,
              actor_user_id: null,
              kind: 'escalated',
              from_value: String(item.escalation_level),
              to_value: String(level),
              note: `Overdue by ${late}; escalated to the site's managers`,
              at: now,
            })
            .execute();
          const managers = await deps.findRecipients(tx, ['manager'], item.site_id);
          if (managers.length === 0) continue;
          await notify(tx, {
            kind: 'action_escalated',
            title: `Escalated (level ${level}), overdue by ${late}: ${item.title}`,
            link,
            site_id: item.site_id,
            data: { action_item_id: item.id, escalation_level: level },
            recipients: { user_ids: managers },
          });
          const addresses = (await people(tx, managers)).flatMap((m) => (m.email ? [m.email] : []));
          if (addresses.length > 0)
            await queueMail(tx, {
              to: addresses,
              subject: `Escalated action (${item.site_code}): ${item.title}`.slice(0, 300),
              text: `The action "${item.title}" on site ${item.site_code} was due ${item.due_at.toISOString()} and is ${late} late (escalation level ${level}).\n\nOpen it: ${appUrl(deps.appBaseUrl, link)}\n`,
            });
        }
        return { reminded: rows.rows.length, escalated };
      });
    },

    /**
     * One digest a day per person with open items (due today, overdue, new in the last day, all open),
     * from 06:00 in their site's zone: by e-mail when they have an address, and in the app. The day's
     * row in action_digests is written first, so a second run (or worker) sends nothing.
     */
    async sendDigests(now: Date = new Date()): Promise<{ sent: number }> {
      return db.transaction(SYSTEM_SCOPE, async (tx) => {
        const claimed = await sql<{ user_id: number; digest_date: string; time_zone: string }>`
          with open_items as (
            select a.assignee_id, s.time_zone from action_items a join sites s on s.id = a.site_id
            where a.status in ('open', 'in_progress') and a.assignee_id is not null),
          persons as (
            select o.assignee_id as user_id, min(o.time_zone) as time_zone, count(*) as open_count
            from open_items o join users u on u.id = o.assignee_id and u.is_active
            group by o.assignee_id)
          insert into action_digests (user_id, digest_date, open_count)
          select p.user_id, (${now}::timestamptz at time zone p.time_zone)::date, p.open_count from persons p
          where extract(hour from ${now}::timestamptz at time zone p.time_zone) >= ${DIGEST_HOUR}
          on conflict (user_id, digest_date) do nothing
          returning user_id, digest_date::text,
            (select min(time_zone) from open_items o where o.assignee_id = action_digests.user_id) as time_zone`.execute(
          tx,
        );
        for (const digest of claimed.rows) {
          const items = await sql<{
            id: number;
            title: string;
            site_code: string;
            site_id: number;
            due_at: Date | null;
            created_at: Date;
            due_today: boolean;
          }>`
            select a.id, a.title, s.code as site_code, a.site_id, a.due_at, a.created_at,
              (a.due_at is not null and (a.due_at at time zone s.time_zone)::date = ${digest.digest_date}::date) as due_today
            from action_items a join sites s on s.id = a.site_id
            where a.assignee_id = ${digest.user_id} and a.status in ('open', 'in_progress')
            order by a.due_at nulls last, a.id`.execute(tx);
          const overdue = items.rows.filter((i) => i.due_at !== null && i.due_at < now);
          const dueToday = items.rows.filter((i) => i.due_today && !(i.due_at! < now));
          const fresh = items.rows.filter((i) => now.getTime() - i.created_at.getTime() < DAY_MS);
          const line = (i: (typeof items.rows)[number]) =>
            `- ${i.title} (${i.site_code}${i.due_at ? `, due ${i.due_at.toISOString()}` : ''}) ${appUrl(deps.appBaseUrl, `/app/actions/${i.id}`)}`;
          const section = (title: string, list: typeof items.rows) =>
            list.length > 0 ? `${title} (${list.length}):\n${list.map(line).join('\n')}\n\n` : '';
          const summary = `${items.rows.length} open, ${overdue.length} overdue, ${dueToday.length} due today, ${fresh.length} new`;
          const [person] = await people(tx, [digest.user_id]);
          await notify(tx, {
            kind: 'action_digest',
            title: `Your actions today: ${summary}`,
            link: '/app/actions',
            site_id: null,
            data: { date: digest.digest_date, open: items.rows.length, overdue: overdue.length },
            recipients: { user_ids: [digest.user_id] },
          });
          if (person?.email)
            await queueMail(tx, {
              to: [person.email],
              subject: `HOM actions for ${digest.digest_date}: ${summary}`,
              text:
                `Hello ${person.name},\n\n` +
                section('Overdue', overdue) +
                section('Due today', dueToday) +
                section('New since yesterday', fresh) +
                section('All open', items.rows),
            });
        }
        return { sent: claimed.rows.length };
      });
    },
  };
}
export type ActionJobs = ReturnType<typeof createActionJobs>;
