import { SYSTEM_SCOPE, type Database } from './platform/db/database.ts';
import type { Logger } from './platform/logger.ts';
import { createActionJobs, createNotificationService } from './modules/actions/index.ts';
import { pruneAttempts, usersWithPermission } from './modules/identity/index.ts';
import { ensureResultPartitionsAhead } from './modules/quality/index.ts';
import { deliverDueMail, pendingMailCount, smtpTransport } from './platform/mail/index.ts';
import { createPmCheckJob, createWeeklyReportJob } from './modules.ts';
import {
  checkAutomaticStops,
  checkStaleReadings,
  ensureReadingPartitionsAhead,
} from './modules/telemetry/index.ts';

export interface Worker {
  stop(): Promise<void>;
}

const HOUR = 3_600_000;
/** How often queued e-mail is sent (docs/mail.md). */
const MAIL_INTERVAL_MS = 30_000;

/**
 * Background work of the `worker` role, hourly: old sign-in attempts pruned, test-result partitions
 * created months ahead (ingest also creates a missing one on demand), weekly maintenance reports, PM
 * plans checked against the clock.
 */
export function startWorker(deps: {
  db: Database;
  log: Logger;
  mail?: { smtpUrl: string | undefined; from: string | undefined };
}): Worker {
  const log = deps.log.child({ role: 'worker' });
  const mail = startMailSender(deps.db, log, deps.mail);
  const actions = startActionJobs(deps.db, log);
  const stops = startAutomaticStopCheck(deps.db, log);
  const staleReadings = startStaleReadingCheck(deps.db, log);
  const weeklyReports = createWeeklyReportJob(deps.db);
  const pmChecks = createPmCheckJob(deps.db);
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    const housekeeping = deps.db
      .transaction(SYSTEM_SCOPE, (tx) => pruneAttempts(tx))
      .then(() => log.debug('pruned old sign-in attempts'))
      .then(() => ensureResultPartitionsAhead(deps.db))
      .then((partitions) => log.debug({ partitions }, 'test-result partitions ready ahead'))
      .then(() => ensureReadingPartitionsAhead(deps.db))
      .then((partitions) => log.debug({ partitions }, 'reading partitions ready ahead'))
      .catch((error: unknown) => log.warn({ err: error }, 'housekeeping failed'));
    // Each site's last week, from Monday 06:00 on its clock; once per site and week (docs/reports.md).
    const reports = weeklyReports
      .runJob(log)
      .then((result) => {
        if (result.generated.length + result.failed.length > 0)
          log.info(result, 'weekly maintenance reports');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'weekly maintenance reports failed'));
    // PM plans against the clock: day plans come due, overdue plans escalate once a day (docs/tool-maintenance.md).
    const pm = pmChecks()
      .then((result) => log.debug(result, 'PM plans checked'))
      .catch((error: unknown) => log.warn({ err: error }, 'PM check failed'));
    running = Promise.all([housekeeping, reports, pm]);
  };
  tick();
  const timer = setInterval(tick, HOUR);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([running, mail.stop(), actions.stop(), stops.stop(), staleReadings.stop()]);
    },
  };
}

/** Sends queued e-mail through SMTP every 30 s; without SMTP_URL it only says how much is waiting, hourly. */
function startMailSender(
  db: Database,
  log: Logger,
  config: { smtpUrl: string | undefined; from: string | undefined } | undefined,
): Worker {
  const transport = config?.smtpUrl ? smtpTransport(config.smtpUrl) : null;
  let running: Promise<unknown> = Promise.resolve();
  let lastNotice = 0;
  const tick = () => {
    running = (
      transport
        ? deliverDueMail({ db, transport, from: config?.from, log }).then((result) => {
            if (result.claimed > 0) log.info(result, 'e-mail delivery');
          })
        : Date.now() - lastNotice < HOUR
          ? Promise.resolve()
          : pendingMailCount(db).then((pending) => {
              lastNotice = Date.now();
              if (pending > 0) log.info({ pending }, 'e-mail waits in the outbox: SMTP_URL is not set');
            })
    ).catch((error: unknown) => log.warn({ err: error }, 'e-mail delivery failed'));
  };
  tick();
  const timer = setInterval(tick, MAIL_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      transport?.close();
    },
  };
}

/** Action items, hourly: overdue reminders and escalation, and each person's daily digest (docs/actions.md). */
function startActionJobs(db: Database, log: Logger): Worker {
  const notifications = createNotificationService({ db, findRecipients: usersWithPermission });
  const jobs = createActionJobs({ db, notify: notifications.raise, findRecipients: usersWithPermission });
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = jobs
      .remindOverdue()
      .then((overdue) => jobs.sendDigests().then((digests) => ({ ...overdue, digests: digests.sent })))
      .then((result) => log.debug(result, 'action items: overdue reminders and digests'))
      .catch((error: unknown) => log.warn({ err: error }, 'action item jobs failed'));
  };
  tick();
  const timer = setInterval(tick, HOUR);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** How often machines are checked for stops that should open an automatic downtime (docs/auto-downtime.md). */
const STOP_CHECK_INTERVAL_MS = 10_000;

/**
 * Automatic downtime, every 10 s: machines stopped past their threshold (or without cycles for
 * factor × ideal cycle time) get a stop without a reason. Safe with several workers; a run still
 * going when the next is due is not doubled.
 */
function startAutomaticStopCheck(db: Database, log: Logger): Worker {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = checkAutomaticStops(db, new Date(), log)
      .then((result) => {
        if (result.opened + result.failed > 0) log.info(result, 'automatic downtime check');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'automatic downtime check failed'))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, STOP_CHECK_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** How often silent readings are looked for (docs/readings.md, "Stale readings"). */
const STALE_READING_CHECK_INTERVAL_MS = 10_000;

/** Every 10 s: machines whose readings went silent get a stale period; those sending again end it. */
function startStaleReadingCheck(db: Database, log: Logger): Worker {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = checkStaleReadings(db, new Date())
      .then((result) => {
        if (result.opened + result.closed > 0) log.info(result, 'stale readings check');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'stale readings check failed'))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, STALE_READING_CHECK_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
