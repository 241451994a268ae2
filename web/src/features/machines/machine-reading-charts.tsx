import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { Badge } from '../../components/ui/badge.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatDecimal, formatMoment } from '../../lib/format.ts';
import {
  boardKeys,
  fetchReadingTypes,
  fetchSeries,
  type ReadingType,
  type SeriesBucket,
} from '../machine-board/board-api.ts';
import { ReadingLimitsEditor } from '../reading-alerts/reading-limits-editor.tsx';

/** Charts shown at most (the types reported most recently first). */
const MAX_CHARTS = 6;

function ReadingChart({
  machineId,
  type,
  bucket,
  from,
  to,
}: {
  machineId: number;
  type: ReadingType;
  bucket: SeriesBucket;
  from: string;
  to: string;
}) {
  const { t } = useTranslation();
  const series = useQuery({
    queryKey: boardKeys.series(machineId, type.reading_type, bucket, from, to),
    queryFn: () => fetchSeries(machineId, type.reading_type, bucket, from, to),
  });
  const points = series.data?.points ?? [];
  const option = useCallback(
    (colours: ChartColours) => {
      const limits = [
        ...(type.low !== null ? [{ yAxis: type.low, name: t('machineBoard.readings.low') }] : []),
        ...(type.high !== null ? [{ yAxis: type.high, name: t('machineBoard.readings.high') }] : []),
      ];
      return {
        animation: false,
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: {
          type: 'time',
          min: Date.parse(from),
          max: Date.parse(to),
          axisLabel: { color: colours.muted },
        },
        yAxis: {
          type: 'value',
          scale: true,
          // The limits stay in view (and the axis nicely rounded) even while every value is far from them.
          dataMin: limits.length ? Math.min(...limits.map((limit) => limit.yAxis)) : undefined,
          dataMax: limits.length ? Math.max(...limits.map((limit) => limit.yAxis)) : undefined,
          axisLabel: { color: colours.muted },
          splitLine: { lineStyle: { color: colours.grid } },
        },
        series: [
          {
            name: t('machineBoard.readings.min'),
            type: 'line',
            stack: 'band',
            showSymbol: false,
            lineStyle: { opacity: 0 },
            data: points.map((p) => [p.t, p.min]),
          },
          {
            name: t('machineBoard.readings.max'),
            type: 'line',
            stack: 'band',
            showSymbol: false,
            lineStyle: { opacity: 0 },
            areaStyle: { color: 'rgba(2,132,199,0.15)' },
            data: points.map((p) => [p.t, p.max - p.min]),
            tooltip: { show: false },
          },
          {
            name: t('machineBoard.readings.avg'),
            type: 'line',
            showSymbol: points.length < 3,
            itemStyle: { color: '#0284c7' },
            data: points.map((p) => [p.t, p.avg]),
            markLine: limits.length
              ? {
                  symbol: 'none',
                  lineStyle: { color: '#dc2626', type: 'dashed' },
                  // Inside the grid: at the end, the value would be cut off by the chart's edge.
                  label: { position: 'insideEndTop', color: '#dc2626' },
                  data: limits,
                }
              : undefined,
          },
        ],
      };
    },
    [points, type, from, to, t],
  );

  return (
    <section
      className="rounded-md border border-slate-200 p-3 dark:border-slate-800"
      data-testid={`reading-chart-${type.reading_type}`}
      data-points={points.length}
    >
      <h3 className="flex flex-wrap items-center gap-2 text-sm font-medium">
        {type.reading_type}
        <span className="font-normal text-slate-500">
          {formatDecimal(type.last_value, 2)}
          {type.unit ? ` ${type.unit}` : ''} · {formatMoment(type.last_at)}
        </span>
        {type.stale && <Badge tone="warn">{t('machineBoard.readings.stale')}</Badge>}
      </h3>
      {series.isPending ? (
        <PageSpinner />
      ) : series.isError ? (
        <ErrorState error={series.error} onRetry={() => void series.refetch()} />
      ) : points.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-500">{t('machineBoard.readings.noneInRange')}</p>
      ) : (
        <Chart
          option={option}
          label={t('machineBoard.readings.chartLabel', { type: type.reading_type })}
          className="h-48 w-full"
        />
      )}
      <ReadingLimitsEditor machineId={machineId} readingType={type.reading_type} unit={type.unit} />
    </section>
  );
}

/** A chart per reading type the machine reports (average with its min–max band, limits as lines). */
export function MachineReadingCharts({
  machineId,
  from,
  to,
}: {
  machineId: number;
  from: string;
  to: string;
}) {
  const { t } = useTranslation();
  const types = useQuery({
    queryKey: boardKeys.readingTypes(machineId),
    queryFn: () => fetchReadingTypes(machineId),
  });
  const bucket: SeriesBucket = Date.parse(to) - Date.parse(from) > 2 * 86_400_000 ? '1h' : '1m';
  if (types.isPending) return <PageSpinner />;
  if (types.isError) return <ErrorState error={types.error} onRetry={() => void types.refetch()} />;
  if (types.data.length === 0)
    return (
      <EmptyState title={t('machineBoard.readings.empty')} hint={t('machineBoard.readings.emptyHint')} />
    );
  const shown = [...types.data].sort((a, b) => b.last_at.localeCompare(a.last_at)).slice(0, MAX_CHARTS);
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      {shown.map((type) => (
        <ReadingChart
          key={type.reading_type}
          machineId={machineId}
          type={type}
          bucket={bucket}
          from={from}
          to={to}
        />
      ))}
    </div>
  );
}
