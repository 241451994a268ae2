import { clsx } from 'clsx';
import { ArrowDownRight, ArrowRight, ArrowUpRight } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { formatDecimal, formatPercent } from '../../lib/format.ts';
import type { KpiScope, Kpis } from './kpi-api.ts';
import { useKpiPeriods } from './use-kpis.ts';

// the server's notes are English sentences (with ':' that i18next would read as a namespace)
const noteKeys: Record<string, string | null> = {
  'the period has not started yet': 'notStarted',
  // every period here ends now, so this one says nothing new
  'the period ends after now: it is counted up to now': null,
  'no planned production time in the period': 'noPlannedTime',
  'no failures in the period': 'noFailures',
  'stops without a reason count as failures until someone gives one': 'unexplainedCount',
};

interface TileSpec {
  key: 'mttr' | 'mtbf' | 'availability';
  pick: (kpis: Kpis) => number | null;
  format: (value: number | null) => string;
  /** true when a higher value is better */
  higherIsBetter: boolean;
}

const tiles: TileSpec[] = [
  { key: 'mttr', pick: (k) => k.mttr_hours, format: (v) => formatDecimal(v, 2), higherIsBetter: false },
  { key: 'mtbf', pick: (k) => k.mtbf_hours, format: (v) => formatDecimal(v, 1), higherIsBetter: true },
  {
    key: 'availability',
    pick: (k) => k.availability,
    format: (v) => formatPercent(v, 1),
    higherIsBetter: true,
  },
];

function Trend({ now, before, spec }: { now: number | null; before: number | null; spec: TileSpec }) {
  const { t } = useTranslation();
  if (now === null || before === null) {
    return <span className="text-xs text-slate-500">{t('kpi.noTrend')}</span>;
  }
  const delta = now - before;
  const same = Math.abs(delta) < 1e-9;
  const better = spec.higherIsBetter ? delta > 0 : delta < 0;
  const Icon = same ? ArrowRight : delta > 0 ? ArrowUpRight : ArrowDownRight;
  return (
    <span
      className={clsx(
        'inline-flex items-center gap-1 text-xs font-medium',
        same
          ? 'text-slate-500'
          : better
            ? 'text-emerald-700 dark:text-emerald-400'
            : 'text-red-700 dark:text-red-400',
      )}
    >
      <Icon aria-hidden className="size-4" />
      {t('kpi.previous', { value: spec.format(before) })}
    </span>
  );
}

/** MTTR, MTBF and availability over the last 30 days, with the 30 days before as the trend. */
export function KpiTiles({ scope }: { scope: KpiScope | null }) {
  const { t } = useTranslation();
  const { current, previous } = useKpiPeriods(scope);
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      {tiles.map((spec) => {
        const value = current.data ? spec.pick(current.data) : null;
        const before = previous.data ? spec.pick(previous.data) : null;
        return (
          <section
            key={spec.key}
            aria-label={t(`kpi.${spec.key}`)}
            className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
          >
            <h3 className="text-sm font-medium text-slate-600 dark:text-slate-400">
              {t(`kpi.${spec.key}`)}
              <span className="ml-1 text-xs text-slate-500">{t(`kpi.${spec.key}Unit`)}</span>
            </h3>
            {current.isPending ? (
              <div className="py-2 text-slate-500">
                <Spinner />
              </div>
            ) : (
              <p data-testid={`kpi-${spec.key}`} className="mt-1 text-3xl font-semibold tabular-nums">
                {spec.format(value)}
              </p>
            )}
            {current.data && <Trend now={value} before={before} spec={spec} />}
          </section>
        );
      })}
      {current.data && (
        <ul className="text-xs text-slate-500 sm:col-span-3">
          {current.data.notes
            .filter((note) => noteKeys[note] !== null)
            .map((note) => {
              const key = noteKeys[note];
              return <li key={note}>{key ? t(`kpi.notes.${key}`) : note}</li>;
            })}
        </ul>
      )}
    </div>
  );
}
