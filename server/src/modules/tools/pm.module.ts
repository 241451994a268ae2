import type { Database, Tx } from '../../platform/db/database.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { HomApp } from '../../platform/http/types.ts';
import type { RaiseAction } from '../actions/index.ts';
import { registerChecklistGraphql } from './checklist.graphql.ts';
import { checklistRoutes } from './checklist.routes.ts';
import { createChecklistService } from './checklist.service.ts';
import { registerMaintenanceLogGraphql } from './maintenance-log.graphql.ts';
import { maintenanceLogRoutes, type LogFiles } from './maintenance-log.routes.ts';
import { createMaintenanceLogService, type SiteMembers } from './maintenance-log.service.ts';
import { createPmEvaluator, type Notify } from './pm.evaluator.ts';
import { runPmChecks } from './pm.job.ts';
import { registerPmGraphql } from './pm.graphql.ts';
import { pmPlanRoutes } from './pm.routes.ts';
import { createPmPlanService } from './pm.service.ts';

export interface ToolMaintenanceDeps {
  db: Pick<Database, 'transaction'>;
  raiseAction: RaiseAction;
  notify: Notify;
  siteMembers: SiteMembers;
  files?: LogFiles;
}

/**
 * Tool maintenance inside the tools module: PM plans (and their evaluation after shots and by the
 * clock), maintenance logs with checklists, checklist templates.
 */
export function createToolMaintenance(deps: ToolMaintenanceDeps) {
  const evaluator = createPmEvaluator({ raiseAction: deps.raiseAction, notify: deps.notify });
  const services = {
    pmPlans: createPmPlanService({ db: deps.db, evaluator, siteMembers: deps.siteMembers }),
    logs: createMaintenanceLogService({
      db: deps.db,
      raiseAction: deps.raiseAction,
      notify: deps.notify,
      evaluator,
      siteMembers: deps.siteMembers,
    }),
    checklists: createChecklistService({ db: deps.db }),
  };
  const routes = [
    pmPlanRoutes(services.pmPlans),
    maintenanceLogRoutes(services.logs, deps.files),
    checklistRoutes(services.checklists),
  ];
  return {
    services,
    evaluator,
    /** The tools module's shots hook: PM plans of those tools evaluated in the shots transaction. */
    afterShots: async (tx: Tx, toolIds: readonly number[]): Promise<void> => {
      await evaluator.afterShots(tx, toolIds);
    },
    async routes(app: HomApp): Promise<void> {
      for (const register of routes) await app.register(register);
    },
    registerGraphql(builder: Builder) {
      registerPmGraphql(builder, services.pmPlans);
      registerMaintenanceLogGraphql(builder, services.logs);
      registerChecklistGraphql(builder, services.checklists);
    },
    /** The periodic PM check (worker role). */
    runPmChecks: (now?: Date) => runPmChecks({ db: deps.db, evaluator }, now),
  };
}
export type ToolMaintenance = ReturnType<typeof createToolMaintenance>;
