import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { downtimeKeys, fetchDowntimes, type Downtime } from '../downtime/downtime-api.ts';
import { fetchLines, plantKeys, type PlantLine } from '../plant/plant-api.ts';

function startOfToday(): number {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.getTime();
}

/** Minutes of each line's stops that fall in today (local day), clipped to [midnight, now]. */
function minutesByLine(lines: PlantLine[], stops: Downtime[], from: number, now: number) {
  const totals = new Map<number, number>(lines.map((line) => [line.id, 0]));
  for (const stop of stops) {
    const start = Math.max(new Date(stop.start_datetime).getTime(), from);
    const end = stop.end_datetime ? new Date(stop.end_datetime).getTime() : now;
    if (end > start) totals.set(stop.line_id, (totals.get(stop.line_id) ?? 0) + (end - start) / 60_000);
  }
  return lines.map((line) => ({ line, minutes: Math.round(totals.get(line.id) ?? 0) }));
}

export function DowntimeByLineChart({ siteId }: { siteId: number }) {
  const { t } = useTranslation();
  const [from] = useState(startOfToday);
  const lines = useQuery({
    queryKey: plantKeys.lines({ site_id: siteId }),
    queryFn: () => fetchLines({ site_id: siteId }),
  });
  // stops that began before midnight and ran into today start earlier: look back one day
  const filter = { site_id: siteId, from: new Date(from - 24 * 3600_000).toISOString(), limit: 200 };
  const stops = useQuery({
    queryKey: downtimeKeys.list(filter),
    queryFn: () => fetchDowntimes(filter),
    refetchInterval: 60_000,
  });
  const data =
    lines.data && stops.data ? minutesByLine(lines.data, stops.data.items, from, stops.dataUpdatedAt) : [];
  const option = useCallback(
    (colours: ChartColours) => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: data.map((entry) => entry.line.code),
        axisLabel: { color: colours.muted },
      },
      yAxis: {
        type: 'value',
        name: t('dashboard.minutes'),
        nameTextStyle: { color: colours.muted },
        axisLabel: { color: colours.muted },
        splitLine: { lineStyle: { color: colours.grid } },
      },
      series: [
        {
          name: t('dashboard.downtimeToday'),
          type: 'bar',
          itemStyle: { color: '#dc2626' },
          data: data.map((entry) => entry.minutes),
        },
      ],
    }),
    [JSON.stringify(data.map((entry) => [entry.line.code, entry.minutes])), t],
  );

  if (lines.isPending || stops.isPending) return <PageSpinner />;
  if (lines.isError) return <ErrorState error={lines.error} onRetry={() => void lines.refetch()} />;
  if (stops.isError) return <ErrorState error={stops.error} onRetry={() => void stops.refetch()} />;
  if (data.length === 0) return <EmptyState title={t('dashboard.noLines')} />;
  return <Chart option={option} label={t('dashboard.downtimeToday')} className="h-64 w-full" />;
}
