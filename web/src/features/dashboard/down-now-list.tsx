import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatDuration, formatMoment, localName } from '../../lib/format.ts';
import { secondsSince, useNow } from '../../lib/use-now.ts';
import { catalogKeys, fetchReasons } from '../catalog/catalog-api.ts';
import { downtimeKeys, fetchDowntimes } from '../downtime/downtime-api.ts';

/** Open unplanned stops of the site, longest first, with a live-ticking duration. */
export function DownNowList({ siteId }: { siteId: number }) {
  const { t } = useTranslation();
  const now = useNow();
  const filter = { site_id: siteId, open: true, planned: false, limit: 200 };
  const stops = useQuery({
    queryKey: downtimeKeys.list(filter),
    queryFn: () => fetchDowntimes(filter),
    refetchInterval: 15_000,
  });
  const reasons = useQuery({ queryKey: catalogKeys.reasons(true), queryFn: () => fetchReasons(true) });

  if (stops.isPending) return <PageSpinner />;
  if (stops.isError) return <ErrorState error={stops.error} onRetry={() => void stops.refetch()} />;
  const list = [...stops.data.items].sort((a, b) => a.start_datetime.localeCompare(b.start_datetime));
  if (list.length === 0) return <EmptyState title={t('dashboard.allRunning')} />;

  const reasonName = (id: number | null, fallback: string | null) => {
    const reason = reasons.data?.find((entry) => entry.id === id);
    return reason ? localName(reason.name, reason.name_ru) : fallback;
  };
  return (
    <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="down-now">
      {list.map((stop) => {
        const name = reasonName(stop.reason_id, stop.reason_name);
        return (
          <li key={stop.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
            <span aria-hidden className="size-2.5 rounded-full bg-red-600" />
            <Link
              to="/machines/$machineId"
              params={{ machineId: String(stop.machine_id) }}
              className="font-mono font-semibold text-sky-700 underline dark:text-sky-400"
            >
              {stop.machine_code}
            </Link>
            <span className="text-sm text-slate-500">
              {t('dashboard.since', { time: formatMoment(stop.start_datetime) })}
            </span>
            <span className="ml-auto font-mono text-sm font-semibold tabular-nums">
              {formatDuration(secondsSince(stop.start_datetime, now))}
            </span>
            <span className="w-full sm:w-auto">
              {name ? <Badge>{name}</Badge> : <Badge tone="warn">{t('downtime.unexplained')}</Badge>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
