import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { formatDecimal, formatDuration, formatMoment, formatNumber, localName } from '../../lib/format.ts';
import { fetchDrilldown, oeeKeys, type Factor, type OeeDrilldown, type Period } from './oee-api.ts';

function TimeAccounts({ drill }: { drill: OeeDrilldown }) {
  const { t } = useTranslation();
  const f = drill.figures;
  const rows: [string, number][] = [
    ['planned', f.planned_seconds],
    ['excluded', f.excluded_seconds],
    ['plannedStops', f.planned_stop_seconds],
    ['production', f.production_seconds],
    ['unplanned', f.unplanned_downtime_seconds],
    ['run', f.run_seconds],
  ];
  return (
    <dl
      className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-3 lg:grid-cols-6"
      data-testid="oee-time-accounts"
    >
      {rows.map(([key, seconds]) => (
        <div key={key} className="rounded-md bg-slate-100 px-3 py-2 dark:bg-slate-800">
          <dt className="text-xs text-slate-600 dark:text-slate-400">{t(`oee.time.${key}`)}</dt>
          <dd className="font-medium tabular-nums">{formatDuration(seconds)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Stops({ drill }: { drill: OeeDrilldown }) {
  const { t } = useTranslation();
  if (drill.downtimes.length === 0) return <EmptyState title={t('oee.drill.noStops')} />;
  return (
    <Table caption={t('oee.drill.stops')}>
      <thead>
        <tr>
          <Th>{t('oee.drill.start')}</Th>
          <Th>{t('oee.drill.end')}</Th>
          <Th>{t('oee.drill.reason')}</Th>
          <Th>{t('oee.drill.kind')}</Th>
          <Th className="text-right">{t('oee.drill.counted')}</Th>
        </tr>
      </thead>
      <tbody data-testid="oee-drill-stops">
        {drill.downtimes.map((stop) => (
          <Tr key={stop.id}>
            <Td>{formatMoment(stop.start)}</Td>
            <Td>{stop.end ? formatMoment(stop.end) : <Badge tone="bad">{t('oee.drill.open')}</Badge>}</Td>
            <Td>
              {stop.reason ? localName(stop.reason.name, stop.reason.name_ru) : t('oee.drill.unexplained')}
            </Td>
            <Td>{stop.planned ? t('oee.drill.planned') : t('oee.drill.unplanned')}</Td>
            <Td className="text-right tabular-nums">{formatDuration(stop.counted_seconds)}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

function StalePeriods({ drill }: { drill: OeeDrilldown }) {
  const { t } = useTranslation();
  if (drill.stale_periods.length === 0) return null;
  return (
    <Table caption={t('oee.drill.stale')}>
      <thead>
        <tr>
          <Th>{t('oee.drill.start')}</Th>
          <Th>{t('oee.drill.end')}</Th>
          <Th>{t('oee.drill.source')}</Th>
          <Th className="text-right">{t('oee.drill.excluded')}</Th>
        </tr>
      </thead>
      <tbody data-testid="oee-drill-stale">
        {drill.stale_periods.map((stale) => (
          <Tr key={`${stale.source}-${stale.start}`}>
            <Td>{formatMoment(stale.start)}</Td>
            <Td>{stale.end ? formatMoment(stale.end) : <Badge tone="warn">{t('oee.drill.open')}</Badge>}</Td>
            <Td>
              {stale.source}: {stale.reason}
            </Td>
            <Td className="text-right tabular-nums">{formatDuration(stale.excluded_seconds)}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

function IdealTimes({ drill }: { drill: OeeDrilldown }) {
  const { t } = useTranslation();
  return (
    <Table caption={t('oee.drill.idealTimes')}>
      <thead>
        <tr>
          <Th>{t('oee.drill.from')}</Th>
          <Th>{t('oee.drill.to')}</Th>
          <Th>{t('oee.drill.idealFrom')}</Th>
          <Th className="text-right">{t('oee.drill.idealCycle')}</Th>
          <Th className="text-right">{t('oee.drill.cycles')}</Th>
          <Th className="text-right">{t('oee.drill.idealTime')}</Th>
        </tr>
      </thead>
      <tbody data-testid="oee-drill-ideal">
        {drill.ideal_times.map((segment) => (
          <Tr key={segment.start}>
            <Td>{formatMoment(segment.start)}</Td>
            <Td>{formatMoment(segment.end)}</Td>
            <Td>
              {segment.tool
                ? t('oee.drill.tool', { code: segment.tool.code })
                : segment.source === 'machine'
                  ? t('oee.drill.machine')
                  : t('oee.drill.none')}
            </Td>
            <Td className="text-right tabular-nums">
              {segment.ideal_cycle_seconds === null
                ? '—'
                : `${formatDecimal(segment.ideal_cycle_seconds, 1)} s`}
            </Td>
            <Td className="text-right tabular-nums">{formatNumber(segment.cycles)}</Td>
            <Td className="text-right tabular-nums">{formatDuration(segment.ideal_seconds)}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

function CountsPerHour({ drill, factor }: { drill: OeeDrilldown; factor: Factor }) {
  const { t } = useTranslation();
  if (drill.counts_per_hour.length === 0) return <EmptyState title={t('oee.drill.noCounts')} />;
  const quality = factor === 'quality';
  return (
    <Table caption={t('oee.drill.perHour')}>
      <thead>
        <tr>
          <Th>{t('oee.drill.hour')}</Th>
          <Th className="text-right">{t('oee.drill.cycles')}</Th>
          {quality ? (
            <>
              <Th className="text-right">{t('oee.drill.good')}</Th>
              <Th className="text-right">{t('oee.drill.reject')}</Th>
            </>
          ) : (
            <Th className="text-right">{t('oee.drill.idealTime')}</Th>
          )}
          <Th className="text-right">{t('oee.drill.excludedCycles')}</Th>
          <Th className="text-right">{t('oee.drill.uncountedCycles')}</Th>
        </tr>
      </thead>
      <tbody data-testid="oee-drill-hours">
        {drill.counts_per_hour.map((hour) => (
          <Tr key={hour.hour}>
            <Td>{formatMoment(hour.hour)}</Td>
            <Td className="text-right tabular-nums">{formatNumber(hour.cycles)}</Td>
            {quality ? (
              <>
                <Td className="text-right tabular-nums">{formatNumber(hour.good)}</Td>
                <Td className="text-right tabular-nums">{formatNumber(hour.reject)}</Td>
              </>
            ) : (
              <Td className="text-right tabular-nums">{formatDuration(hour.ideal_seconds)}</Td>
            )}
            <Td className="text-right tabular-nums">{formatNumber(hour.excluded_cycles)}</Td>
            <Td className="text-right tabular-nums">{formatNumber(hour.uncounted_cycles)}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

function Verdicts({ drill }: { drill: OeeDrilldown }) {
  const { t } = useTranslation();
  const v = drill.verdicts;
  return (
    <p className="text-sm" data-testid="oee-drill-verdicts">
      {t(`oee.drill.source.${v.source ?? 'none'}`)}{' '}
      {v.source === 'verdicts' &&
        t('oee.drill.verdictCounts', {
          pass: v.pass,
          fail: v.fail,
          noLimit: v.no_limit,
          excluded: v.excluded,
        })}
    </p>
  );
}

/** The events behind one machine's factor: stops and stale time, ideal times and counts, or verdicts. */
export function OeeDrilldownPanel({
  machineId,
  period,
  shift,
  factor,
}: {
  machineId: number;
  period: Period;
  shift: string;
  factor: Factor;
}) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: oeeKeys.drilldown(machineId, period, shift),
    queryFn: () => fetchDrilldown(machineId, period, shift),
  });
  return (
    <QueryState query={query}>
      {(drill) => (
        <div className="space-y-4" data-testid="oee-drilldown">
          <h3 className="font-semibold">
            {t('oee.drill.title', {
              machine: `${drill.machine.code} — ${drill.machine.name}`,
              factor: t(`oee.factors.${factor}`),
            })}
          </h3>
          <TimeAccounts drill={drill} />
          {factor === 'availability' && (
            <>
              <Stops drill={drill} />
              <StalePeriods drill={drill} />
            </>
          )}
          {factor === 'performance' && (
            <>
              <IdealTimes drill={drill} />
              <CountsPerHour drill={drill} factor={factor} />
            </>
          )}
          {factor === 'quality' && (
            <>
              <Verdicts drill={drill} />
              {drill.verdicts.source !== 'verdicts' && <CountsPerHour drill={drill} factor={factor} />}
            </>
          )}
        </div>
      )}
    </QueryState>
  );
}
