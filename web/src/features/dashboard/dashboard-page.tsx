import { useQuery } from '@tanstack/react-query';
import { UserRound } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/field.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { KpiTiles } from '../kpi/kpi-tiles.tsx';
import { ParetoChart } from '../kpi/pareto-chart.tsx';
import { useKpiPeriods } from '../kpi/use-kpis.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { DownNowList } from './down-now-list.tsx';
import { DowntimeByLineChart } from './downtime-by-line-chart.tsx';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';
const SITE_KEY = 'hom.dashboard.site';

function SitePareto({ siteId }: { siteId: number }) {
  const { current } = useKpiPeriods({ site_id: siteId });
  if (current.isPending) return <PageSpinner />;
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  return <ParetoChart entries={current.data.pareto} />;
}

/** What is down now, today's downtime by line, and the site's KPIs for the last 30 days. */
export function DashboardPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [chosen, setChosen] = useState<number | null>(() => Number(localStorage.getItem(SITE_KEY)) || null);

  if (me.isPending || sites.isPending) return <PageSpinner />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  const user = me.data;
  const siteList = (sites.data ?? user.sites).filter((site) => !('is_active' in site) || site.is_active);
  const site = siteList.find((entry) => entry.id === chosen) ?? siteList[0];
  const chooseSite = (id: number) => {
    setChosen(id);
    localStorage.setItem(SITE_KEY, String(id));
  };

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{t('dashboard.title')}</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t('dashboard.hint')}</p>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          {siteList.length > 1 && site && (
            <div className="w-56">
              <Select
                label={t('dashboard.site')}
                value={site.id}
                onChange={(event) => chooseSite(Number(event.target.value))}
              >
                {siteList.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.code} — {entry.name}
                  </option>
                ))}
              </Select>
            </div>
          )}
          <div className={`${cardClass} flex items-center gap-2 py-2 text-sm`} aria-label={t('home.you')}>
            <UserRound aria-hidden className="size-4 text-slate-500" />
            <span data-testid="home-username">{user.username}</span>
            <Badge tone="info">{t(`roles.names.${user.role}`, user.role)}</Badge>
          </div>
        </div>
      </div>

      {!site ? (
        <EmptyState title={t('home.noSites')} hint={t('home.noSitesHint')} />
      ) : !can(user, 'plant:read') ? (
        <EmptyState title={t('dashboard.noPlantAccess')} />
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <section className={cardClass} aria-labelledby="down-now">
            <h2 id="down-now" className="mb-2 font-semibold">
              {t('dashboard.downNow')}
            </h2>
            <DownNowList siteId={site.id} />
          </section>
          <section className={cardClass} aria-labelledby="downtime-today">
            <h2 id="downtime-today" className="mb-2 font-semibold">
              {t('dashboard.downtimeToday')}
            </h2>
            <DowntimeByLineChart siteId={site.id} />
          </section>
          <section className="lg:col-span-2" aria-labelledby="site-kpis">
            <h2 id="site-kpis" className="mb-2 font-semibold">
              {t('dashboard.kpis', { site: site.code })}
            </h2>
            <KpiTiles scope={{ site_id: site.id }} />
          </section>
          <section className={`${cardClass} lg:col-span-2`} aria-labelledby="pareto">
            <h2 id="pareto" className="mb-2 font-semibold">
              {t('kpi.pareto')}
            </h2>
            <SitePareto siteId={site.id} />
          </section>
        </div>
      )}
    </div>
  );
}
