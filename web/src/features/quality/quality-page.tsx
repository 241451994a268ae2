import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { AlertsPanel } from './alerts-panel.tsx';
import { LiveFeed, LiveStatusBadge } from './live-feed.tsx';
import { MachineTiles } from './machine-tiles.tsx';
import { PassRateChart } from './pass-rate-chart.tsx';
import { fetchTopFailures, qualityKeys } from './quality-api.ts';
import { SpcPanel } from './spc-panel.tsx';
import { TopFailuresChart } from './top-failures-chart.tsx';
import { UnitSearch, UnitTraceDialog } from './unit-trace.tsx';
import { useLiveResults } from './use-live-results.ts';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';
const SITE_KEY = 'hom.quality.site';

/** One site's dashboard; remounted per site, so the live feed starts afresh. */
function SiteQuality({ siteId, canManage }: { siteId: number; canManage: boolean }) {
  const { t } = useTranslation();
  const live = useLiveResults(siteId);
  const [machine, setMachine] = useState<string | null>(null);
  const [tracing, setTracing] = useState<string | null>(null);
  const failures = useQuery({
    queryKey: qualityKeys.topFailures(siteId, machine ?? undefined),
    queryFn: () => fetchTopFailures(siteId, machine ?? undefined),
  });

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <LiveStatusBadge status={live.status} problem={live.problem} />
          {machine && (
            <Button tone="secondary" size="sm" onClick={() => setMachine(null)} data-testid="machine-filter">
              {t('quality.onlyMachine', { machine })}
              <X aria-label={t('quality.allMachines')} className="size-4" />
            </Button>
          )}
        </div>
        <UnitSearch onSearch={setTracing} />
      </div>

      <section aria-labelledby="quality-machines">
        <h2 id="quality-machines" className="mb-2 font-semibold">
          {t('quality.machines')}
        </h2>
        <MachineTiles siteId={siteId} selected={machine} onSelect={setMachine} />
      </section>

      <section className={cardClass} aria-labelledby="quality-alerts">
        <h2 id="quality-alerts" className="mb-1 font-semibold">
          {t('quality.alerts.title')}
        </h2>
        <AlertsPanel siteId={siteId} canManage={canManage} />
      </section>

      <div className="grid gap-4 xl:grid-cols-5">
        <section className={`${cardClass} xl:col-span-3`} aria-labelledby="quality-feed-title">
          <h2 id="quality-feed-title" className="mb-2 font-semibold">
            {t('quality.feed.title')}
          </h2>
          <LiveFeed
            key={machine ?? ''}
            siteId={siteId}
            machine={machine}
            live={live.results}
            onTrace={setTracing}
          />
        </section>
        <div className="grid content-start gap-4 md:grid-cols-2 xl:col-span-2 xl:grid-cols-1">
          <section className={cardClass} aria-labelledby="quality-pass-rate">
            <h2 id="quality-pass-rate" className="mb-2 font-semibold">
              {t('quality.charts.passRatePerHour')}
            </h2>
            <PassRateChart siteId={siteId} machine={machine} />
          </section>
          <section className={cardClass} aria-labelledby="quality-top-failures">
            <h2 id="quality-top-failures" className="mb-2 font-semibold">
              {t('quality.charts.topFailures')}
            </h2>
            <TopFailuresChart failures={failures} />
          </section>
        </div>
      </div>

      <section className={cardClass} aria-labelledby="quality-spc">
        <h2 id="quality-spc" className="font-semibold">
          {t('quality.spc.title')}
        </h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('quality.spc.hint')}</p>
        <SpcPanel
          key={machine ?? ''}
          siteId={siteId}
          machine={machine}
          failures={failures.data ?? []}
          recent={machine ? live.results.filter((result) => result.machine_code === machine) : live.results}
        />
      </section>

      {tracing && <UnitTraceDialog barcode={tracing} onClose={() => setTracing(null)} />}
    </div>
  );
}

/**
 * The live quality dashboard: results as stations send them, a tile per machine, pass rate per
 * hour, the steps failing most, control charts with Cpk, open alerts and a unit's trace.
 */
export function QualityPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [chosen, setChosen] = useState<number | null>(() => Number(localStorage.getItem(SITE_KEY)) || null);

  if (me.isPending || sites.isPending) return <PageSpinner />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  const siteList = (sites.data ?? me.data.sites).filter((site) => !('is_active' in site) || site.is_active);
  const site = siteList.find((entry) => entry.id === chosen) ?? siteList[0];
  const chooseSite = (id: number) => {
    setChosen(id);
    localStorage.setItem(SITE_KEY, String(id));
  };

  return (
    <>
      <PageHeader
        title={t('quality.title')}
        hint={t('quality.hint')}
        actions={
          siteList.length > 1 &&
          site && (
            <div className="w-64 max-w-full">
              <Select
                label={t('quality.site')}
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
          )
        }
      />
      {site ? (
        <SiteQuality key={site.id} siteId={site.id} canManage={can(me.data, 'quality:manage')} />
      ) : (
        <EmptyState title={t('home.noSites')} hint={t('home.noSitesHint')} />
      )}
    </>
  );
}
