import type { Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import type { Builder } from './platform/graphql/builder.ts';
import type { HomApp } from './platform/http/types.ts';
import type { Logger } from './platform/logger.ts';
import {
  actionItemRoutes,
  createActionItemService,
  createActionRaiser,
  createNotificationService,
  registerActionItemGraphql,
  notificationRoutes,
  registerNotificationGraphql,
} from './modules/actions/index.ts';
import { SYSTEM_SCOPE } from './platform/db/database.ts';
import { auditRoutes, createAuditService, registerAuditGraphql } from './modules/audit/index.ts';
import { activeSiteMembers, createIdentityModule, usersWithPermission } from './modules/identity/index.ts';
import {
  createCatalogService,
  createDowntimeService,
  createHistoryService,
  createRepairService,
  historyRoutes,
  maintenanceRoutes,
  registerHistoryGraphql,
  registerMaintenanceGraphql,
  registerRepairGraphql,
  repairRoutes,
  repairSiteOf,
  createUnexplainedService,
  registerUnexplainedGraphql,
  unexplainedRoutes,
} from './modules/maintenance/index.ts';
import { createFileService, fileRoutes, registerFilesGraphql } from './modules/files/index.ts';
import {
  createFailuresModule,
  failureReportSiteOf,
  registerFailuresGraphql,
} from './modules/failures/index.ts';
import { createLocalFileStore } from './platform/storage/local-file-store.ts';
import { createS3FileStore } from './platform/storage/s3-file-store.ts';
import {
  createToolMaintenance,
  createToolsModule,
  maintenanceLogSiteOf,
  mountedToolsNow,
  evaluatePm,
  toolSiteOf,
} from './modules/tools/index.ts';
import { createOpcuaModule, createTelemetryModule } from './modules/telemetry/index.ts';
import {
  createBoardShiftOee,
  createKpiService,
  createOeeService,
  kpiRoutes,
  oeeRoutes,
  registerKpiGraphql,
  registerOeeGraphql,
} from './modules/kpi/index.ts';
import { createReportsModule, createWeeklyReportService } from './modules/reports/index.ts';
import { createQualityModule, type QualityPipeline } from './modules/quality/index.ts';
import { createProductionModule, registerProductionGraphql } from './modules/production/index.ts';
import {
  calendarRoutes,
  createCalendarService,
  createPlantCsvService,
  createPlantService,
  plantCsvRoutes,
  plantRoutes,
  registerPlantGraphql,
} from './modules/plant/index.ts';

/** The worker's weekly maintenance report job, wired as the API's service is (KPIs, the PM rule). */
export function createWeeklyReportJob(db: Database) {
  return createWeeklyReportService({ db, kpi: createKpiService({ db }), evaluatePm });
}

/** The worker's periodic PM check: day plans come due by the clock, overdue plans escalate daily. */
export function createPmCheckJob(db: Database) {
  const notifications = createNotificationService({ db, findRecipients: usersWithPermission });
  const raiseAction = createActionRaiser({ notify: notifications.raise });
  return createToolMaintenance({
    db,
    raiseAction,
    notify: notifications.raise,
    siteMembers: activeSiteMembers,
  }).runPmChecks;
}

/** Wires the domain modules together through their public doors; the only place that knows them all. */
export function createModules(deps: {
  db: Database;
  secret: string;
  config: Pick<Config, 'accessTokenTtlSeconds' | 'refreshTokenTtlDays' | 'filesDir'> &
    Partial<Pick<Config, 's3'>>;
  pipeline: QualityPipeline;
  log?: Logger;
  /** HOM's OPC-UA client certificate store (the ingest role uses the same one). */
  opcuaPkiDir?: string;
}) {
  const notifications = createNotificationService({ db: deps.db, findRecipients: usersWithPermission });
  /** Creates action items in the caller's transaction; modules whose findings need action get it. */
  const raiseAction = createActionRaiser({ notify: notifications.raise });
  const actionItems = createActionItemService({
    db: deps.db,
    raise: raiseAction,
    notify: notifications.raise,
    siteMembers: activeSiteMembers,
  });
  const identity = createIdentityModule({
    db: deps.db,
    onUserRegistered: async (user) => {
      await deps.db.transaction(SYSTEM_SCOPE, (tx) =>
        notifications.raise(tx, {
          kind: 'user_registered',
          title: `New account "${user.username}" is waiting for a role and a site`,
          link: '/app/admin/users',
          recipients: { roles: ['admin'] },
        }),
      );
    },
    secret: deps.secret,
    accessTokenTtlSeconds: deps.config.accessTokenTtlSeconds,
    refreshTokenTtlDays: deps.config.refreshTokenTtlDays,
  });
  const audit = createAuditService({ db: deps.db });
  const plant = createPlantService({ db: deps.db });
  const calendars = createCalendarService({ db: deps.db });
  const plantCsv = createPlantCsvService({ db: deps.db });
  const downtimes = createDowntimeService({ db: deps.db });
  const unexplainedStops = createUnexplainedService({ db: deps.db });
  const catalog = createCatalogService({ db: deps.db });
  const kpi = createKpiService({ db: deps.db });
  const oee = createOeeService({ db: deps.db });
  const repairs = createRepairService({ db: deps.db, siteMembers: activeSiteMembers });
  const history = createHistoryService({ db: deps.db });
  const production = createProductionModule({ db: deps.db, notify: notifications.raise });
  const quality = createQualityModule({
    db: deps.db,
    pipeline: deps.pipeline,
    authenticate: identity.authenticate,
  });
  const files = createFileService({
    db: deps.db,
    store: deps.config.s3 ? createS3FileStore(deps.config.s3) : createLocalFileStore(deps.config.filesDir),
    // Which site an attachment's owner is on (row-level security hides other sites' owners).
    ownerSite: (tx, ownerType, ownerId) => {
      switch (ownerType) {
        case 'repair':
          return repairSiteOf(tx, ownerId);
        case 'tool':
          return toolSiteOf(tx, ownerId);
        case 'maintenance_log':
          return maintenanceLogSiteOf(tx, ownerId);
        case 'failure_report':
          return failureReportSiteOf(tx, ownerId);
      }
    },
  });

  const failures = createFailuresModule({
    db: deps.db,
    raiseAction,
    notify: notifications.raise,
    siteMembers: activeSiteMembers,
    files,
  });

  // PM plans, maintenance logs and checklists; PM plans are evaluated in every shots transaction.
  const toolMaintenance = createToolMaintenance({
    db: deps.db,
    raiseAction,
    notify: notifications.raise,
    siteMembers: activeSiteMembers,
    files,
  });
  const tools = createToolsModule({ db: deps.db, files, afterShots: toolMaintenance.afterShots });
  // What machines report by themselves: states, counters, readings (OPC-UA, MQTT, HTTP).
  const telemetry = createTelemetryModule({
    db: deps.db,
    recordMachineCycles: tools.recordMachineCycleBatch,
    log: deps.log,
    board: {
      authenticate: identity.authenticate,
      mountedTools: mountedToolsNow,
      // OEE this shift per card, computed at most every 20 s per machine (docs/kpis.md).
      shiftOee: createBoardShiftOee(),
    },
  });
  // OPC-UA connections per machine: settings, browse, test; the ingest role subscribes (docs/opcua.md).
  const opcua = createOpcuaModule({
    db: deps.db,
    secret: deps.secret,
    pkiDir: deps.opcuaPkiDir,
    log: deps.log,
  });

  // Exports of every list and the weekly maintenance PDF; each list joins `lists` as its module lands.
  const reports = createReportsModule({
    db: deps.db,
    kpi,
    evaluatePm,
    lists: {
      repairs,
      downtimes,
      tools: tools.services.tools,
      maintenanceLogs: toolMaintenance.services.logs,
      failureReports: failures.reports,
      actionItems,
    },
  });

  const routes: ((app: HomApp) => Promise<void>)[] = [
    identity.routes,
    auditRoutes(audit),
    notificationRoutes(notifications),
    actionItemRoutes(actionItems),
    plantRoutes(plant),
    calendarRoutes(calendars),
    plantCsvRoutes(plantCsv),
    unexplainedRoutes(unexplainedStops),
    maintenanceRoutes({ downtimes, catalog }),
    kpiRoutes(kpi),
    oeeRoutes(oee),
    repairRoutes(repairs),
    historyRoutes(history),
    fileRoutes(files),
    failures.routes,
    production.routes,
    tools.routes,
    toolMaintenance.routes,
    quality.routes,
    quality.analyticsRoutes,
    quality.deadLetterRoutes,
    quality.limitRoutes,
    quality.liveRoutes,
    ...reports.routes,
    ...telemetry.routes,
    opcua.routes,
  ];
  const graphql: ((builder: Builder) => void)[] = [
    identity.registerGraphql,
    (builder) => registerAuditGraphql(builder, audit),
    (builder) => registerNotificationGraphql(builder, notifications),
    (builder) => registerActionItemGraphql(builder, actionItems),
    (builder) => {
      const plantRefs = registerPlantGraphql(builder, plant);
      const maintenanceRefs = registerMaintenanceGraphql(builder, { downtimes, catalog, plant }, plantRefs);
      registerUnexplainedGraphql(builder, unexplainedStops, maintenanceRefs);
      registerRepairGraphql(builder, { repairs, plant }, plantRefs);
      registerHistoryGraphql(builder, history);
      registerProductionGraphql(builder, { ...production.services, plant }, plantRefs);
    },
    (builder) => registerOeeGraphql(builder, oee, registerKpiGraphql(builder, kpi)),
    (builder) => registerFailuresGraphql(builder, failures.reports, registerFilesGraphql(builder, files)),
    quality.registerLimitGraphql,
    quality.registerGraphql,
    tools.registerGraphql,
    toolMaintenance.registerGraphql,
    reports.registerGraphql,
    ...telemetry.graphql,
    opcua.graphql,
  ];
  return {
    identity,
    audit,
    notifications,
    raiseAction,
    actionItems,
    plant,
    downtimes,
    /** Automatic stops without a reason: the queue, explain, split (docs/auto-downtime.md). */
    unexplainedStops,
    catalog,
    kpi,
    /** OEE per machine, line, site and shift (docs/kpis.md). */
    oee,
    repairs,
    history,
    reports,
    failures: failures.reports,
    production: production.services,
    tools: tools.services,
    /** PM plans, maintenance logs, checklists; `runPmChecks` is the worker's periodic PM check. */
    toolMaintenance,
    /** For machine connectivity: a machine's cycle counter → shots of the tools mounted on it. */
    recordMachineCycles: tools.recordMachineCycles,
    quality: quality.services,
    /** Machine states, counters, readings and the adapters' door (docs/connectivity.md). */
    telemetry,
    /** OPC-UA connection settings, browse and test (docs/opcua.md). */
    opcua: opcua.service,
    live: quality.live,
    /** Clients connected to GET /ws/live now (the hom_live_clients gauge). */
    liveClients: quality.liveClients,
    routes,
    /** POST /ingest: registered by processes with the `ingest` role (with or without `api`). */
    ingestRoutes: quality.ingestRoutes,
    graphql,
  };
}
