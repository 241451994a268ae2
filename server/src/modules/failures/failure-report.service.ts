import type { Kysely } from 'kysely';
import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import { isAppError } from '../../platform/errors.ts';
import { pageOf } from '../../platform/pagination.ts';
import type { RaiseAction, RaiseNotificationInput } from '../actions/index.ts';
import { recordChange } from '../audit/index.ts';
import type { AttachmentOutput, FileService } from '../files/index.ts';
import {
  DEFAULT_DUE_DAYS,
  URGENT_SEVERITIES,
  type CreateFailureReportInput,
  type FailureReportFilter,
  type FailureReportOutput,
  type Severity,
} from './failure-report.dto.ts';
import * as reports from './failure-report.repository.ts';
import {
  failureReportNotFound,
  inactiveFailureCode,
  invalidAssignee,
  invalidDue,
  occurredInFuture,
  toolMachineSites,
  unknownFailureCode,
  unknownMachine,
  unknownTool,
} from './failures.errors.ts';

export type Notify = (tx: Tx, input: RaiseNotificationInput) => Promise<number>;
export type SiteMembers = (
  db: Kysely<Tables>,
  siteId: number,
  userIds: readonly number[],
) => Promise<number[]>;
/** The two calls of the files service a failure report needs (its photos). */
export type PhotoFiles = Pick<FileService, 'attach' | 'list'>;

/** Tablet clocks drift: an occurrence up to this far ahead of the server's clock is taken as now. */
const CLOCK_SKEW_MS = 2 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PhotoUpload {
  filename: string | undefined;
  data: Buffer;
}

/** A photo sent with the report that was refused; the report itself was kept. */
export interface PhotoError {
  filename: string | null;
  error_code: string;
  message: string;
}

export interface CreatedReport extends FailureReportOutput {
  photos: AttachmentOutput[];
  photo_errors: PhotoError[];
}

const owner = (id: number) => ({ owner_type: 'failure_report', owner_id: id }) as const;

/**
 * Failure reports on tools and machines. Each report raises one action item (for the assignee the
 * form names, due by severity unless given); high and critical ones tell the site's managers and
 * technicians at once. Photos are attachments of the report (checked and cleaned by the files module).
 */
export function createFailureReportService(deps: {
  db: Pick<Database, 'transaction'>;
  raiseAction: RaiseAction;
  notify: Notify;
  siteMembers: SiteMembers;
  files: PhotoFiles;
  now?: () => Date;
}) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const userOf = (ctx: AuthedContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

  async function getOrThrow(tx: Tx, id: number): Promise<FailureReportOutput> {
    const found = await reports.findReport(tx, id);
    if (!found) throw failureReportNotFound(`No failure report with id ${id}`);
    return found;
  }

  /** The report's site and subject, from the tool and/or machine named (both must be visible, one site). */
  async function subjectOf(tx: Tx, input: CreateFailureReportInput) {
    const tool = input.tool_id ? await reports.findTool(tx, input.tool_id) : undefined;
    if (input.tool_id && !tool) {
      throw unknownTool(`No tool with id ${input.tool_id} on your sites`, {
        errors: [{ field: 'tool_id', message: 'unknown tool' }],
      });
    }
    const machine = input.machine_id ? await reports.findMachine(tx, input.machine_id) : undefined;
    if (input.machine_id && !machine) {
      throw unknownMachine(`No machine with id ${input.machine_id} on your sites`, {
        errors: [{ field: 'machine_id', message: 'unknown machine' }],
      });
    }
    if (tool && machine && tool.site_id !== machine.site_id) {
      throw toolMachineSites(`Tool ${tool.asset_number} and machine ${machine.code} are on different sites`, {
        errors: [{ field: 'machine_id', message: "not on the tool's site" }],
      });
    }
    const siteId = (tool?.site_id ?? machine?.site_id)!;
    const label = [tool ? `tool ${tool.asset_number}` : null, machine ? `machine ${machine.code}` : null]
      .filter(Boolean)
      .join(' on ');
    return { siteId, label, toolId: tool?.id ?? null, machineId: machine?.id ?? null };
  }

  async function checkAssignee(tx: Tx, siteId: number, assigneeId: number | null | undefined) {
    if (assigneeId == null) return;
    const members = await deps.siteMembers(tx, siteId, [assigneeId]);
    if (!members.includes(assigneeId)) {
      throw invalidAssignee(`User ${assigneeId} is not an active member of this site`, {
        errors: [{ field: 'assignee_id', message: 'unknown or not on this site' }],
      });
    }
  }

  async function create(
    request: RequestContext,
    input: CreateFailureReportInput,
  ): Promise<FailureReportOutput> {
    const ctx = requirePermission(request, 'failure:report');
    const at = now();
    const occurredAt = input.occurred_at ?? at;
    if (occurredAt.getTime() > at.getTime() + CLOCK_SKEW_MS) {
      throw occurredInFuture(`The failure cannot have occurred in the future (${occurredAt.toISOString()})`, {
        errors: [{ field: 'occurred_at', message: 'must not be in the future' }],
      });
    }
    if (input.due_at && input.due_at.getTime() < at.getTime() - CLOCK_SKEW_MS) {
      throw invalidDue('The action cannot be due in the past', {
        errors: [{ field: 'due_at', message: 'must not be in the past' }],
      });
    }
    return db.transaction(scopeOf(ctx), async (tx) => {
      const code = await reports.findFailureCode(tx, input.failure_code_id);
      if (!code) {
        throw unknownFailureCode(`No failure code with id ${input.failure_code_id}`, {
          errors: [{ field: 'failure_code_id', message: 'unknown failure code' }],
        });
      }
      if (!code.is_active) {
        throw inactiveFailureCode(`Failure code ${code.code} is no longer in use; pick another`, {
          errors: [{ field: 'failure_code_id', message: 'inactive failure code' }],
        });
      }
      const subject = await subjectOf(tx, input);
      await checkAssignee(tx, subject.siteId, input.assignee_id);
      const severity = (input.severity ?? code.default_severity) as Severity;
      const reporter = userOf(ctx);
      const id = await reports.insertReport(tx, {
        site_id: subject.siteId,
        tool_id: subject.toolId,
        machine_id: subject.machineId,
        failure_code_id: code.id,
        severity,
        description: input.description,
        occurred_at: occurredAt,
        containment_action: input.containment_action || null,
        reported_by: reporter,
      });
      const title = `${code.code} ${code.name}: ${subject.label}`;
      const action = await deps.raiseAction(tx, {
        site_id: subject.siteId,
        title: title.slice(0, 200),
        description: [
          input.description,
          input.containment_action ? `Containment: ${input.containment_action}` : null,
        ]
          .filter(Boolean)
          .join('\n\n')
          .slice(0, 4000),
        source: 'failure_report',
        source_id: id,
        machine_id: subject.machineId,
        tool_id: subject.toolId,
        priority: severity,
        assignee_id: input.assignee_id ?? null,
        due_at: input.due_at ?? new Date(at.getTime() + DEFAULT_DUE_DAYS[severity] * DAY_MS),
        created_by: reporter,
      });
      await reports.linkAction(tx, id, action.id);
      const created = await getOrThrow(tx, id);
      await recordChange(tx, ctx, {
        action: 'create',
        entity: 'failure_report',
        entityId: id,
        siteId: subject.siteId,
        after: created,
      });
      if (URGENT_SEVERITIES.includes(severity)) {
        await deps.notify(tx, {
          kind: 'failure_report',
          title: `${severity === 'critical' ? 'Critical' : 'High'} failure: ${title}`,
          body: `${ctx.actor.name}: ${input.description}`.slice(0, 2000),
          link: `/app/failures/${id}`,
          site_id: subject.siteId,
          data: { failure_report_id: id, severity, action_item_id: action.id },
          recipients: { roles: ['manager', 'technician'] },
        });
      }
      return created;
    });
  }

  return {
    create,

    /**
     * A report with the photos taken for it, in one request from a tablet. The report is kept even
     * when a photo is refused (the failure must not be lost for a bad picture): each refused photo is
     * listed in photo_errors, stores nothing, and can be sent again to POST /failure-reports/:id/photos.
     */
    async createWithPhotos(
      request: RequestContext,
      input: CreateFailureReportInput,
      photos: PhotoUpload[],
    ): Promise<CreatedReport> {
      const report = await create(request, input);
      const stored: AttachmentOutput[] = [];
      const errors: PhotoError[] = [];
      for (const photo of photos) {
        try {
          stored.push(await deps.files.attach(request, owner(report.id), photo));
        } catch (error) {
          if (!isAppError(error)) throw error;
          errors.push({ filename: photo.filename ?? null, error_code: error.code, message: error.message });
        }
      }
      return { ...report, photo_count: stored.length, photos: stored, photo_errors: errors };
    },

    async list(request: RequestContext, filter: FailureReportFilter) {
      const ctx = requirePermission(request, 'plant:read');
      const rows = await db.transaction(scopeOf(ctx), (tx) => reports.listReports(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({
        occurred_at: row.occurred_at.toISOString(),
        id: row.id,
      }));
    },

    async get(request: RequestContext, id: number): Promise<FailureReportOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), (tx) => getOrThrow(tx, id));
    },

    addPhoto: (request: RequestContext, id: number, upload: PhotoUpload) =>
      deps.files.attach(request, owner(id), upload),

    photos: (request: RequestContext, id: number) => deps.files.list(request, owner(id)),
  };
}
export type FailureReportService = ReturnType<typeof createFailureReportService>;
