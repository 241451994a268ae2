import { Link } from '@tanstack/react-router';
import { Bell, Factory } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { useCurrentUser } from '../auth/use-current-user.ts';
import { useUnreadCount } from '../notifications/notification-bell.tsx';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900';

/** The first page after sign-in: who you are, your sites, what is waiting for you. */
export function WelcomePage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const unread = useUnreadCount();

  if (me.isPending) return <PageSpinner />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  const user = me.data;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">
          {t('home.greeting', { name: user.full_name || user.username })}
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t('home.subtitle')}</p>
      </div>

      <div className="grid gap-4 md:grid-cols-3">
        <section className={cardClass} aria-labelledby="who-am-i">
          <h2 id="who-am-i" className="mb-3 font-semibold">
            {t('home.you')}
          </h2>
          <dl className="space-y-2 text-sm">
            <div>
              <dt className="text-slate-500">{t('users.username')}</dt>
              <dd data-testid="home-username">{user.username}</dd>
            </div>
            <div>
              <dt className="text-slate-500">{t('users.role')}</dt>
              <dd>
                <Badge tone="info">{t(`roles.names.${user.role}`, user.role)}</Badge>
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">{t('users.email')}</dt>
              <dd>{user.email || '—'}</dd>
            </div>
          </dl>
        </section>

        <section className={cardClass} aria-labelledby="my-notifications">
          <h2 id="my-notifications" className="mb-3 flex items-center gap-2 font-semibold">
            <Bell aria-hidden className="size-4" /> {t('home.unreadNotifications')}
          </h2>
          {unread.isPending ? (
            <p className="text-sm text-slate-500">{t('common.loading')}</p>
          ) : unread.isError ? (
            <p className="text-sm text-red-700 dark:text-red-400">{unread.error.message}</p>
          ) : (
            <p className="text-4xl font-semibold" data-testid="home-unread-count">
              {unread.data}
            </p>
          )}
          <Link
            to="/notifications"
            className="mt-3 inline-block text-sm text-sky-700 underline dark:text-sky-400"
          >
            {t('home.openNotifications')}
          </Link>
        </section>

        <section className={cardClass} aria-labelledby="my-sites">
          <h2 id="my-sites" className="mb-3 flex items-center gap-2 font-semibold">
            <Factory aria-hidden className="size-4" /> {t('home.yourSites')}
          </h2>
          {user.sites.length === 0 ? (
            <EmptyState title={t('home.noSites')} hint={t('home.noSitesHint')} />
          ) : (
            <ul className="space-y-2 text-sm">
              {user.sites.map((site) => (
                <li key={site.id} className="flex items-center justify-between gap-2">
                  <span>
                    <span className="font-mono text-xs text-slate-500">{site.code}</span> {site.name}
                  </span>
                  <span className="text-xs text-slate-500">{site.time_zone}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
