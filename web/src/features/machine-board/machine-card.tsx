import { Link } from '@tanstack/react-router';
import { clsx } from 'clsx';
import { CloudOff } from 'lucide-react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDecimal, formatDuration, formatNumber, formatPercent } from '../../lib/format.ts';
import type { BoardMachine } from './board-api.ts';
import { Sparkline } from './sparkline.tsx';
import { staleStyle, stateCardClass, stateColour } from './state-colours.ts';

const time = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** One machine on the board: its state (colour), stale sources, tool and shots, shift counts, OEE, readings. */
export const MachineCard = memo(function MachineCard({
  machine,
  now,
}: {
  machine: BoardMachine;
  now: number;
}) {
  const { t } = useTranslation();
  const stale = machine.stale.length > 0;
  const staleSince = stale ? machine.stale.map((s) => s.since).sort()[0] : null;
  const since = machine.state_since ? (now - Date.parse(machine.state_since)) / 1000 : null;
  return (
    <Link
      to="/machines/$machineId"
      params={{ machineId: String(machine.id) }}
      data-testid={`machine-card-${machine.code}`}
      data-state={machine.state}
      data-stale={stale ? 'true' : 'false'}
      className={clsx(
        'block rounded-lg border border-l-8 border-slate-200 p-3 shadow-sm transition hover:shadow-md focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-700',
        stateCardClass[machine.state],
        stale && 'border-dashed',
      )}
      style={stale ? staleStyle : undefined}
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-mono text-base font-semibold">{machine.code}</p>
          <p className="truncate text-xs text-slate-600 dark:text-slate-400">{machine.name}</p>
        </div>
        <span
          className="inline-flex shrink-0 items-center gap-1.5 rounded-full bg-white/80 px-2 py-0.5 text-xs font-semibold dark:bg-slate-950/60"
          data-testid="machine-state"
        >
          <span
            aria-hidden
            className="size-2.5 rounded-full"
            style={{ backgroundColor: stateColour[machine.state] }}
          />
          {t(`machineBoard.states.${machine.state}`)}
          {since !== null && <span className="font-normal text-slate-500">· {formatDuration(since)}</span>}
        </span>
      </div>

      {stale && staleSince && (
        <p
          className="mt-2 inline-flex items-center gap-1 rounded bg-slate-800 px-2 py-0.5 text-xs font-medium text-white dark:bg-slate-200 dark:text-slate-900"
          data-testid="stale-badge"
          title={machine.stale.map((s) => `${s.source}: ${s.reason}`).join('\n')}
        >
          <CloudOff aria-hidden className="size-3.5" />
          {t('machineBoard.staleSince', {
            time: time(staleSince),
            sources: machine.stale.map((s) => s.source).join(', '),
          })}
        </p>
      )}

      <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
        <div className="col-span-2 truncate">
          <dt className="sr-only">{t('machineBoard.tool')}</dt>
          <dd data-testid="machine-tool">
            {machine.tools.length === 0
              ? t('machineBoard.noTool')
              : machine.tools.map((tool) => (
                  <span key={tool.tool_id} className="mr-2">
                    <span className="font-mono font-medium">{tool.asset_number}</span>{' '}
                    {t('machineBoard.shots', { shots: formatNumber(tool.total_shots) })}
                    {tool.life_used_percent !== null && ` (${formatDecimal(tool.life_used_percent, 0)} %)`}
                  </span>
                ))}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">{t('machineBoard.oee')}</dt>
          <dd className="text-lg font-semibold leading-tight" data-testid="machine-oee">
            {formatPercent(machine.oee?.oee, 1)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">{t('machineBoard.shiftCounts')}</dt>
          <dd data-testid="machine-counts">
            {formatNumber(machine.counts.cycle)}
            <span className="text-slate-500">
              {' '}
              · {t('machineBoard.good')} {formatNumber(machine.counts.good)} · {t('machineBoard.reject')}{' '}
              {formatNumber(machine.counts.reject)}
            </span>
          </dd>
        </div>
        {machine.oee && (
          <div className="col-span-2 text-slate-500">
            {t('machineBoard.apq', {
              a: formatPercent(machine.oee.availability, 0),
              p: formatPercent(machine.oee.performance, 0),
              q: formatPercent(machine.oee.quality, 0),
            })}
          </div>
        )}
      </dl>

      {machine.sparklines.length > 0 && (
        <div className="mt-2">
          <p className="flex flex-wrap gap-x-3 text-xs text-slate-600 dark:text-slate-400">
            {machine.sparklines.slice(0, 2).map((line) => (
              <span key={line.reading_type}>
                {line.reading_type} <span className="font-medium">{formatDecimal(line.last_value, 1)}</span>
                {line.unit ? ` ${line.unit}` : ''}
              </span>
            ))}
          </p>
          <Sparkline
            lines={machine.sparklines}
            label={t('machineBoard.sparklineLabel', { machine: machine.code })}
          />
        </div>
      )}
    </Link>
  );
});
