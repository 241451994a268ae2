export { createDowntimeService, type DowntimeService } from './downtime.service.ts';
export { createCatalogService, type CatalogService } from './catalog.service.ts';
export { historyRoutes, maintenanceRoutes } from './maintenance.routes.ts';
export { createHistoryService, type HistoryService } from './history.service.ts';
export { registerMaintenanceGraphql } from './maintenance.graphql.ts';
export { downtimeFilterInput, downtimeOutput, type DowntimeOutput } from './downtime.dto.ts';
export { createRepairService, type RepairService, type SiteMembers } from './repair.service.ts';
export { repairRoutes } from './repair.routes.ts';
export { repairFilterInput, repairOutput } from './repair.dto.ts';
export { registerRepairGraphql } from './repair.graphql.ts';
export { registerHistoryGraphql } from './history.graphql.ts';
export { repairSiteOf } from './repair-attachment.owner.ts';
export { openBreakdownDowntime } from './downtime.issue.ts';
export { createUnexplainedService, type UnexplainedService } from './unexplained.service.ts';
export { unexplainedRoutes } from './unexplained.routes.ts';
export { registerUnexplainedGraphql } from './unexplained.graphql.ts';
export { STOP_CAUSES, type StopCause } from './unexplained.dto.ts';
export {
  closeAutomaticDowntime,
  closeAutomaticDowntimes,
  latestDowntimesOf,
  openAutomaticDowntime,
  recordPastAutomaticDowntime,
  type LatestDowntime,
} from './downtime.automatic.ts';
