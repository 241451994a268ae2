import { useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { CirclePlay, OctagonAlert } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner, Spinner } from '../../components/ui/spinner.tsx';
import { formatClock, formatMoment } from '../../lib/format.ts';
import { secondsSince, useNow } from '../../lib/use-now.ts';
import { catalogKeys, fetchReasons, reasonLabel } from '../catalog/catalog-api.ts';
import { downtimeKeys, fetchDowntimes } from '../downtime/downtime-api.ts';
import { useMachineStop } from '../downtime/use-machine-stop.ts';
import { lastDays } from '../kpi/kpi-api.ts';
import type { PlantMachine } from '../plant/plant-api.ts';
import { bigButton } from './floor-machine-picker.tsx';

/** Reasons ordered by how often this site used them lately, then by code. */
function useRankedReasons(siteId: number) {
  const reasons = useQuery({ queryKey: catalogKeys.reasons(false), queryFn: () => fetchReasons() });
  const [period] = useState(() => lastDays(30));
  const recentFilter = { site_id: siteId, from: period.from, limit: 200 };
  const recent = useQuery({
    queryKey: downtimeKeys.list(recentFilter),
    queryFn: () => fetchDowntimes(recentFilter),
    staleTime: 5 * 60_000,
  });
  const ranked = useMemo(() => {
    const uses = new Map<number, number>();
    for (const stop of recent.data?.items ?? []) {
      if (stop.reason_id !== null) uses.set(stop.reason_id, (uses.get(stop.reason_id) ?? 0) + 1);
    }
    return [...(reasons.data ?? [])].sort(
      (a, b) => (uses.get(b.id) ?? 0) - (uses.get(a.id) ?? 0) || a.code.localeCompare(b.code),
    );
  }, [reasons.data, recent.data]);
  return { reasons, ranked };
}

export function FloorStopPanel({ machine }: { machine: PlantMachine }) {
  const { t } = useTranslation();
  const now = useNow();
  const { openStop, start, setReason, end } = useMachineStop(machine.id);
  const { reasons, ranked } = useRankedReasons(machine.site_id);

  if (openStop.isPending) return <PageSpinner />;
  if (openStop.isError) return <ErrorState error={openStop.error} onRetry={() => void openStop.refetch()} />;
  const stop = openStop.data;

  if (!stop) {
    return (
      <div className="space-y-4">
        <p className="text-center text-lg font-medium text-emerald-800 dark:text-emerald-300">
          {t('floor.running')}
        </p>
        <button
          type="button"
          data-testid="floor-down"
          disabled={start.isPending}
          onClick={() => start.mutate()}
          className="flex min-h-40 w-full items-center justify-center gap-4 rounded-2xl bg-red-700 px-6 text-4xl font-bold text-white shadow-lg hover:bg-red-800 focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-red-400 disabled:opacity-60 dark:bg-red-600 dark:hover:bg-red-500"
        >
          {start.isPending ? <Spinner size="lg" /> : <OctagonAlert aria-hidden className="size-12" />}
          {t('floor.machineDown')}
        </button>
      </div>
    );
  }

  return (
    <div className="space-y-5">
      <div className="grid gap-4 md:grid-cols-2">
        <div
          role="status"
          className="rounded-2xl border-4 border-red-600 bg-red-50 p-4 text-center dark:border-red-500 dark:bg-red-950"
        >
          <p className="text-lg font-semibold text-red-900 dark:text-red-100">
            {t('floor.downSince', { time: formatMoment(stop.start_datetime) })}
          </p>
          <p
            data-testid="floor-duration"
            className="font-mono text-5xl font-bold text-red-800 tabular-nums dark:text-white"
          >
            {formatClock(secondsSince(stop.start_datetime, now))}
          </p>
        </div>

        <button
          type="button"
          data-testid="floor-running"
          disabled={end.isPending}
          onClick={() => end.mutate(stop.id)}
          className="flex min-h-32 w-full md:h-full items-center justify-center gap-4 rounded-2xl bg-emerald-700 px-6 text-4xl font-bold text-white shadow-lg hover:bg-emerald-800 focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-emerald-400 disabled:opacity-60 dark:bg-emerald-600 dark:hover:bg-emerald-500"
        >
          {end.isPending ? <Spinner size="lg" /> : <CirclePlay aria-hidden className="size-12" />}
          {t('floor.runningAgain')}
        </button>
      </div>

      <section aria-labelledby="floor-reasons" className="space-y-3">
        <h2 id="floor-reasons" className="text-xl font-semibold">
          {stop.reason_id === null ? t('floor.whyDown') : t('floor.reasonGiven')}
        </h2>
        {reasons.isError ? (
          <ErrorState error={reasons.error} onRetry={() => void reasons.refetch()} />
        ) : reasons.isPending ? (
          <PageSpinner />
        ) : (
          <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-4">
            {ranked.map((reason) => {
              const chosen = stop.reason_id === reason.id;
              return (
                <button
                  key={reason.id}
                  type="button"
                  data-testid={`floor-reason-${reason.code}`}
                  aria-pressed={chosen}
                  disabled={setReason.isPending}
                  onClick={() => setReason.mutate({ id: stop.id, reasonId: reason.id })}
                  className={clsx(
                    bigButton,
                    chosen
                      ? 'border-sky-700 bg-sky-700 text-white dark:border-sky-300 dark:bg-sky-300 dark:text-slate-950'
                      : 'border-slate-300 bg-white text-slate-900 hover:border-sky-600 dark:border-slate-500 dark:bg-slate-900 dark:text-white',
                  )}
                >
                  {reasonLabel(reason)}
                </button>
              );
            })}
          </div>
        )}
      </section>
    </div>
  );
}
