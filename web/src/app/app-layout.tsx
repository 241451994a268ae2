import { Outlet, useRouterState } from '@tanstack/react-router';
import { Menu, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { useLiveNotifications } from '../features/notifications/use-live-notifications.ts';
import { LanguageSwitch } from './language-switch.tsx';
import { SideNav } from './side-nav.tsx';
import { ThemeSwitch } from './theme-switch.tsx';
import { UserMenu } from './user-menu.tsx';

/** The signed-in frame: side navigation (a drawer below md) and the top bar. */
export function AppLayout() {
  const { t } = useTranslation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  useLiveNotifications();

  useEffect(() => setDrawerOpen(false), [pathname]);

  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white md:block dark:border-slate-800 dark:bg-slate-900">
        <Brand />
        <SideNav />
      </aside>

      {drawerOpen && (
        <div className="fixed inset-0 z-40 md:hidden">
          <button
            type="button"
            aria-label={t('nav.closeMenu')}
            className="absolute inset-0 bg-slate-900/50"
            onClick={() => setDrawerOpen(false)}
          />
          <aside className="absolute inset-y-0 left-0 w-64 bg-white shadow-xl dark:bg-slate-900">
            <div className="flex items-center justify-between pr-2">
              <Brand />
              <button
                type="button"
                aria-label={t('nav.closeMenu')}
                onClick={() => setDrawerOpen(false)}
                className="rounded-md p-2 hover:bg-slate-200 dark:hover:bg-slate-800"
              >
                <X aria-hidden className="size-5" />
              </button>
            </div>
            <SideNav onNavigate={() => setDrawerOpen(false)} />
          </aside>
        </div>
      )}

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-20 flex items-center gap-2 border-b border-slate-200 bg-white/90 px-3 py-2 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
          <button
            type="button"
            aria-label={t('nav.openMenu')}
            aria-expanded={drawerOpen}
            onClick={() => setDrawerOpen(true)}
            className="rounded-md p-2 hover:bg-slate-200 md:hidden dark:hover:bg-slate-800"
          >
            <Menu aria-hidden className="size-5" />
          </button>
          <span className="font-semibold md:hidden">HOM</span>
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            <NotificationBell />
            <LanguageSwitch />
            <ThemeSwitch />
            <UserMenu />
          </div>
        </header>
        <main className="mx-auto w-full max-w-7xl flex-1 p-4 sm:p-6">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function Brand() {
  const { t } = useTranslation();
  return (
    <div className="px-6 py-4">
      <p className="text-lg font-bold tracking-tight">HOM</p>
      <p className="text-xs text-slate-500">{t('app.tagline')}</p>
    </div>
  );
}
