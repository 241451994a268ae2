import type { Database } from '../../platform/db/database.ts';
import type { RaiseAction } from '../actions/index.ts';
import {
  createFailureReportService,
  type Notify,
  type PhotoFiles,
  type SiteMembers,
} from './failure-report.service.ts';
import { failureReportRoutes } from './failure-report.routes.ts';

export { registerFailuresGraphql } from './failures.graphql.ts';
export { failureReportSiteOf } from './failure-report.repository.ts';
export {
  failureReportFilterInput,
  failureReportOutput,
  type FailureReportOutput,
} from './failure-report.dto.ts';
export type { FailureReportService } from './failure-report.service.ts';

/** Failure reports on tools and machines, with photos and the action item each one raises. */
export function createFailuresModule(deps: {
  db: Pick<Database, 'transaction'>;
  raiseAction: RaiseAction;
  notify: Notify;
  siteMembers: SiteMembers;
  files: PhotoFiles & { limits: { maxBytes: number } };
}) {
  const reports = createFailureReportService(deps);
  return { reports, routes: failureReportRoutes(reports, deps.files.limits.maxBytes) };
}
