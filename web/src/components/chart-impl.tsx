import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTheme } from '../app/theme.ts';

echarts.use([
  BarChart,
  CustomChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

import type { ChartColours, ChartProps } from './chart.tsx';

/** A small ECharts wrapper: init on mount, setOption on change, resize with its box, dispose on unmount. */
export default function ChartImpl({ option, label, className, testId }: ChartProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const { dark } = useTheme();

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const chart = echarts.init(box, undefined, { renderer: 'svg' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(box);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const colours: ChartColours = dark
      ? { text: '#e2e8f0', muted: '#94a3b8', grid: '#334155' }
      : { text: '#1e293b', muted: '#64748b', grid: '#e2e8f0' };
    chartRef.current?.setOption(
      { backgroundColor: 'transparent', textStyle: { color: colours.text }, ...option(colours) },
      { notMerge: true },
    );
  }, [option, dark]);

  return <div ref={boxRef} role="img" aria-label={label} data-testid={testId} className={className} />;
}
