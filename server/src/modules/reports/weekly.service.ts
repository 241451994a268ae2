import {
  requirePermission,
  scopeOf,
  systemContext,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import { SYSTEM_SCOPE, type Database, type Scope, type Tx } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { queueMail as defaultQueueMail, type MailInput } from '../../platform/mail/index.ts';
import { pageOf } from '../../platform/pagination.ts';
import { parseInput } from '../../platform/validation.ts';
import { recordChange } from '../audit/index.ts';
import type { KpiService } from '../kpi/index.ts';
import {
  generateWeeklyReportInput,
  type GenerateWeeklyReportInput,
  type PmPlanDue,
  type PmPlanUsage,
  type ReportSite,
  type WeeklyReportFilter,
  type WeeklyReportRow,
} from './reports.dto.ts';
import { reportSiteNotFound, weeklyReportFailed, weeklyReportNotFound } from './reports.errors.ts';
import * as reports from './reports.repository.ts';
import { renderWeeklyPdf, type WeeklyData } from './weekly.pdf.ts';
import { dueWeek, lastCompleteWeek, weekContaining, type ReportWeek } from './weekly.week.ts';

/** Tools at or beyond this share of their life limit are listed. */
export const NEAR_LIFE_LIMIT = 0.8;
const TOP_FAILURE_CODES = 10;
const OVERDUE_LISTED = 25;
const TOOLS_LISTED = 25;

/** The tools module's PM rule (pm.due.ts), injected so the report and the plan pages agree. */
export type EvaluatePm = (
  interval: { every_shots: number | null; every_days: number | null; warn_at_share: number },
  usage: { shots_since: number; days_since: number },
) => { state: string; share: number };

export interface WeeklyReportDeps {
  db: Pick<Database, 'transaction'>;
  kpi: Pick<KpiService, 'kpis'>;
  /** Without it, the state the tools module stored on the plan is used. */
  evaluatePm?: EvaluatePm | undefined;
  queueMail?: (tx: Tx, mail: MailInput) => Promise<void>;
  clock?: () => Date;
}

export interface WeeklyJobResult {
  generated: { site_id: number; week_start: string; report_id: number; emailed_to: number }[];
  failed: { site_id: number; week_start: string; error: string }[];
}

export function createWeeklyReportService(deps: WeeklyReportDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const queueMail = deps.queueMail ?? defaultQueueMail;

  function duePlans(plans: PmPlanUsage[]): PmPlanDue[] {
    return plans.flatMap((plan) => {
      const evaluation = deps.evaluatePm
        ? deps.evaluatePm(plan, plan)
        : { state: plan.stored_state, share: storedShare(plan) };
      return evaluation.state === 'due' || evaluation.state === 'overdue'
        ? [{ ...plan, state: evaluation.state, share: evaluation.share }]
        : [];
    });
  }

  /** Gathers what the week's report says: KPIs from the kpi module, the rest from the site's records. */
  async function collect(ctx: AuthedContext, site: ReportSite, week: ReportWeek): Promise<WeeklyData> {
    const now = clock();
    const asOf = new Date(Math.min(now.getTime(), week.to.getTime()));
    const kpi = await deps.kpi.kpis(ctx, { site_id: site.id }, { from: week.from, to: week.to });
    const records = await db.transaction(scopeOf(ctx), async (tx) => ({
      failureCodes: await reports.topFailureCodes(tx, site.id, week.from, week.to, TOP_FAILURE_CODES),
      overdue: await reports.overdueActions(tx, site.id, asOf, OVERDUE_LISTED),
      tools: await reports.toolsNearLimit(tx, site.id, NEAR_LIFE_LIMIT, TOOLS_LISTED),
      plans: await reports.pmPlanUsage(tx, site.id, asOf),
    }));
    return {
      site,
      week,
      generated_at: now,
      as_of: asOf,
      kpi: {
        mttr_hours: kpi.mttr_hours,
        mtbf_hours: kpi.mtbf_hours,
        availability: kpi.availability,
        failures: kpi.failures,
        downtime_seconds: kpi.downtime.total_seconds,
        unplanned_seconds: kpi.downtime.unplanned_seconds,
        notes: kpi.notes,
      },
      downtime_by_reason: kpi.pareto.map((entry) => ({
        label: entry.reason ? `${entry.reason.code} ${entry.reason.name}` : 'No reason given',
        name: entry.reason?.name ?? 'No reason given',
        seconds: entry.seconds,
        count: entry.count,
      })),
      failure_codes: records.failureCodes,
      overdue: records.overdue,
      tools: records.tools,
      pm: duePlans(records.plans),
    };
  }

  async function siteOrThrow(scope: Scope, siteId: number): Promise<ReportSite> {
    const site = await db.transaction(scope, (tx) => reports.findSite(tx, siteId));
    if (!site) throw reportSiteNotFound(`No site ${siteId} among the sites you can see`);
    return site;
  }

  function mailOf(site: ReportSite, week: ReportWeek, pdf: Buffer, to: string[]): MailInput {
    return {
      to,
      subject: `Weekly maintenance report ${site.code}: ${week.week_start} to ${week.week_end}`,
      text: [
        `The weekly maintenance report of ${site.name} (${site.code}) for the week ${week.week_start} to ${week.week_end} is attached.`,
        '',
        'It covers MTTR, MTBF and availability, downtime by reason, the top failure codes, overdue action items, tools near their life limit and PM plans that are due.',
        '',
        'HOM',
      ].join('\n'),
      attachments: [{ filename: pdfName(site, week), content: pdf, contentType: 'application/pdf' }],
    };
  }

  return {
    async list(request: RequestContext, filter: WeeklyReportFilter) {
      const ctx = requirePermission(request, 'report:read');
      const rows = await db.transaction(scopeOf(ctx), (tx) => reports.listWeeklyReports(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({ week_start: row.week_start, id: row.id }));
    },

    async get(request: RequestContext, id: number): Promise<WeeklyReportRow> {
      const ctx = requirePermission(request, 'report:read');
      const row = await db.transaction(scopeOf(ctx), (tx) => reports.findWeeklyReport(tx, id));
      if (!row) throw weeklyReportNotFound(`No weekly report with id ${id}`);
      return row;
    },

    /** The PDF and a file name for it; a failed report has no PDF. */
    async pdf(request: RequestContext, id: number): Promise<{ filename: string; pdf: Buffer }> {
      const ctx = requirePermission(request, 'report:read');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const row = await reports.findWeeklyReport(tx, id);
        if (!row) throw weeklyReportNotFound(`No weekly report with id ${id}`);
        const pdf = await reports.weeklyReportPdf(tx, id);
        if (!pdf) {
          throw weeklyReportFailed(
            `The report of ${row.site_code} for ${row.week_start} failed (${row.error ?? 'unknown error'}); generate it again`,
          );
        }
        return { filename: pdfName({ code: row.site_code }, row), pdf };
      });
    },

    /**
     * "Generate now": the report of the site's week that holds `week` (default: the last complete
     * week), written over an earlier one of the same week. Not e-mailed: the schedule does that.
     */
    async generate(request: RequestContext, input: GenerateWeeklyReportInput): Promise<WeeklyReportRow> {
      const ctx = requirePermission(request, 'report:read');
      const { site_id, week: day } = parseInput(generateWeeklyReportInput, input);
      const site = await siteOrThrow(scopeOf(ctx), site_id);
      const now = clock();
      const week = day ? weekContaining(day, site.time_zone) : lastCompleteWeek(now, site.time_zone);
      if (week.from.getTime() > now.getTime()) {
        throw weeklyReportFailed(`The week of ${week.week_start} has not begun on the site's clock yet`, {
          errors: [{ field: 'week', message: 'a week that has begun' }],
        });
      }
      const data = await collect(ctx, site, week);
      const pdf = await renderWeeklyPdf(data);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const id = await reports.upsertReport(tx, {
          site_id: site.id,
          week_start: week.week_start,
          period_from: week.from,
          period_to: week.to,
          pdf,
          trigger: 'request',
          requested_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
          generated_at: data.generated_at,
        });
        await recordChange(tx, ctx, {
          action: 'generate',
          entity: 'weekly_report',
          entityId: id,
          siteId: site.id,
          after: { week_start: week.week_start, size_bytes: pdf.length },
        });
        const row = await reports.findWeeklyReport(tx, id);
        if (!row) throw weeklyReportNotFound(`No weekly report with id ${id}`);
        return row;
      });
    },

    /**
     * The worker's job: for every active site, the report of the week due on its clock (last week from
     * Monday 06:00), once. Safe to run often and from several workers: a site-week that already has a
     * ready report is skipped, the unique (site, week) row decides a race, and the e-mail is queued in
     * the transaction that writes the row, so it goes out once.
     */
    async runJob(log?: Logger): Promise<WeeklyJobResult> {
      const ctx = systemContext('weekly-reports');
      const now = clock();
      const sites = await db.transaction(SYSTEM_SCOPE, (tx) => reports.activeSites(tx));
      const result: WeeklyJobResult = { generated: [], failed: [] };
      for (const site of sites) {
        const week = dueWeek(now, site.time_zone);
        const existing = await db.transaction(SYSTEM_SCOPE, (tx) =>
          reports.findWeeklyReportBySiteWeek(tx, site.id, week.week_start),
        );
        if (existing?.status === 'ready') continue;
        try {
          const data = await collect(ctx, site, week);
          const pdf = await renderWeeklyPdf(data);
          const written = await db.transaction(SYSTEM_SCOPE, async (tx) => {
            const id = await reports.insertReportOnce(tx, {
              site_id: site.id,
              week_start: week.week_start,
              period_from: week.from,
              period_to: week.to,
              pdf,
              trigger: 'job',
              requested_by: null,
              generated_at: data.generated_at,
            });
            if (id === undefined) return undefined;
            const to = await reports.siteManagerEmails(tx, site.id);
            if (to.length > 0) {
              await queueMail(tx, mailOf(site, week, pdf, to));
              await reports.markEmailed(tx, id, to.length, now);
            }
            return { id, emailed: to.length };
          });
          if (written) {
            result.generated.push({
              site_id: site.id,
              week_start: week.week_start,
              report_id: written.id,
              emailed_to: written.emailed,
            });
          }
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          log?.error({ err: error, site_id: site.id, week_start: week.week_start }, 'weekly report failed');
          result.failed.push({ site_id: site.id, week_start: week.week_start, error: message });
          await db
            .transaction(SYSTEM_SCOPE, (tx) =>
              reports.recordFailure(
                tx,
                {
                  site_id: site.id,
                  week_start: week.week_start,
                  period_from: week.from,
                  period_to: week.to,
                  trigger: 'job',
                  requested_by: null,
                  generated_at: now,
                },
                message,
              ),
            )
            .catch((failure: unknown) => log?.error({ err: failure }, 'could not record the failed report'));
        }
      }
      return result;
    },
  };
}
export type WeeklyReportService = ReturnType<typeof createWeeklyReportService>;

export function pdfName(site: { code: string }, week: { week_start: string }): string {
  return `weekly-maintenance_${site.code}_${week.week_start}.pdf`;
}

function storedShare(plan: PmPlanUsage): number {
  const shots = plan.every_shots ? plan.shots_since / plan.every_shots : 0;
  const days = plan.every_days ? plan.days_since / plan.every_days : 0;
  return Math.max(shots, days);
}
