import { createRootRoute, createRoute, createRouter, Link, Outlet, redirect } from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiKeysPage } from '../features/api-keys/api-keys-page.tsx';
import { AuditPage } from '../features/audit/audit-page.tsx';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import type { Permission } from '../features/auth/use-current-user.ts';
import { WelcomePage } from '../features/home/welcome-page.tsx';
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

const shellPages = [
  createRoute({ getParentRoute: () => shellRoute, path: '/', component: WelcomePage }),
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
