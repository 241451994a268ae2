import { useQuery } from '@tanstack/react-query';
import { TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { secondsSince, useNow } from '../../lib/use-now.ts';
import { formatReading } from './alert-format.ts';
import { fetchReadingAlerts, readingAlertKeys } from './reading-alerts-api.ts';

/** How often the open alerts are read again (a check runs about once a second on the server). */
export const ALERTS_REFRESH_MS = 10_000;

/** The machine's open reading alerts, above its charts; nothing at all while there are none. */
export function MachineReadingAlerts({ machineId }: { machineId: number }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const filter = { machine_id: machineId, openOnly: true };
  const alerts = useQuery({
    queryKey: readingAlertKeys.list(filter),
    queryFn: () => fetchReadingAlerts(filter),
    refetchInterval: ALERTS_REFRESH_MS,
  });
  if (alerts.isError)
    return (
      <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
        {t('readingAlerts.loadFailed')}
      </p>
    );
  if (!alerts.data || alerts.data.length === 0) return null;

  return (
    <div
      role="region"
      aria-label={t('readingAlerts.machineOpen')}
      data-testid="machine-reading-alerts"
      className="mb-3 rounded-md border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-100"
    >
      <p className="mb-2 flex items-center gap-2 text-sm font-semibold">
        <TriangleAlert aria-hidden className="size-4" />
        {t('readingAlerts.machineOpenCount', { count: alerts.data.length })}
      </p>
      <ul className="space-y-1 text-sm">
        {alerts.data.map((alert) => (
          <li
            key={alert.id}
            data-testid={`machine-alert-${alert.reading_type}-${alert.kind}`}
            className="flex flex-wrap items-center gap-x-2 gap-y-1"
          >
            <span className="font-medium">{alert.reading_type}</span>
            <Badge tone="bad">{t(`readingAlerts.kinds.${alert.kind}`)}</Badge>
            <span className="tabular-nums">
              {t('readingAlerts.valueVsLimit', {
                value: formatReading(alert.peak_value, alert.unit),
                limit: formatReading(alert.threshold, alert.unit),
              })}
            </span>
            <span className="text-red-800/80 dark:text-red-200/80">
              {t('readingAlerts.since', {
                time: formatMoment(alert.opened_at),
                duration: formatDuration(secondsSince(alert.opened_at, now)),
              })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
