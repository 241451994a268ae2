import type { Database } from '../../platform/db/database.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { KpiService } from '../kpi/index.ts';
import { createExportService } from './export.service.ts';
import { exportLists, type ExportableLists } from './export.lists.ts';
import { registerReportsGraphql } from './reports.graphql.ts';
import { exportRoutes, weeklyReportRoutes } from './reports.routes.ts';
import { createWeeklyReportService, type EvaluatePm } from './weekly.service.ts';

export type { WeeklyJobResult, WeeklyReportService, EvaluatePm } from './weekly.service.ts';
export type { ExportableLists } from './export.lists.ts';
export { exportOf, type ExportList } from './export.stream.ts';

/** Exports of every list and the weekly maintenance PDF (docs/reports.md). */
export function createReportsModule(deps: {
  db: Database;
  kpi: Pick<KpiService, 'kpis'>;
  evaluatePm?: EvaluatePm | undefined;
  lists: ExportableLists;
  clock?: () => Date;
}) {
  const weekly = createWeeklyReportService(deps);
  const exports = createExportService({ db: deps.db });
  const lists = exportLists(deps.db, deps.lists);
  return {
    weekly,
    exports,
    lists,
    routes: [exportRoutes(exports, lists), weeklyReportRoutes(weekly)],
    registerGraphql: (builder: Builder) => registerReportsGraphql(builder, weekly),
  };
}
export { createWeeklyReportService };
