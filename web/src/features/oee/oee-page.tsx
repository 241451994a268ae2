import { useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { formatDuration, formatPercent } from '../../lib/format.ts';
import { calendarKeys, fetchCalendar } from '../calendar/calendar-api.ts';
import { fetchLines, fetchMachines, plantKeys } from '../plant/plant-api.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import {
  DRILLDOWN_MAX_DAYS,
  FACTORS,
  fetchOee,
  localDay,
  oeeKeys,
  PERIOD_PRESETS,
  periodDays,
  periodOf,
  REASON_KEYS,
  type Factor,
  type OeeFigures,
  type OeeReport,
  type OeeScope,
  type Period,
  type PeriodPreset,
} from './oee-api.ts';
import { FACTOR_COLOURS, OeeChart } from './oee-chart.tsx';
import { OeeDrilldownPanel } from './oee-drilldown.tsx';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';
const SITE_KEY = 'hom.oee.site';

function useReason() {
  const { t } = useTranslation();
  return (reason: string | null) => (reason ? t(REASON_KEYS[reason] ?? '', reason) : '');
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
        className={clsx('block font-semibold tabular-nums', props.name === 'oee' ? 'text-5xl' : 'text-4xl')}
        style={{ color: FACTOR_COLOURS[props.name] }}
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

function Report({ report, period, shift }: { report: OeeReport; period: Period; shift: string }) {
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
                <li key={note}>{note}</li>
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

/** OEE of a site, line or machine: the three factors, per shift or day, and the events behind them. */
export function OeePage() {
  const { t } = useTranslation();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [siteId, setSiteId] = useState<number | null>(() => Number(localStorage.getItem(SITE_KEY)) || null);
  const [scopeValue, setScopeValue] = useState('site');
  const [shift, setShift] = useState('');
  const [preset, setPreset] = useState<PeriodPreset>('today');
  const today = localDay(new Date());
  const [custom, setCustom] = useState({ from: today, to: today });
  const siteList = (sites.data ?? []).filter((s) => s.is_active);
  const site = siteList.find((s) => s.id === siteId) ?? siteList[0];
  const lines = useQuery({
    queryKey: plantKeys.lines({ site_id: site?.id }),
    queryFn: () => fetchLines({ site_id: site?.id }),
    enabled: site !== undefined,
  });
  const machines = useQuery({
    queryKey: plantKeys.machines({ site_id: site?.id }),
    queryFn: () => fetchMachines({ site_id: site?.id }),
    enabled: site !== undefined,
  });
  const calendar = useQuery({
    queryKey: calendarKeys.site(site?.id ?? 0),
    queryFn: () => fetchCalendar(site?.id ?? 0),
    enabled: site !== undefined,
  });
  const period = periodOf(preset, custom);
  const [kind, id] = scopeValue.split(':');
  const scope: OeeScope | null = !site
    ? null
    : kind === 'line'
      ? { line_id: Number(id) }
      : kind === 'machine'
        ? { machine_id: Number(id) }
        : { site_id: site.id };
  const customValid =
    preset !== 'custom' || (custom.from <= custom.to && custom.from !== '' && custom.to !== '');
  const report = useQuery({
    queryKey: oeeKeys.report(scope ?? { site_id: 0 }, period, shift),
    queryFn: () => fetchOee(scope ?? { site_id: 0 }, period, shift),
    enabled: scope !== null && customValid,
  });
  const shiftNames = [...new Set((calendar.data?.shifts ?? []).map((s) => s.name || `${s.start}–${s.end}`))];
  const chooseSite = (value: number) => {
    setSiteId(value);
    setScopeValue('site');
    setShift('');
    localStorage.setItem(SITE_KEY, String(value));
  };

  return (
    <div>
      <PageHeader title={t('oee.title')} hint={t('oee.hint')} />
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        {siteList.length > 1 && site && (
          <Select label={t('oee.site')} value={site.id} onChange={(e) => chooseSite(Number(e.target.value))}>
            {siteList.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} — {s.name}
              </option>
            ))}
          </Select>
        )}
        <Select
          label={t('oee.scope')}
          value={scopeValue}
          onChange={(e) => setScopeValue(e.target.value)}
          data-testid="oee-scope"
        >
          <option value="site">{t('oee.wholeSite')}</option>
          <optgroup label={t('oee.lines')}>
            {(lines.data ?? []).map((line) => (
              <option key={line.id} value={`line:${line.id}`}>
                {line.code} — {line.name}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('oee.machines')}>
            {(machines.data ?? []).map((m) => (
              <option key={m.id} value={`machine:${m.id}`}>
                {m.code} — {m.name}
              </option>
            ))}
          </optgroup>
        </Select>
        <Select
          label={t('oee.shift')}
          value={shift}
          onChange={(e) => setShift(e.target.value)}
          data-testid="oee-shift"
        >
          <option value="">{t('oee.allShifts')}</option>
          {shiftNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </Select>
        <Select
          label={t('oee.period')}
          value={preset}
          onChange={(e) => setPreset(e.target.value as PeriodPreset)}
          data-testid="oee-period"
        >
          {PERIOD_PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(`oee.presets.${p}`)}
            </option>
          ))}
        </Select>
        {preset === 'custom' && (
          <div className="grid grid-cols-2 gap-2">
            <Input
              label={t('oee.from')}
              type="date"
              value={custom.from}
              max={custom.to}
              onChange={(e) => setCustom({ ...custom, from: e.target.value })}
              data-testid="oee-from"
            />
            <Input
              label={t('oee.to')}
              type="date"
              value={custom.to}
              min={custom.from}
              onChange={(e) => setCustom({ ...custom, to: e.target.value })}
              data-testid="oee-to"
            />
          </div>
        )}
      </div>
      {!site ? (
        <EmptyState title={t('oee.noSites')} />
      ) : !customValid ? (
        <EmptyState title={t('oee.badPeriod')} />
      ) : (
        <QueryState query={report}>
          {(data) => (
            <Report
              key={`${scopeValue}-${shift}-${period.from}-${period.to}`}
              report={data}
              period={period}
              shift={shift}
            />
          )}
        </QueryState>
      )}
    </div>
  );
}
