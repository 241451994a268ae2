import { useCallback, useMemo } from 'react';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import type { BoardSparkline } from './board-api.ts';

const LINE_COLOURS = ['#0284c7', '#9333ea'];

/** Up to two readings of a card as tiny lines (each on its own hidden scale), no axes, no animation. */
export function Sparkline({ lines, label }: { lines: BoardSparkline[]; label: string }) {
  const shown = useMemo(() => lines.slice(0, 2), [lines]);
  const option = useCallback(
    (_colours: ChartColours) => ({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      tooltip: { trigger: 'axis', confine: true },
      xAxis: { type: 'time', show: false },
      yAxis: shown.map(() => ({ type: 'value', show: false, scale: true })),
      series: shown.map((line, index) => ({
        name: line.unit ? `${line.reading_type} (${line.unit})` : line.reading_type,
        type: 'line',
        yAxisIndex: index,
        showSymbol: false,
        lineStyle: { width: 1.5, color: LINE_COLOURS[index] },
        itemStyle: { color: LINE_COLOURS[index] },
        data: line.points,
      })),
    }),
    [shown],
  );
  return <Chart option={option} label={label} className="h-12 w-full" />;
}
