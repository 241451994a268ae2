import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { fetchWorkOrderMetrics, metricsKeys } from './metrics-api.ts';
import { delayText, formatMinutes, formatPct, metricReasonText } from './production-format.ts';

function OnTimeBadge({ onTime }: { onTime: boolean | null }) {
  const { t } = useTranslation();
  if (onTime === null) return <>—</>;
  return (
    <Badge tone={onTime ? 'good' : 'bad'}>
      {onTime ? t('production.metrics.onTime') : t('production.metrics.notOnTime')}
    </Badge>
  );
}

/** Planned against actual time, delay and efficiency of the work order and of each stage. */
export function WorkOrderMetrics({ workOrderId }: { workOrderId: number }) {
  const { t } = useTranslation();
  const metrics = useQuery({
    queryKey: metricsKeys.workOrder(workOrderId),
    queryFn: () => fetchWorkOrderMetrics(workOrderId),
  });
  if (metrics.isPending) return <PageSpinner />;
  if (metrics.isError) return <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />;
  const data = metrics.data;
  const tiles = [
    {
      key: 'planned',
      label: t('production.metrics.plannedTime'),
      value: formatMinutes(data.planned_minutes),
    },
    { key: 'actual', label: t('production.metrics.actualTime'), value: formatMinutes(data.actual_minutes) },
    { key: 'delay', label: t('production.metrics.delay'), value: delayText(t, data.delay_minutes) },
    { key: 'efficiency', label: t('production.metrics.efficiency'), value: formatPct(data.efficiency_pct) },
  ];
  const reason = metricReasonText(t, data.reason);

  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        {tiles.map((tile) => (
          <div
            key={tile.key}
            className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
          >
            <dt className="text-xs text-slate-500">{tile.label}</dt>
            <dd data-testid={`wo-metric-${tile.key}`} className="text-lg font-semibold tabular-nums">
              {tile.value}
            </dd>
          </div>
        ))}
        <div className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
          <dt className="text-xs text-slate-500">{t('production.metrics.onTimeLabel')}</dt>
          <dd data-testid="wo-metric-on-time" className="pt-1">
            <OnTimeBadge onTime={data.on_time} />
          </dd>
        </div>
      </dl>
      {reason && (
        <p data-testid="wo-metric-reason" className="text-sm text-slate-600 dark:text-slate-400">
          {reason}
        </p>
      )}
      {data.stages.length > 0 && (
        <Table caption={t('production.metrics.perStage')}>
          <thead>
            <tr>
              <Th>{t('production.stage')}</Th>
              <Th>{t('production.metrics.plannedTime')}</Th>
              <Th>{t('production.metrics.actualTime')}</Th>
              <Th>{t('production.metrics.delay')}</Th>
              <Th>{t('production.metrics.efficiency')}</Th>
              <Th>{t('production.metrics.onTimeLabel')}</Th>
            </tr>
          </thead>
          <tbody>
            {data.stages.map((stage) => (
              <Tr key={stage.stage_id}>
                <Td className="font-medium">{stage.stage_name}</Td>
                <Td>{formatMinutes(stage.planned_minutes)}</Td>
                <Td>{formatMinutes(stage.actual_minutes)}</Td>
                <Td>{delayText(t, stage.delay_minutes)}</Td>
                <Td>{formatPct(stage.efficiency_pct)}</Td>
                <Td>
                  {stage.on_time === null ? (
                    <span
                      className="text-xs text-slate-500"
                      title={metricReasonText(t, stage.reason) ?? undefined}
                    >
                      {metricReasonText(t, stage.reason, true) ?? '—'}
                    </span>
                  ) : (
                    <OnTimeBadge onTime={stage.on_time} />
                  )}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
