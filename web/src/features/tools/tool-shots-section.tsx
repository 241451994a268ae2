import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { formatMoment, formatNumber } from '../../lib/format.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { ShotReadingDialog } from './shot-reading-dialog.tsx';
import { ShotsCsvDialog } from './shots-csv-dialog.tsx';
import { fetchShots, toolKeys, type ShotsSummary, type Tool } from './tools-api.ts';
import { sectionClass, type ShotThreshold } from './tool-section-kit.ts';

/** Cumulative shots over time, the life limit as a line, and any thresholds (PM plans add theirs). */
export function ShotsChart({
  summary,
  thresholds = [],
  label,
}: {
  summary: ShotsSummary;
  thresholds?: ShotThreshold[];
  label: string;
}) {
  const { t } = useTranslation();
  const option = useCallback(
    (colours: ChartColours) => {
      const lines = [
        ...(summary.life_limit_shots
          ? [{ name: t('tools.lifeLimit'), yAxis: summary.life_limit_shots, colour: '#dc2626' }]
          : []),
        ...thresholds.map((threshold) => ({
          name: threshold.label,
          yAxis: threshold.shots,
          colour: threshold.colour ?? '#d97706',
        })),
      ];
      return {
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: summary.daily.map((day) => day.date),
          axisLabel: { color: colours.muted },
        },
        yAxis: {
          type: 'value',
          min: 0,
          max: (extent: { max: number }) => Math.max(extent.max, ...lines.map((line) => line.yAxis)),
          axisLabel: { color: colours.muted },
          splitLine: { lineStyle: { color: colours.grid } },
        },
        series: [
          {
            name: t('tools.shots.cumulative'),
            type: 'line',
            step: 'end',
            data: summary.daily.map((day) => day.cumulative),
            itemStyle: { color: '#0284c7' },
            markLine: {
              symbol: 'none',
              data: lines.map((line) => ({
                name: line.name,
                yAxis: line.yAxis,
                lineStyle: { color: line.colour, type: 'dashed' },
                label: { formatter: line.name, color: colours.text, position: 'insideEndTop' },
              })),
            },
          },
        ],
      };
    },
    [summary, thresholds, t],
  );
  return <Chart option={option} label={label} className="h-64" testId="shots-chart" />;
}

/** Running total, shots per day, life used, the chart and the readings; record a reading or import a CSV. */
export function ToolShotsSection({ tool, thresholds }: { tool: Tool; thresholds?: ShotThreshold[] }) {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const [recording, setRecording] = useState(false);
  const [importing, setImporting] = useState(false);
  const shots = useQuery({ queryKey: toolKeys.shots(tool.id), queryFn: () => fetchShots(tool.id) });
  return (
    <section className={sectionClass} aria-labelledby="tool-shots">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="tool-shots" className="text-lg font-semibold">
          {t('tools.shots.title')}
        </h2>
        {can(user, 'shots:record') && tool.status !== 'retired' && (
          <div className="flex gap-2">
            <Button tone="secondary" onClick={() => setImporting(true)}>
              {t('tools.importCsv')}
            </Button>
            <Button onClick={() => setRecording(true)}>{t('tools.shots.record')}</Button>
          </div>
        )}
      </div>
      {shots.isPending ? (
        <Spinner />
      ) : shots.isError ? (
        <ErrorState error={shots.error} onRetry={() => void shots.refetch()} />
      ) : (
        <>
          <dl className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Fact label={t('tools.shots.total')} value={formatNumber(shots.data.total_shots)} />
            <Fact label={t('tools.shots.perDay')} value={formatNumber(shots.data.shots_per_day)} />
            <Fact label={t('tools.shots.last30')} value={formatNumber(shots.data.shots_last_30_days)} />
            <Fact
              label={t('tools.lifeUsed')}
              value={shots.data.life_used_percent === null ? '—' : `${shots.data.life_used_percent} %`}
            />
          </dl>
          {shots.data.daily.length > 0 ? (
            <ShotsChart summary={shots.data} thresholds={thresholds ?? []} label={t('tools.shots.chart')} />
          ) : (
            <p className="text-sm text-slate-500">{t('tools.shots.none')}</p>
          )}
          {shots.data.readings.length > 0 && (
            <div className="mt-4">
              <Table caption={t('tools.shots.readings')}>
                <thead>
                  <tr>
                    <Th>{t('tools.shots.takenAt')}</Th>
                    <Th>{t('tools.shots.source')}</Th>
                    <Th>{t('tools.shots.reading')}</Th>
                    <Th>{t('tools.shots.deltaColumn')}</Th>
                  </tr>
                </thead>
                <tbody>
                  {shots.data.readings.slice(0, 50).map((reading) => (
                    <Tr key={reading.id}>
                      <Td>{formatMoment(reading.taken_at)}</Td>
                      <Td>{t(`tools.shots.sources.${reading.source}`)}</Td>
                      <Td>
                        {reading.kind === 'counter'
                          ? t('tools.shots.counterShown', { value: formatNumber(reading.counter_value ?? 0) })
                          : t('tools.shots.deltaShown', { value: formatNumber(reading.shots ?? 0) })}
                        {reading.is_reset && ` · ${t('tools.shots.reset')}`}
                        {reading.is_rollover && ` · ${t('tools.shots.rollover')}`}
                      </Td>
                      <Td>+{formatNumber(reading.delta)}</Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            </div>
          )}
        </>
      )}
      {recording && <ShotReadingDialog tool={tool} onClose={() => setRecording(false)} />}
      {importing && <ShotsCsvDialog siteId={tool.site_id} onClose={() => setImporting(false)} />}
    </section>
  );
}

export function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-lg font-semibold">{value}</dd>
    </div>
  );
}
