import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { FACTORS, type OeeFigures } from './oee-api.ts';

const FACTOR_COLOURS = {
  availability: '#0369a1',
  performance: '#7c3aed',
  quality: '#059669',
  oee: '#ea580c',
};

/** Availability, performance, quality and OEE as grouped bars, one group per shift or per day. */
export function OeeChart({ parts, label }: { parts: (OeeFigures & { label: string })[]; label: string }) {
  const { t } = useTranslation();
  const option = useCallback(
    (colours: ChartColours) => {
      const axisLabel = { color: colours.muted };
      const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);
      return {
        tooltip: {
          trigger: 'axis',
          valueFormatter: (value: number | null) => (value === null ? '—' : `${value} %`),
        },
        legend: { textStyle: { color: colours.text }, top: 0 },
        grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: parts.map((part) => part.label), axisLabel },
        yAxis: {
          type: 'value',
          min: 0,
          axisLabel: { ...axisLabel, formatter: '{value} %' },
          splitLine: { lineStyle: { color: colours.grid } },
        },
        series: [...FACTORS, 'oee' as const].map((factor) => ({
          name: t(`oee.factors.${factor}`),
          type: 'bar',
          itemStyle: { color: FACTOR_COLOURS[factor] },
          data: parts.map((part) => percent(part[factor])),
        })),
      };
    },
    [parts, t],
  );
  if (parts.length === 0) return <EmptyState title={t('oee.noParts')} />;
  return <Chart option={option} label={label} className="h-72 w-full" testId="oee-chart" />;
}
