import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatNumber, formatPercent } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import { fetchMetrics, qualityKeys, type QualityCounts, type QualityMetrics } from './quality-api.ts';
import { formatHour, verdictColour } from './quality-format.ts';

const HOUR_MS = 3_600_000;
const HOURS = 24;

interface Slot extends QualityCounts {
  start: number;
}

/** 24 hourly slots from `from`, the server's buckets (it sends only hours with results) put into them. */
function hourSlots(metrics: QualityMetrics, from: number): Slot[] {
  const empty = { total_tests: 0, pass_count: 0, fail_count: 0, no_limit_count: 0, pass_rate: null };
  const slots: Slot[] = Array.from({ length: HOURS }, (_, index) => ({
    ...empty,
    start: from + index * HOUR_MS,
  }));
  for (const bucket of metrics.buckets ?? []) {
    const index = Math.floor((Date.parse(bucket.bucket_start) - from) / HOUR_MS);
    const slot = slots[Math.min(Math.max(index, 0), HOURS - 1)];
    if (slot) Object.assign(slot, { ...bucket, start: slot.start });
  }
  return slots;
}

/** PASS, FAIL and NO_LIMIT counts per hour over the last 24 h as stacked bars, the pass rate as a line. */
export function PassRateChart({ siteId, machine }: { siteId: number; machine: string | null }) {
  const { t } = useTranslation();
  const hour = Math.floor(useNow(60_000) / HOUR_MS) * HOUR_MS;
  const from = hour - (HOURS - 1) * HOUR_MS;
  const filter = useMemo(
    () => ({
      site_id: siteId,
      machine_id: machine ?? undefined,
      from: new Date(from).toISOString(),
      bucket: 'hour' as const,
    }),
    [siteId, machine, from],
  );
  const metrics = useQuery({ queryKey: qualityKeys.metrics(filter), queryFn: () => fetchMetrics(filter) });
  const slots = useMemo(() => (metrics.data ? hourSlots(metrics.data, from) : []), [metrics.data, from]);

  const option = useCallback(
    (colours: ChartColours) => {
      const axisLabel = { color: colours.muted };
      const counts = (pick: 'pass_count' | 'fail_count' | 'no_limit_count') =>
        slots.map((slot) => slot[pick]);
      return {
        // redrawn every few seconds while results stream in: no animation to flicker
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { textStyle: { color: colours.text }, top: 0 },
        // room for the legend on two lines in a narrow card
        grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: slots.map((slot) => formatHour(slot.start)), axisLabel },
        yAxis: [
          {
            type: 'value',
            minInterval: 1,
            axisLabel,
            splitLine: { lineStyle: { color: colours.grid } },
          },
          {
            type: 'value',
            min: 0,
            max: 100,
            axisLabel: { ...axisLabel, formatter: '{value} %' },
            splitLine: { show: false },
          },
        ],
        series: [
          {
            name: t('quality.verdicts.PASS'),
            type: 'bar',
            stack: 'n',
            itemStyle: { color: verdictColour.PASS },
            data: counts('pass_count'),
          },
          {
            name: t('quality.verdicts.FAIL'),
            type: 'bar',
            stack: 'n',
            itemStyle: { color: verdictColour.FAIL },
            data: counts('fail_count'),
          },
          {
            name: t('quality.verdicts.NO_LIMIT'),
            type: 'bar',
            stack: 'n',
            itemStyle: { color: verdictColour.NO_LIMIT },
            data: counts('no_limit_count'),
          },
          {
            name: t('quality.charts.passRate'),
            type: 'line',
            yAxisIndex: 1,
            connectNulls: true,
            itemStyle: { color: '#0369a1' },
            tooltip: { valueFormatter: (value: unknown) => (typeof value === 'number' ? `${value} %` : '—') },
            data: slots.map((slot) =>
              slot.pass_rate === null ? '-' : Math.round(slot.pass_rate * 1000) / 10,
            ),
          },
        ],
      };
    },
    [slots, t],
  );

  if (metrics.isPending) return <PageSpinner />;
  if (metrics.isError) return <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />;
  const data = metrics.data;
  if (data.total_tests === 0) {
    return <EmptyState title={t('quality.charts.noResults24h')} hint={t('quality.feed.emptyHint')} />;
  }
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="quality-24h-summary">
        {t('quality.charts.summary', {
          total: formatNumber(data.total_tests),
          rate: formatPercent(data.pass_rate, 1),
          fails: formatNumber(data.fail_count),
        })}
      </p>
      <Chart
        option={option}
        label={t('quality.charts.passRatePerHour')}
        className="h-64 w-full"
        testId="pass-rate-chart"
      />
    </div>
  );
}
