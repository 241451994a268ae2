export { createDowntimeService, type DowntimeService } from './downtime.service.ts';
export { createCatalogService, type CatalogService } from './catalog.service.ts';
export { maintenanceRoutes } from './maintenance.routes.ts';
export { registerMaintenanceGraphql } from './maintenance.graphql.ts';
export type { DowntimeOutput } from './downtime.dto.ts';
export { createRepairService, type RepairService, type SiteMembers } from './repair.service.ts';
export { repairRoutes } from './repair.routes.ts';
export { registerRepairGraphql } from './repair.graphql.ts';
