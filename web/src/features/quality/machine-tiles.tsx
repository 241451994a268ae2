import { useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatPercent } from '../../lib/format.ts';
import { fetchTiles, qualityKeys, type MachineTile } from './quality-api.ts';
import { formatClockTime, tileColours, verdictTone } from './quality-format.ts';

function Tile({ tile, selected, onSelect }: { tile: MachineTile; selected: boolean; onSelect: () => void }) {
  const { t } = useTranslation();
  const judged = tile.hour_pass + tile.hour_fail;
  return (
    <button
      type="button"
      onClick={onSelect}
      aria-pressed={selected}
      data-testid={`quality-tile-${tile.machine_id}`}
      data-colour={tile.colour}
      title={t(`quality.colours.${tile.colour}`)}
      className={clsx(
        'flex min-h-28 flex-col gap-1 rounded-lg border-2 p-3 text-left transition-shadow hover:shadow-md',
        'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500',
        tileColours[tile.colour].box,
        selected && 'ring-2 ring-sky-600 ring-offset-2 dark:ring-sky-400 dark:ring-offset-slate-950',
      )}
    >
      <span className="flex w-full items-center gap-2">
        <span aria-hidden className={clsx('size-2.5 shrink-0 rounded-full', tileColours[tile.colour].dot)} />
        <span className="min-w-0 flex-1 truncate font-mono font-semibold">{tile.machine_id}</span>
        {tile.open_alerts > 0 && (
          <span className="shrink-0 whitespace-nowrap" data-testid="tile-alerts">
            <Badge tone="bad">{t('quality.openAlertsCount', { count: tile.open_alerts })}</Badge>
          </span>
        )}
      </span>
      <span className="truncate text-xs text-slate-600 dark:text-slate-400">
        {tile.line_code} · {tile.machine_name}
      </span>
      <span className="mt-auto flex flex-wrap items-center justify-between gap-x-2">
        <span className="text-2xl font-semibold tabular-nums" data-testid="tile-pass-rate">
          {formatPercent(tile.hour_pass_rate, 0)}
        </span>
        <span data-testid="tile-verdict">
          {tile.last_verdict ? (
            <Badge tone={verdictTone[tile.last_verdict]}>{t(`quality.verdicts.${tile.last_verdict}`)}</Badge>
          ) : (
            <Badge>{t('quality.noData')}</Badge>
          )}
        </span>
      </span>
      <span className="text-xs text-slate-500">
        {judged > 0
          ? t('quality.passedThisHour', { pass: tile.hour_pass, judged })
          : t('quality.nothingThisHour')}
      </span>
      {tile.last_seen && (
        <span className="text-xs text-slate-500">
          {t('quality.lastSeen', { time: formatClockTime(tile.last_seen) })}
        </span>
      )}
    </button>
  );
}

/** A tile per machine of the site; choosing one narrows the feed and the charts to it. */
export function MachineTiles({
  siteId,
  selected,
  onSelect,
}: {
  siteId: number;
  selected: string | null;
  onSelect: (machine: string | null) => void;
}) {
  const { t } = useTranslation();
  // every minute as well: the counts cover the last 60 minutes, and a silent machine turns grey
  const tiles = useQuery({
    queryKey: qualityKeys.tiles(siteId),
    queryFn: () => fetchTiles(siteId),
    refetchInterval: 60_000,
  });
  if (tiles.isPending) return <PageSpinner />;
  if (tiles.isError) return <ErrorState error={tiles.error} onRetry={() => void tiles.refetch()} />;
  if (tiles.data.length === 0) {
    return <EmptyState title={t('quality.noMachines')} hint={t('quality.noMachinesHint')} />;
  }
  return (
    <div className="grid grid-cols-[repeat(auto-fill,minmax(12rem,1fr))] gap-3" data-testid="quality-tiles">
      {tiles.data.map((tile) => (
        <Tile
          key={tile.machine_key}
          tile={tile}
          selected={selected === tile.machine_id}
          onSelect={() => onSelect(selected === tile.machine_id ? null : tile.machine_id)}
        />
      ))}
    </div>
  );
}
