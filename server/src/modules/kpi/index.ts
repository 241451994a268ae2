export { createKpiService, type KpiService } from './kpi.service.ts';
export { kpiRoutes } from './kpi.routes.ts';
export { registerKpiGraphql, type KpiGraphqlRefs } from './kpi.graphql.ts';
export { registerOeeGraphql } from './oee.graphql.ts';
export type { KpiReport, KpiScope } from './kpi.dto.ts';
export type { KpiFigures, ParetoEntry } from './kpi.calculations.ts';
export { createOeeService, type OeeService, type OeeReport } from './oee.service.ts';
export { oeeRoutes } from './oee.routes.ts';
export {
  createBoardShiftOee,
  createShiftOeeCache,
  currentShiftOee,
  shiftOeeForBoard,
  type BoardOeeFigures,
  type CurrentShiftOee,
  type ShiftOeeCache,
} from './oee.current.ts';
export type { OeeFigures } from './oee.calculations.ts';
