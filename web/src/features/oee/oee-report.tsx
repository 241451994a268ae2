import { clsx } from 'clsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { formatDuration, formatPercent } from '../../lib/format.ts';
import {
  DRILLDOWN_MAX_DAYS,
  FACTORS,
  NOTE_KEYS,
  periodDays,
  REASON_KEYS,
  type Factor,
  type OeeFigures,
  type OeeReport,
  type Period,
} from './oee-api.ts';
import { OeeChart } from './oee-chart.tsx';
import { OeeDrilldownPanel } from './oee-drilldown.tsx';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';

const FACTOR_TEXT = {
  oee: 'text-orange-600 dark:text-orange-400',
  availability: 'text-sky-700 dark:text-sky-400',
  performance: 'text-violet-700 dark:text-violet-400',
  quality: 'text-emerald-700 dark:text-emerald-400',
};

/** The server's reason for a null figure in the reader's language ("performance: no cycle counter"). */
function useReason() {
  const { t } = useTranslation();
  const one = (reason: string) => t(REASON_KEYS[reason] ?? '', reason);
  return (reason: string | null) => {
    if (!reason) return '';
    const factor = /^(availability|performance|quality): (.*)$/.exec(reason);
    return factor ? `${t(`oee.factors.${factor[1]}`)}: ${one(factor[2] ?? '')}` : one(reason);
  };
}

function FactorCard(props: {
  name: Factor | 'oee';
  figures: OeeFigures;
  selected: boolean;
  onSelect?: () => void;
}) {
  const { t } = useTranslation();
  const reasonText = useReason();
  const value = props.figures[props.name];
  const body = (
    <>
      <span className="block text-sm text-slate-600 dark:text-slate-400">
        {t(`oee.factors.${props.name}`)}
      </span>
      <span
        className={clsx(
          'block font-semibold tabular-nums',
          props.name === 'oee' ? 'text-5xl' : 'text-4xl',
          FACTOR_TEXT[props.name],
        )}
        data-testid={`oee-${props.name}`}
      >
        {formatPercent(value)}
      </span>
      {value === null && (
        <span
          className="mt-1 block text-xs text-slate-600 dark:text-slate-400"
          data-testid={`oee-${props.name}-reason`}
        >
          {reasonText(props.figures.reasons[props.name])}
        </span>
      )}
    </>
  );
  if (!props.onSelect) return <div className={cardClass}>{body}</div>;
  return (
    <button
      type="button"
      aria-pressed={props.selected}
      onClick={props.onSelect}
      title={t('oee.drillHint')}
      className={clsx(
        cardClass,
        'text-left transition-colors hover:border-sky-500 focus-visible:outline-2 focus-visible:outline-sky-500',
        props.selected && 'border-sky-600 ring-2 ring-sky-600/30 dark:border-sky-500',
      )}
    >
      {body}
    </button>
  );
}

function MachinesTable({ report, onPick }: { report: OeeReport; onPick: (machineId: number) => void }) {
  const { t } = useTranslation();
  return (
    <Table caption={t('oee.machines')}>
      <thead>
        <tr>
          <Th>{t('oee.machine')}</Th>
          {(['oee', ...FACTORS] as const).map((factor) => (
            <Th key={factor} className="text-right">
              {t(`oee.factors.${factor}`)}
            </Th>
          ))}
          <Th className="text-right">{t('oee.time.run')}</Th>
        </tr>
      </thead>
      <tbody data-testid="oee-machines">
        {report.machines.map((m) => (
          <Tr key={m.machine_id}>
            <Td>
              <button
                type="button"
                className="text-sky-700 underline dark:text-sky-400"
                onClick={() => onPick(m.machine_id)}
              >
                {m.code} — {m.name}
              </button>
            </Td>
            {(['oee', ...FACTORS] as const).map((factor) => (
              <Td key={factor} className="text-right tabular-nums" title={m.reasons[factor] ?? undefined}>
                {formatPercent(m[factor])}
              </Td>
            ))}
            <Td className="text-right tabular-nums">{formatDuration(m.run_seconds)}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The factors, notes, per-shift or per-day chart, machines and the drill-down of one answer. */
export function OeeReportView({
  report,
  period,
  shift,
}: {
  report: OeeReport;
  period: Period;
  shift: string;
}) {
  const { t } = useTranslation();
  const [factor, setFactor] = useState<Factor>('availability');
  const [byDay, setByDay] = useState(false);
  const [picked, setPicked] = useState<number | null>(null);
  const machineId = report.scope.kind === 'machine' ? report.scope.id : picked;
  const parts = byDay
    ? report.days.map((d) => ({ ...d, label: d.day }))
    : report.shifts.map((s) => ({ ...s, label: s.name }));
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <FactorCard name="oee" figures={report} selected={false} />
        {FACTORS.map((name) => (
          <FactorCard
            key={name}
            name={name}
            figures={report}
            selected={factor === name}
            onSelect={() => setFactor(name)}
          />
        ))}
      </div>
      {(report.excluded.length > 0 || report.notes.length > 0) && (
        <section className={cardClass} aria-labelledby="oee-notes" data-testid="oee-notes">
          <h2 id="oee-notes" className="mb-1 text-sm font-semibold">
            {t('oee.notes')}
          </h2>
          <ul className="list-disc space-y-0.5 pl-5 text-sm">
            {report.excluded.map((e) => (
              <li key={`${e.source}-${e.reason}`}>
                {t('oee.excluded', {
                  duration: formatDuration(e.seconds),
                  source: e.source,
                  reason: e.reason,
                })}
              </li>
            ))}
            {report.notes
              .filter((note) => !note.startsWith('excluded:'))
              .map((note) => (
                <li key={note}>{t(NOTE_KEYS[note] ?? '', note)}</li>
              ))}
          </ul>
        </section>
      )}
      <section className={cardClass} aria-labelledby="oee-parts">
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <h2 id="oee-parts" className="font-semibold">
            {byDay ? t('oee.perDay') : t('oee.perShift')}
          </h2>
          <div className="flex gap-1 text-sm" role="group" aria-label={t('oee.breakdown')}>
            {[false, true].map((day) => (
              <button
                key={String(day)}
                type="button"
                aria-pressed={byDay === day}
                onClick={() => setByDay(day)}
                className={clsx(
                  'rounded-md px-2.5 py-1',
                  byDay === day
                    ? 'bg-sky-700 text-white dark:bg-sky-600'
                    : 'hover:bg-slate-200 dark:hover:bg-slate-800',
                )}
              >
                {day ? t('oee.days') : t('oee.shifts')}
              </button>
            ))}
          </div>
        </div>
        {!byDay && report.around_the_clock ? (
          <EmptyState title={t('oee.aroundTheClock')} />
        ) : (
          <OeeChart parts={parts} label={byDay ? t('oee.perDay') : t('oee.perShift')} />
        )}
      </section>
      {report.scope.kind !== 'machine' && <MachinesTable report={report} onPick={setPicked} />}
      <section className={cardClass} aria-labelledby="oee-drill">
        <h2 id="oee-drill" className="mb-2 font-semibold">
          {t('oee.drillTitle', { factor: t(`oee.factors.${factor}`) })}
        </h2>
        {periodDays(period) > DRILLDOWN_MAX_DAYS ? (
          <EmptyState title={t('oee.drillTooLong', { days: DRILLDOWN_MAX_DAYS })} />
        ) : machineId === null ? (
          <EmptyState title={t('oee.pickMachine')} />
        ) : (
          <OeeDrilldownPanel machineId={machineId} period={period} shift={shift} factor={factor} />
        )}
      </section>
    </div>
  );
}
