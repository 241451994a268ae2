export { createKpiService, type KpiService } from './kpi.service.ts';
export { kpiRoutes } from './kpi.routes.ts';
export { registerKpiGraphql } from './kpi.graphql.ts';
export type { KpiReport, KpiScope } from './kpi.dto.ts';
export type { KpiFigures, ParetoEntry } from './kpi.calculations.ts';
