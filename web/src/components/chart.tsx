import { lazy, Suspense } from 'react';
import { Spinner } from './ui/spinner.tsx';

export interface ChartColours {
  text: string;
  muted: string;
  grid: string;
}

/** An ECharts option (kept loose here so ECharts itself loads only with the first chart). */
export type ChartOption = Record<string, unknown>;

export interface ChartProps {
  /** Builds the option; gets the text and grid colours of the current theme. */
  option: (colours: ChartColours) => ChartOption;
  label: string;
  className?: string;
  testId?: string;
}

const ChartImpl = lazy(() => import('./chart-impl.tsx'));

/** A chart; the ECharts code is a separate chunk fetched the first time a chart is shown. */
export function Chart(props: ChartProps) {
  return (
    <Suspense
      fallback={
        <div className={props.className}>
          <Spinner />
        </div>
      }
    >
      <ChartImpl {...props} />
    </Suspense>
  );
}
