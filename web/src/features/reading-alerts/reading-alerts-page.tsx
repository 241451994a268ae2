import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Switch } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { ListTable, Td, Tr } from '../../components/ui/table.tsx';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { secondsSince, useNow } from '../../lib/use-now.ts';
import { useCurrentUser } from '../auth/use-current-user.ts';
import { formatReading } from './alert-format.ts';
import { ALERTS_REFRESH_MS } from './machine-reading-alerts.tsx';
import {
  ALERT_LIMIT,
  fetchReadingAlerts,
  readingAlertKeys,
  type ReadingAlert,
} from './reading-alerts-api.ts';

function AlertRow({ alert, now, siteCode }: { alert: ReadingAlert; now: number; siteCode?: string }) {
  const { t } = useTranslation();
  const open = alert.closed_at === null;
  const lasted = alert.closed_at ? (Date.parse(alert.closed_at) - Date.parse(alert.opened_at)) / 1000 : 0;
  return (
    <Tr data-testid={`reading-alert-${alert.id}`} data-open={open}>
      <Td>
        <Link
          to="/machines/$machineId"
          params={{ machineId: String(alert.machine_id) }}
          className="font-mono font-medium text-sky-700 underline dark:text-sky-400"
        >
          {alert.machine_code}
        </Link>
        {siteCode && <span className="block text-xs text-slate-500">{siteCode}</span>}
      </Td>
      <Td>{alert.reading_type}</Td>
      <Td>
        <Badge tone={open ? 'bad' : 'neutral'}>{t(`readingAlerts.kinds.${alert.kind}`)}</Badge>
      </Td>
      <Td className="tabular-nums">
        {t('readingAlerts.valueVsLimit', {
          value: formatReading(alert.peak_value, alert.unit),
          limit: formatReading(alert.threshold, alert.unit),
        })}
        {alert.first_value !== alert.peak_value && (
          <span className="block text-xs text-slate-500">
            {t('readingAlerts.firstValue', { value: formatReading(alert.first_value, alert.unit) })}
          </span>
        )}
      </Td>
      <Td>
        {formatMoment(alert.opened_at)}
        <span className="block text-xs text-slate-500">
          {open
            ? t('readingAlerts.openFor', { duration: formatDuration(secondsSince(alert.opened_at, now)) })
            : t('readingAlerts.closedAt', {
                time: formatMoment(alert.closed_at),
                duration: formatDuration(lasted),
              })}
        </span>
      </Td>
      <Td>{open && <Badge tone="bad">{t('readingAlerts.open')}</Badge>}</Td>
    </Tr>
  );
}

/**
 * Readings beyond their machines' limits across the reader's sites, newest first: open ones by
 * default, closed ones on demand. Each links to its machine's page (charts with the limits drawn).
 */
export function ReadingAlertsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const now = useNow(30_000);
  const [includeClosed, setIncludeClosed] = useState(false);
  const filter = { openOnly: !includeClosed };
  const alerts = useQuery({
    queryKey: readingAlertKeys.list(filter),
    queryFn: () => fetchReadingAlerts(filter),
    refetchInterval: ALERTS_REFRESH_MS,
  });
  const sites = me.data?.sites ?? [];
  const siteCode = (id: number) =>
    sites.length > 1 ? sites.find((site) => site.id === id)?.code : undefined;

  return (
    <>
      <PageHeader
        title={t('readingAlerts.title')}
        hint={t('readingAlerts.hint')}
        actions={
          <Switch
            label={t('readingAlerts.includeClosed')}
            checked={includeClosed}
            onChange={setIncludeClosed}
          />
        }
      />
      {alerts.isPending ? (
        <PageSpinner />
      ) : alerts.isError ? (
        <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : alerts.data.length === 0 ? (
        <EmptyState
          title={includeClosed ? t('readingAlerts.emptyAll') : t('readingAlerts.empty')}
          hint={t('readingAlerts.emptyHint')}
        />
      ) : (
        <>
          <ListTable
            caption={t('readingAlerts.title')}
            headers={[
              t('readingAlerts.machine'),
              t('readingAlerts.readingType'),
              t('readingAlerts.kind'),
              t('readingAlerts.value'),
              t('readingAlerts.openedAt'),
            ]}
          >
            {alerts.data.map((alert) => (
              <AlertRow key={alert.id} alert={alert} now={now} siteCode={siteCode(alert.site_id)} />
            ))}
          </ListTable>
          {alerts.data.length >= ALERT_LIMIT && (
            <p className="mt-3 text-sm text-slate-500">
              {t('readingAlerts.limited', { count: ALERT_LIMIT })}
            </p>
          )}
        </>
      )}
    </>
  );
}
