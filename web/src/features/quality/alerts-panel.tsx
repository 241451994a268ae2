import { useQuery } from '@tanstack/react-query';
import { BellRing, CheckCircle2, SlidersHorizontal } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatMoment } from '../../lib/format.ts';
import { AlertRulesDialog } from './alert-rules-dialog.tsx';
import {
  acknowledgeAlert,
  fetchAlertRule,
  fetchAlerts,
  qualityKeys,
  type QualityAlert,
} from './quality-api.ts';

const ALERT_KINDS = ['consecutive_fails', 'low_pass_rate'];

function AlertRow({ alert, canManage }: { alert: QualityAlert; canManage: boolean }) {
  const { t } = useTranslation();
  const acknowledge = useSaveMutation({
    mutationFn: () => acknowledgeAlert(alert.id),
    invalidate: [qualityKeys.live],
    successText: () => t('quality.alerts.acknowledged'),
  });
  return (
    <li
      data-testid="quality-alert"
      data-kind={alert.kind}
      data-machine={alert.machine_code}
      className="flex flex-wrap items-start gap-3 py-2"
    >
      <BellRing aria-hidden className="mt-0.5 size-5 shrink-0 text-red-600 dark:text-red-400" />
      <div className="min-w-0 flex-1 space-y-0.5">
        <p className="flex flex-wrap items-center gap-2">
          <span className="font-mono font-semibold">{alert.machine_code}</span>
          <span>{alert.test_step}</span>
          <Badge tone="bad">
            {ALERT_KINDS.includes(alert.kind) ? t(`quality.alerts.kinds.${alert.kind}`) : alert.kind}
          </Badge>
          {alert.acknowledged_at && <Badge tone="info">{t('quality.alerts.acknowledgedBadge')}</Badge>}
        </p>
        <p className="text-sm">{alert.message}</p>
        <p className="text-xs text-slate-500">
          {t('quality.alerts.raisedAt', { time: formatMoment(alert.raised_at) })}
          {alert.acknowledged_at &&
            ` · ${t('quality.alerts.acknowledgedAt', { time: formatMoment(alert.acknowledged_at) })}`}
        </p>
      </div>
      {canManage && !alert.acknowledged_at && (
        <Button tone="secondary" size="sm" busy={acknowledge.isPending} onClick={() => acknowledge.mutate()}>
          <CheckCircle2 aria-hidden className="size-4" />
          {t('quality.alerts.acknowledge')}
        </Button>
      )}
    </li>
  );
}

/** The site's open alerts (they clear by themselves when the condition passes) and the rules that raise them. */
export function AlertsPanel({ siteId, canManage }: { siteId: number; canManage: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const alerts = useQuery({
    queryKey: qualityKeys.alerts(siteId),
    queryFn: () => fetchAlerts(siteId),
    refetchInterval: 60_000,
  });
  const rule = useQuery({ queryKey: qualityKeys.rule(siteId), queryFn: () => fetchAlertRule(siteId) });

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <p className="min-w-0 flex-1 text-xs text-slate-500" data-testid="alert-rule-summary">
          {rule.data &&
            t('quality.alerts.ruleSummary', {
              consecutive_fails: rule.data.consecutive_fails,
              min_pass_rate: rule.data.min_pass_rate,
              min_sample: rule.data.min_sample,
            })}
        </p>
        {canManage && (
          <Button tone="secondary" size="sm" disabled={!rule.data} onClick={() => setEditing(true)}>
            <SlidersHorizontal aria-hidden className="size-4" />
            {t('quality.rules.edit')}
          </Button>
        )}
      </div>
      {alerts.isPending ? (
        <Spinner />
      ) : alerts.isError ? (
        <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : alerts.data.length === 0 ? (
        <p
          data-testid="no-alerts"
          className="flex items-center gap-2 py-2 text-sm text-slate-600 dark:text-slate-400"
        >
          <CheckCircle2 aria-hidden className="size-4 text-emerald-600" />
          {t('quality.alerts.none')}
        </p>
      ) : (
        <ul data-testid="quality-alerts" className="divide-y divide-slate-200 dark:divide-slate-800">
          {alerts.data.map((alert) => (
            <AlertRow key={alert.id} alert={alert} canManage={canManage} />
          ))}
        </ul>
      )}
      {editing && rule.data && <AlertRulesDialog rule={rule.data} onClose={() => setEditing(false)} />}
    </div>
  );
}
