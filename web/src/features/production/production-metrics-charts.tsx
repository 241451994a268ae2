import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import i18n from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';
import {
  fetchProductionMetrics,
  metricsKeys,
  type ProductionMetrics,
  type ProductionMetricsFilter,
} from './metrics-api.ts';
import { delayText, formatPct, metricReasonText } from './production-format.ts';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';

const dayLabel = (iso: string) =>
  new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', { day: 'numeric', month: 'short' }).format(
    new Date(iso),
  );

/** One percentage per day (on-time share or efficiency) as bars. */
function DailyPercentChart({
  metrics,
  pick,
  label,
  colour,
  testId,
}: {
  metrics: ProductionMetrics;
  pick: 'on_time_pct' | 'efficiency_pct';
  label: string;
  colour: string;
  testId: string;
}) {
  const option = useCallback(
    (colours: ChartColours) => ({
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value: unknown) => (typeof value === 'number' ? `${value} %` : '—'),
      },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: metrics.buckets.map((bucket) => dayLabel(bucket.bucket_start)),
        axisLabel: { color: colours.muted },
      },
      yAxis: {
        type: 'value',
        min: 0,
        axisLabel: { color: colours.muted, formatter: '{value} %' },
        splitLine: { lineStyle: { color: colours.grid } },
      },
      series: [
        {
          name: label,
          type: 'bar',
          itemStyle: { color: colour },
          data: metrics.buckets.map((bucket) => {
            const value = bucket[pick];
            return value === null ? '-' : Math.round(value * 10) / 10;
          }),
        },
      ],
    }),
    [metrics, pick, label, colour],
  );
  return <Chart option={option} label={label} className="h-56 w-full" testId={testId} />;
}

/** On-time share and efficiency of the work orders finished in the period, per day. */
export function ProductionMetricsCharts({ filter }: { filter: ProductionMetricsFilter }) {
  const { t } = useTranslation();
  const metrics = useQuery({
    queryKey: metricsKeys.production(filter),
    queryFn: () => fetchProductionMetrics(filter),
  });
  if (metrics.isPending) return <PageSpinner />;
  if (metrics.isError) return <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />;
  const data = metrics.data;
  const reason = metricReasonText(t, data.reason);
  const tiles = [
    { key: 'finished', label: t('production.metrics.finished'), value: formatNumber(data.finished) },
    { key: 'on-time', label: t('production.metrics.onTimePct'), value: formatPct(data.on_time_pct) },
    { key: 'efficiency', label: t('production.metrics.efficiency'), value: formatPct(data.efficiency_pct) },
    { key: 'delay', label: t('production.metrics.avgDelay'), value: delayText(t, data.avg_delay_minutes) },
  ];
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {tiles.map((tile) => (
          <div key={tile.key} className={cardClass}>
            <dt className="text-xs text-slate-500">{tile.label}</dt>
            <dd data-testid={`production-metric-${tile.key}`} className="text-xl font-semibold tabular-nums">
              {tile.value}
            </dd>
          </div>
        ))}
      </dl>
      {reason && (
        <p data-testid="production-metrics-reason" className="text-sm text-slate-600 dark:text-slate-400">
          {reason}
        </p>
      )}
      {data.finished > 0 && (
        <div className="grid gap-3 lg:grid-cols-2">
          <section className={cardClass} aria-labelledby="chart-on-time">
            <h3 id="chart-on-time" className="mb-2 text-sm font-semibold">
              {t('production.metrics.onTimePerDay')}
            </h3>
            <DailyPercentChart
              metrics={data}
              pick="on_time_pct"
              label={t('production.metrics.onTimePerDay')}
              colour="#059669"
              testId="chart-on-time"
            />
          </section>
          <section className={cardClass} aria-labelledby="chart-efficiency">
            <h3 id="chart-efficiency" className="mb-2 text-sm font-semibold">
              {t('production.metrics.efficiencyPerDay')}
            </h3>
            <DailyPercentChart
              metrics={data}
              pick="efficiency_pct"
              label={t('production.metrics.efficiencyPerDay')}
              colour="#0369a1"
              testId="chart-efficiency"
            />
          </section>
        </div>
      )}
    </div>
  );
}
