import { clsx } from 'clsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../lib/use-now.ts';
import { MachineReadingAlerts } from '../reading-alerts/machine-reading-alerts.tsx';
import { MachineReadingCharts } from './machine-reading-charts.tsx';
import { MachineStateTimeline } from './machine-state-timeline.tsx';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';
const RANGES = { '8h': 8, '24h': 24, '7d': 168 } as const;
type Range = keyof typeof RANGES;
const MINUTE_MS = 60_000;

/** The machine page's state timeline and reading charts over one chosen range, moving on each minute. */
export function MachineSignalsSection({ machineId }: { machineId: number }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<Range>('8h');
  const minute = Math.ceil(useNow(MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  const to = new Date(minute).toISOString();
  const from = new Date(minute - RANGES[range] * 3_600_000).toISOString();

  return (
    <>
      <section aria-labelledby="machine-timeline" className={cardClass}>
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 id="machine-timeline" className="font-semibold">
            {t('machineBoard.timeline.title')}
          </h2>
          <div role="group" aria-label={t('machineBoard.timeline.range')} className="flex gap-1">
            {(Object.keys(RANGES) as Range[]).map((key) => (
              <button
                key={key}
                type="button"
                aria-pressed={range === key}
                onClick={() => setRange(key)}
                className={clsx(
                  'rounded-md px-2.5 py-1 text-sm font-medium',
                  range === key
                    ? 'bg-sky-600 text-white'
                    : 'bg-slate-100 text-slate-700 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-200',
                )}
              >
                {t(`machineBoard.timeline.ranges.${key}`)}
              </button>
            ))}
          </div>
        </div>
        <MachineStateTimeline machineId={machineId} from={from} to={to} />
      </section>
      <section aria-labelledby="machine-readings" className={cardClass}>
        <h2 id="machine-readings" className="mb-3 font-semibold">
          {t('machineBoard.readings.title')}
        </h2>
        <MachineReadingAlerts machineId={machineId} />
        <MachineReadingCharts machineId={machineId} from={from} to={to} />
      </section>
    </>
  );
}
