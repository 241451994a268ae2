export { createDowntimeService, type DowntimeService } from './downtime.service.ts';
export { createCatalogService, type CatalogService } from './catalog.service.ts';
export { maintenanceRoutes } from './maintenance.routes.ts';
export { registerMaintenanceGraphql } from './maintenance.graphql.ts';
export type { DowntimeOutput } from './downtime.dto.ts';
