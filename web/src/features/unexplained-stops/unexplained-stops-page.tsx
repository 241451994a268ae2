import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { ListTable, Td, Tr } from '../../components/ui/table.tsx';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { secondsSince, useNow } from '../../lib/use-now.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { catalogKeys, fetchReasons } from '../catalog/catalog-api.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { ExplainDialog } from './explain-dialog.tsx';
import { RecentlyExplained } from './recently-explained.tsx';
import { SplitDialog } from './split-dialog.tsx';
import {
  fetchMicroStops,
  fetchUnexplained,
  startOfToday,
  unexplainedKeys,
  type UnexplainedStop,
} from './unexplained-api.ts';

const SITE_KEY = 'hom.unexplained.site';
const REFRESH_MS = 20_000;

/** Today's micro-stops of the site: counted, not listed. */
function MicroStopsToday({ siteId }: { siteId: number | undefined }) {
  const { t } = useTranslation();
  const [from] = useState(startOfToday);
  const summary = useQuery({
    queryKey: unexplainedKeys.microStops(siteId, from),
    queryFn: () => fetchMicroStops(siteId, from),
    refetchInterval: 60_000,
  });
  if (!summary.data) return null;
  const worst = summary.data.machines
    .filter((machine) => machine.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 3);
  return (
    <section
      aria-label={t('unexplained.microStops')}
      data-testid="micro-stops-today"
      className="mb-5 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <p className="text-sm font-semibold">
        {t('unexplained.microStopsToday', {
          count: summary.data.count,
          total: formatDuration(summary.data.total_seconds),
        })}
      </p>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        {worst.length > 0
          ? worst.map((machine) => `${machine.machine_code}: ${machine.count}`).join(' · ')
          : t('unexplained.microStopsHint')}
      </p>
    </section>
  );
}

function StopRow({
  stop,
  now,
  mayRecord,
  onExplain,
  onSplit,
}: {
  stop: UnexplainedStop;
  now: number;
  mayRecord: boolean;
  onExplain: () => void;
  onSplit: () => void;
}) {
  const { t } = useTranslation();
  const seconds = stop.open ? secondsSince(stop.start_datetime, now) : stop.duration_seconds;
  return (
    <Tr data-testid={`unexplained-${stop.id}`}>
      <Td>
        <span className="font-mono font-medium">{stop.machine_code}</span>
        <span className="block text-xs text-slate-500">{stop.machine_name}</span>
      </Td>
      <Td>{formatMoment(stop.start_datetime)}</Td>
      <Td className="tabular-nums">
        {formatDuration(seconds)} {stop.open && <Badge tone="bad">{t('unexplained.ongoing')}</Badge>}
      </Td>
      <Td>
        <Badge tone={stop.cause === 'fault' ? 'bad' : stop.cause === 'no_cycle' ? 'warn' : 'neutral'}>
          {t(`unexplained.causes.${stop.cause ?? 'unknown'}`)}
        </Badge>
        {stop.split_from_id !== null && (
          <span className="ml-2 text-xs text-slate-500">
            {t('unexplained.partOf', { id: stop.split_from_id })}
          </span>
        )}
      </Td>
      <Td className="text-right whitespace-nowrap">
        {mayRecord && (
          <span className="inline-flex gap-2">
            <Button size="sm" data-testid={`explain-${stop.id}`} onClick={onExplain}>
              {t('unexplained.giveReason')}
            </Button>
            <Button size="sm" tone="secondary" data-testid={`split-${stop.id}`} onClick={onSplit}>
              {t('unexplained.split')}
            </Button>
          </span>
        )}
      </Td>
    </Tr>
  );
}

function Queue({ siteId, mayRecord }: { siteId: number | undefined; mayRecord: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const filter = siteId ? { site_id: siteId } : {};
  const [dialog, setDialog] = useState<{ kind: 'explain' | 'split'; stop: UnexplainedStop } | null>(null);
  const reasons = useQuery({ queryKey: catalogKeys.reasons(false), queryFn: () => fetchReasons() });
  const query = useInfiniteQuery({
    queryKey: unexplainedKeys.list(filter),
    queryFn: ({ pageParam }) => fetchUnexplained(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    refetchInterval: REFRESH_MS,
  });
  if (query.isPending) return <PageSpinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const stops = query.data.pages.flatMap((page) => page.items);
  if (stops.length === 0)
    return <EmptyState title={t('unexplained.empty')} hint={t('unexplained.emptyHint')} />;
  return (
    <>
      <ListTable
        caption={t('unexplained.title')}
        headers={[
          t('unexplained.machine'),
          t('unexplained.start'),
          t('unexplained.duration'),
          t('unexplained.cause'),
        ]}
      >
        {stops.map((stop) => (
          <StopRow
            key={stop.id}
            stop={stop}
            now={now}
            mayRecord={mayRecord && reasons.isSuccess}
            onExplain={() => setDialog({ kind: 'explain', stop })}
            onSplit={() => setDialog({ kind: 'split', stop })}
          />
        ))}
      </ListTable>
      {query.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button tone="secondary" busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
      {dialog?.kind === 'explain' && reasons.data && (
        <ExplainDialog stop={dialog.stop} reasons={reasons.data} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'split' && reasons.data && (
        <SplitDialog stop={dialog.stop} reasons={reasons.data} onClose={() => setDialog(null)} />
      )}
    </>
  );
}

/**
 * Stops HOM opened by itself from machine states or missing cycles, waiting for a reason: operators
 * give each its reason or split it into parts. Micro-stops are counted above the list.
 */
export function UnexplainedStopsPage() {
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
        title={t('unexplained.title')}
        hint={t('unexplained.hint')}
        actions={
          siteList.length > 1 &&
          site && (
            <div className="w-64 max-w-full">
              <Select
                label={t('unexplained.site')}
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
        <div key={site.id}>
          <MicroStopsToday siteId={site.id} />
          <Queue siteId={site.id} mayRecord={can(me.data, 'downtime:record')} />
          <RecentlyExplained siteId={site.id} mayRecord={can(me.data, 'downtime:record')} />
        </div>
      ) : (
        <EmptyState title={t('home.noSites')} hint={t('home.noSitesHint')} />
      )}
    </>
  );
}
