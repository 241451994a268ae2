import { createRootRoute, createRoute, createRouter, Link, Outlet, redirect } from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionBoardPage, ActionDetailPage, MyActionsPage } from '../features/actions/index.ts';
import { ApiKeysPage } from '../features/api-keys/api-keys-page.tsx';
import { AuditPage } from '../features/audit/audit-page.tsx';
import { ShiftCalendarsPage } from '../features/calendar/shift-calendars-page.tsx';
import { FailureCodesPage } from '../features/catalog/failure-codes-page.tsx';
import { ReasonsPage } from '../features/catalog/reasons-page.tsx';
import { DashboardPage } from '../features/dashboard/dashboard-page.tsx';
import { FloorPage } from '../features/floor/floor-page.tsx';
import { MachineBoardPage } from '../features/machine-board/machine-board-page.tsx';
import { OeePage } from '../features/oee/oee-page.tsx';
import { UnexplainedStopsPage } from '../features/unexplained-stops/unexplained-stops-page.tsx';
import { ReadingAlertsPage } from '../features/reading-alerts/reading-alerts-page.tsx';
import { MachinePage } from '../features/machines/machine-page.tsx';
import { OpcuaConnectionPage } from '../features/connectivity/opcua-connection-page.tsx';
import { PlantPage } from '../features/plant/plant-page.tsx';
import { IssueTypesPage } from '../features/production/issue-types-page.tsx';
import { IssuesPage } from '../features/production/issues-page.tsx';
import { MyStagesPage } from '../features/production/my-stages-page.tsx';
import { ProductionBoardPage } from '../features/production/production-board-page.tsx';
import { RoutesPage } from '../features/production/routes-page.tsx';
import { WorkOrderPage } from '../features/production/work-order-page.tsx';
import { FailureDetailPage, FailureReportPage, FailuresPage } from '../features/failures/index.ts';
import { ToolPage } from '../features/tools/tool-page.tsx';
import { ChecklistTemplatesPage } from '../features/tool-maintenance/checklist-templates-page.tsx';
import { MaintenanceLogFormPage } from '../features/tool-maintenance/maintenance-log-form-page.tsx';
import { ToolsPage } from '../features/tools/tools-page.tsx';
import { SpecLimitsPage } from '../features/quality-limits/spec-limits-page.tsx';
import { QualityPage } from '../features/quality/quality-page.tsx';
import { RepairFormPage } from '../features/repairs/repair-form-page.tsx';
import { RepairsPage } from '../features/repairs/repairs-page.tsx';
import { ReportsPage } from '../features/reports/index.ts';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import type { Permission } from '../features/auth/use-current-user.ts';
import { NotificationsPage } from '../features/notifications/notifications-page.tsx';
import { RolesPage } from '../features/roles/roles-page.tsx';
import { SettingsPage } from '../features/settings/settings-page.tsx';
import { SitesPage } from '../features/sites/sites-page.tsx';
import { UsersPage } from '../features/users/users-page.tsx';
import { hasSession } from '../lib/session-tokens.ts';
import { AppLayout } from './app-layout.tsx';
import { RequirePermission } from './require-permission.tsx';

function PageNotFound() {
  const { t } = useTranslation();
  return (
    <div className="py-16 text-center">
      <p className="text-lg font-medium">{t('common.notFound')}</p>
      <Link to="/" className="text-sky-700 underline dark:text-sky-400">
        {t('nav.home')}
      </Link>
    </div>
  );
}

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: PageNotFound });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'login',
  component: SignInPage,
  beforeLoad: () => {
    if (hasSession()) throw redirect({ to: '/' });
  },
});

const shellRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'shell',
  component: AppLayout,
  beforeLoad: () => {
    if (!hasSession()) throw redirect({ to: '/login' });
  },
});

const guarded = (permission: Permission, Page: ComponentType) =>
  function GuardedPage() {
    return (
      <RequirePermission permission={permission}>
        <Page />
      </RequirePermission>
    );
  };

interface RepairSearch {
  machine_id?: number;
  downtime_id?: number;
}

function positiveInt(value: unknown): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

const shellPages = [
  createRoute({ getParentRoute: () => shellRoute, path: '/', component: DashboardPage }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'plant',
    component: guarded('plant:read', PlantPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'machines/board',
    component: guarded('plant:read', MachineBoardPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'oee',
    component: guarded('plant:read', OeePage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'unexplained-stops',
    component: guarded('plant:read', UnexplainedStopsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'reading-alerts',
    component: guarded('plant:read', ReadingAlertsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'machines/$machineId',
    component: guarded('plant:read', MachinePage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'machines/$machineId/connection',
    component: guarded('telemetry:manage', OpcuaConnectionPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'repairs',
    component: guarded('plant:read', RepairsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'repairs/new',
    validateSearch: (search: Record<string, unknown>): RepairSearch => ({
      machine_id: positiveInt(search.machine_id),
      downtime_id: positiveInt(search.downtime_id),
    }),
    component: guarded('repair:write', RepairFormPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'repairs/$repairId',
    component: guarded('plant:read', RepairFormPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'quality',
    component: guarded('plant:read', QualityPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'quality/limits',
    component: guarded('plant:read', SpecLimitsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'floor',
    component: guarded('downtime:record', FloorPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'production',
    component: guarded('production:read', ProductionBoardPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'production/work-orders/$woId',
    component: guarded('production:read', WorkOrderPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'production/routes',
    component: guarded('workorder:plan', RoutesPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'production/issues',
    component: guarded('issue:manage', IssuesPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'tools',
    component: guarded('plant:read', ToolsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'failures',
    component: guarded('plant:read', FailuresPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'failures/new',
    component: guarded('failure:report', FailureReportPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'failures/$failureId',
    component: guarded('plant:read', FailureDetailPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'tools/$toolId',
    component: guarded('plant:read', ToolPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'tools/$toolId/logs/new',
    validateSearch: (search: Record<string, unknown>): { plan_id?: number } => ({
      plan_id: positiveInt(search.plan_id),
    }),
    component: guarded('toollog:write', MaintenanceLogFormPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'actions',
    component: guarded('plant:read', MyActionsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'actions/board',
    component: guarded('plant:read', ActionBoardPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'reports',
    component: guarded('report:read', ReportsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'actions/$actionId',
    component: guarded('plant:read', ActionDetailPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'my-stages',
    component: guarded('stage:work', MyStagesPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/reasons',
    component: guarded('catalog:manage', ReasonsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/failure-codes',
    component: guarded('catalog:manage', FailureCodesPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/shift-calendars',
    component: guarded('catalog:manage', ShiftCalendarsPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/checklist-templates',
    component: guarded('catalog:manage', ChecklistTemplatesPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/issue-types',
    component: guarded('catalog:manage', IssueTypesPage),
  }),
  createRoute({ getParentRoute: () => shellRoute, path: 'notifications', component: NotificationsPage }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/users',
    component: guarded('user:manage', UsersPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/roles',
    component: guarded('user:manage', RolesPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/sites',
    component: guarded('site:manage', SitesPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/api-keys',
    component: guarded('apikey:manage', ApiKeysPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/audit',
    component: guarded('audit:read', AuditPage),
  }),
  createRoute({
    getParentRoute: () => shellRoute,
    path: 'admin/settings',
    component: guarded('settings:manage', SettingsPage),
  }),
] as const;

const routeTree = rootRoute.addChildren([signInRoute, shellRoute.addChildren(shellPages)]);

export const router = createRouter({ routeTree, basepath: '/app', defaultPreload: 'intent' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
