import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { localName } from '../../lib/format.ts';
import type { ParetoEntry } from './kpi-api.ts';

/** Unplanned downtime by reason: hours as bars, the cumulative share as a line. */
export function ParetoChart({ entries }: { entries: ParetoEntry[] }) {
  const { t } = useTranslation();
  const unexplained = t('downtime.unexplained');
  const option = useCallback(
    (colours: ChartColours) => {
      const names = entries.map((entry) =>
        entry.reason ? localName(entry.reason.name, entry.reason.name_ru) : unexplained,
      );
      const axisLabel = { color: colours.muted };
      const splitLine = { lineStyle: { color: colours.grid } };
      return {
        tooltip: { trigger: 'axis' },
        legend: { textStyle: { color: colours.text }, top: 0 },
        grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: names,
          axisLabel: {
            ...axisLabel,
            interval: 0,
            rotate: names.length > 4 ? 30 : 0,
            width: 110,
            overflow: 'truncate',
          },
        },
        yAxis: [
          { type: 'value', name: t('kpi.hours'), axisLabel, splitLine, nameTextStyle: axisLabel },
          {
            type: 'value',
            max: 100,
            axisLabel: { ...axisLabel, formatter: '{value} %' },
            splitLine: { show: false },
          },
        ],
        series: [
          {
            name: t('kpi.downtimeHours'),
            type: 'bar',
            itemStyle: { color: '#0369a1' },
            data: entries.map((entry) => Math.round((entry.seconds / 3600) * 100) / 100),
          },
          {
            name: t('kpi.cumulative'),
            type: 'line',
            yAxisIndex: 1,
            itemStyle: { color: '#dc2626' },
            data: entries.map((entry) => Math.round(entry.cumulative_share * 1000) / 10),
          },
        ],
      };
    },
    [entries, unexplained, t],
  );
  if (entries.length === 0) return <EmptyState title={t('kpi.noDowntime')} />;
  return <Chart option={option} label={t('kpi.pareto')} className="h-72 w-full" testId="pareto-chart" />;
}
