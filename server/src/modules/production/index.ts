import type { Database } from '../../platform/db/database.ts';
import { createIssueService, type Notify } from './issue.service.ts';
import { createProductionMetricsService } from './metrics.service.ts';
import { productionRoutes, type ProductionServices } from './production.routes.ts';
import { createRouteService } from './route.service.ts';
import { createStageService } from './stage.service.ts';
import { createWorkOrderService } from './work-order.service.ts';

export type { ProductionServices } from './production.routes.ts';
export { registerProductionGraphql } from './production.graphql.ts';
export type { WorkOrderOutput, StageOutput, IssueOutput } from './production.dto.ts';

/** Production tracking: work orders, routes, stages, assignments, issues, metrics (readings: telemetry). */
export function createProductionModule(deps: { db: Pick<Database, 'transaction'>; notify: Notify }) {
  const services: ProductionServices = {
    workOrders: createWorkOrderService({ db: deps.db }),
    stages: createStageService({ db: deps.db }),
    issues: createIssueService({ db: deps.db, notify: deps.notify }),
    routes: createRouteService({ db: deps.db }),
    metrics: createProductionMetricsService({ db: deps.db }),
  };
  return { services, routes: productionRoutes(services) };
}
