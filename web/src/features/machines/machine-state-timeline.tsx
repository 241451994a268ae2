import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { boardKeys, fetchDowntimes, fetchTimeline } from '../machine-board/board-api.ts';
import { stateColour } from '../machine-board/state-colours.ts';

const STALE_COLOUR = 'rgba(100,116,139,0.55)';
const DOWNTIME_COLOUR = '#b91c1c';

interface Bar {
  value: [number, number, number];
  name: string;
  detail: string;
  itemStyle: { color: string; borderColor?: string; borderType?: string; borderWidth?: number };
}

interface RenderApi {
  value: (dimension: number) => number;
  coord: (point: [number, number]) => [number, number];
  size: (size: [number, number]) => [number, number];
  style: () => Record<string, unknown>;
}

/** One period as a rectangle on its row (custom series): x from start to end, a band of the row's height. */
function renderPeriod(_params: unknown, api: RenderApi) {
  const row = api.value(2);
  const [x0, y] = api.coord([api.value(0), row]);
  const [x1] = api.coord([api.value(1), row]);
  const height = api.size([0, 1])[1] * 0.6;
  return {
    type: 'rect',
    shape: { x: x0, y: y - height / 2, width: Math.max(x1 - x0, 1), height },
    style: api.style(),
  };
}

/**
 * The machine's states over a range as coloured bands (the board's colours), with the periods a source
 * was stale and the downtimes (manual and automatic) on rows below.
 */
export function MachineStateTimeline({
  machineId,
  from,
  to,
}: {
  machineId: number;
  from: string;
  to: string;
}) {
  const { t } = useTranslation();
  const timeline = useQuery({
    queryKey: boardKeys.timeline(machineId, from, to),
    queryFn: () => fetchTimeline(machineId, from, to),
  });
  const downtimes = useQuery({
    queryKey: boardKeys.downtimes(machineId, from, to),
    queryFn: () => fetchDowntimes(machineId, from, to),
  });

  const bars = useMemo(() => {
    const period = (start: string, end: string) =>
      `${formatMoment(start)} – ${formatMoment(end)} (${formatDuration((Date.parse(end) - Date.parse(start)) / 1000)})`;
    const list: Bar[] = [];
    for (const s of timeline.data?.states ?? [])
      list.push({
        value: [Date.parse(s.start), Date.parse(s.end), 0],
        name: t(`machineBoard.states.${s.state}`),
        detail: period(s.start, s.end),
        itemStyle: { color: stateColour[s.state] },
      });
    for (const s of timeline.data?.stale ?? [])
      list.push({
        value: [Date.parse(s.start), Date.parse(s.end), 1],
        name: t('machineBoard.timeline.staleSource', { source: s.source }),
        detail: `${period(s.start, s.end)} — ${s.reason}`,
        itemStyle: { color: STALE_COLOUR, borderColor: '#475569', borderType: 'dashed', borderWidth: 1 },
      });
    const end = Date.parse(to);
    for (const d of downtimes.data ?? []) {
      const start = Math.max(Date.parse(d.start_datetime), Date.parse(from));
      const stop = Math.min(d.end_datetime ? Date.parse(d.end_datetime) : end, end);
      if (stop <= start) continue;
      list.push({
        value: [start, stop, 2],
        name: d.reason_name ?? t('machineBoard.timeline.noReason'),
        detail: `${period(new Date(start).toISOString(), new Date(stop).toISOString())} — ${d.source}`,
        itemStyle: { color: DOWNTIME_COLOUR },
      });
    }
    return list;
  }, [timeline.data, downtimes.data, from, to, t]);

  const option = useCallback(
    (colours: ChartColours) => ({
      animation: false,
      tooltip: {
        formatter: (params: { data: Bar }) => `<b>${params.data.name}</b><br/>${params.data.detail}`,
      },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: {
        type: 'time',
        min: Date.parse(from),
        max: Date.parse(to),
        axisLabel: { color: colours.muted },
        splitLine: { show: true, lineStyle: { color: colours.grid } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: [
          t('machineBoard.timeline.state'),
          t('machineBoard.timeline.stale'),
          t('machineBoard.timeline.downtime'),
        ],
        axisLabel: { color: colours.text },
      },
      series: [
        { type: 'custom', renderItem: renderPeriod, encode: { x: [0, 1], y: 2 }, clip: true, data: bars },
      ],
    }),
    [bars, from, to, t],
  );

  if (timeline.isPending) return <PageSpinner />;
  if (timeline.isError) return <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />;
  if (timeline.data.states.length === 0 && timeline.data.stale.length === 0)
    return (
      <EmptyState title={t('machineBoard.timeline.empty')} hint={t('machineBoard.timeline.emptyHint')} />
    );
  return (
    <div data-testid="state-timeline" data-periods={timeline.data.states.length}>
      <Chart option={option} label={t('machineBoard.timeline.title')} className="h-40 w-full" />
      {timeline.data.truncated && (
        <p className="text-xs text-amber-700">{t('machineBoard.timeline.truncated')}</p>
      )}
    </div>
  );
}
