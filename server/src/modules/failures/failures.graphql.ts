import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import type { AttachmentOutput, registerFilesGraphql } from '../files/index.ts';
import * as dto from './failure-report.dto.ts';
import type { FailureReportService } from './failure-report.service.ts';

type Args = Record<string, unknown>;
type FileRefs = ReturnType<typeof registerFilesGraphql>;
type Report = dto.FailureReportOutput;

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;

/** camelCase args → the REST shape: enums lower case, DateTime values as the ISO strings REST reads. */
const restShape = (input: Args, options: { dropNulls?: boolean } = {}): Args =>
  Object.fromEntries(
    Object.entries(snakeCase(input, options)).map(([key, value]) => [
      key,
      value instanceof Date
        ? value.toISOString()
        : key === 'severity' || key === 'status'
          ? lower(value)
          : value,
    ]),
  );

/** Failure reports over GraphQL: the same service, DTOs and permissions as the REST routes, in camelCase. */
export function registerFailuresGraphql(
  builder: Builder,
  reports: FailureReportService,
  refs: Pick<FileRefs, 'Attachment'>,
) {
  const Severity = builder.enumType('FailureSeverity', {
    values: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const,
  });
  const Status = builder.enumType('FailureReportStatus', { values: ['OPEN', 'CLOSED'] as const });

  const FailureReport = builder.objectRef<Report>('FailureReport').implement({
    description: 'A failure of a tool or machine, with the action item raised to fix it',
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (r) => r.site_id }),
      toolId: t.id({ nullable: true, resolve: (r) => r.tool_id }),
      toolAssetNumber: t.string({ nullable: true, resolve: (r) => r.tool_asset_number }),
      toolName: t.string({ nullable: true, resolve: (r) => r.tool_name }),
      machineId: t.id({ nullable: true, resolve: (r) => r.machine_id }),
      machineCode: t.string({ nullable: true, resolve: (r) => r.machine_code }),
      machineName: t.string({ nullable: true, resolve: (r) => r.machine_name }),
      failureCodeId: t.id({ resolve: (r) => r.failure_code_id }),
      failureCode: t.string({ description: 'e.g. FL-001', resolve: (r) => r.failure_code }),
      failureName: t.string({ resolve: (r) => r.failure_name }),
      severity: t.field({ type: Severity, resolve: (r) => upper(r.severity) }),
      description: t.exposeString('description'),
      occurredAt: t.field({ type: 'DateTime', resolve: (r) => r.occurred_at }),
      containmentAction: t.string({ nullable: true, resolve: (r) => r.containment_action }),
      reportedBy: t.id({ nullable: true, resolve: (r) => r.reported_by }),
      reportedByName: t.string({ nullable: true, resolve: (r) => r.reported_by_name }),
      reportedAt: t.field({ type: 'DateTime', resolve: (r) => r.reported_at }),
      status: t.field({ type: Status, resolve: (r) => upper(r.status) }),
      actionItemId: t.id({ nullable: true, resolve: (r) => r.action_item_id }),
      actionStatus: t.string({ nullable: true, resolve: (r) => r.action_status }),
      actionAssigneeId: t.id({ nullable: true, resolve: (r) => r.action_assignee_id }),
      actionDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.action_due_at }),
      photoCount: t.int({ resolve: (r) => r.photo_count }),
      photos: t.field({
        type: [refs.Attachment],
        description: 'Its photos, oldest first (download each from url with the same token)',
        resolve: (r, _args, c): Promise<AttachmentOutput[]> => reports.photos(c.caller, r.id),
      }),
    }),
  });
  const FailureReportPage = builder
    .objectRef<{ items: Report[]; next_cursor: string | null }>('FailureReportPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [FailureReport], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });
  const FailureReportFilter = builder.inputType('FailureReportFilter', {
    fields: (t) => ({
      siteId: t.id(),
      toolId: t.id(),
      machineId: t.id(),
      failureCodeId: t.id(),
      severity: t.field({ type: Severity }),
      status: t.field({ type: Status }),
      from: t.field({ type: 'DateTime' }),
      to: t.field({ type: 'DateTime' }),
    }),
  });
  const FailureReportInput = builder.inputType('FailureReportInput', {
    fields: (t) => ({
      toolId: t.id(),
      machineId: t.id(),
      failureCodeId: t.id({ required: true }),
      severity: t.field({ type: Severity, description: "Default: the failure code's default severity" }),
      description: t.string({ required: true }),
      occurredAt: t.field({ type: 'DateTime', description: 'Default: now; never in the future' }),
      containmentAction: t.string(),
      assigneeId: t.id({ description: "Who should fix it (the action item's assignee)" }),
      dueAt: t.field({ type: 'DateTime', description: 'Default by severity: critical 1 day … low 14 days' }),
    }),
  });

  const read = { permission: 'plant:read' };
  builder.queryFields((t) => ({
    failureReports: t.field({
      type: FailureReportPage,
      description: 'Failure reports, latest occurrence first',
      args: { filter: t.arg({ type: FailureReportFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) =>
          reports.list(
            c.caller,
            parseInput(dto.failureReportFilterInput, {
              ...restShape(args.filter ?? {}, { dropNulls: true }),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
    failureReport: t.field({
      type: FailureReport,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) =>
        reports.get(c.caller, parseInput(dto.reportIdParam, { id: args.id }).id),
      ),
    }),
  }));
  builder.mutationFields((t) => ({
    reportFailure: t.field({
      type: FailureReport,
      description:
        'Report a failure (photos: POST /failure-reports/{id}/photos); raises its action item, notifies on high and critical',
      args: { input: t.arg({ type: FailureReportInput, required: true }) },
      ...withAccess({ permission: 'failure:report' }, (_p, { input }: { input: Args }, c) =>
        reports.create(
          c.caller,
          parseInput(dto.createFailureReportInput, restShape(input, { dropNulls: true })),
        ),
      ),
    }),
  }));
  return { FailureReport };
}
