import type { UseQueryResult } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatPercent } from '../../lib/format.ts';
import type { TopFailure } from './quality-api.ts';
import { verdictColour } from './quality-format.ts';

function FailureBars({ failures }: { failures: TopFailure[] }) {
  const { t } = useTranslation();
  const option = useCallback(
    (colours: ChartColours) => {
      const axisLabel = { color: colours.muted };
      return {
        // redrawn every few seconds while results stream in: no animation to flicker
        animation: false,
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (params: { dataIndex: number }[]) => {
            const entry = failures[params[0]?.dataIndex ?? -1];
            if (!entry) return '';
            return `${entry.product_id} · ${entry.test_step}<br/>${t('quality.charts.failsOf', {
              fails: entry.fail_count,
              total: entry.total,
              rate: formatPercent(entry.fail_rate, 1),
            })}`;
          },
        },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: {
          type: 'value',
          minInterval: 1,
          axisLabel,
          splitLine: { lineStyle: { color: colours.grid } },
        },
        yAxis: {
          type: 'category',
          inverse: true,
          data: failures.map((entry) => `${entry.product_id} · ${entry.test_step}`),
          axisLabel: { ...axisLabel, width: 120, overflow: 'truncate' },
        },
        series: [
          {
            name: t('quality.verdicts.FAIL'),
            type: 'bar',
            itemStyle: { color: verdictColour.FAIL },
            label: { show: true, position: 'right', color: colours.text },
            data: failures.map((entry) => entry.fail_count),
          },
        ],
      };
    },
    [failures, t],
  );
  const height = Math.max(160, failures.length * 32 + 32);
  return (
    <div style={{ height }}>
      <Chart
        option={option}
        label={t('quality.charts.topFailures')}
        className="h-full w-full"
        testId="top-failures-chart"
      />
    </div>
  );
}

/** The product × steps with the most FAILs in the last 24 h, as horizontal bars. */
export function TopFailuresChart({ failures }: { failures: UseQueryResult<TopFailure[]> }) {
  const { t } = useTranslation();
  if (failures.isPending) return <PageSpinner />;
  if (failures.isError) return <ErrorState error={failures.error} onRetry={() => void failures.refetch()} />;
  if (failures.data.length === 0) return <EmptyState title={t('quality.charts.noFailures')} />;
  return <FailureBars failures={failures.data} />;
}
