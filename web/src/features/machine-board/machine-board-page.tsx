import { useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatMoment } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import type { LiveStatus } from '../../lib/use-live-socket.ts';
import { useCurrentUser } from '../auth/use-current-user.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { boardKeys, fetchBoard, MACHINE_STATES, type BoardMachine } from './board-api.ts';
import { MachineCard } from './machine-card.tsx';
import { stateColour } from './state-colours.ts';
import { useBoardLive } from './use-board-live.ts';

const SITE_KEY = 'hom.board.site';
/** Read again this often even while the socket is quiet (sparklines, OEE, a missed event). */
const REFRESH_MS = 30_000;

function LiveBadge({ status, problem }: { status: LiveStatus; problem: string }) {
  const { t } = useTranslation();
  return (
    <span
      data-testid="board-live-status"
      data-state={status}
      title={problem || undefined}
      className="inline-flex items-center gap-1.5 text-xs font-medium text-slate-600 dark:text-slate-300"
    >
      <span
        aria-hidden
        className={clsx(
          'size-2 rounded-full',
          status === 'live' && 'bg-emerald-500',
          (status === 'connecting' || status === 'reconnecting') && 'animate-pulse bg-amber-500',
          status === 'refused' && 'bg-red-600',
        )}
      />
      {t(`machineBoard.live.${status}`)}
    </span>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
      {MACHINE_STATES.map((state) => (
        <li key={state} className="inline-flex items-center gap-1.5">
          <span
            aria-hidden
            className="size-2.5 rounded-full"
            style={{ backgroundColor: stateColour[state] }}
          />
          {t(`machineBoard.states.${state}`)}
        </li>
      ))}
    </ul>
  );
}

/** The site's board: a card per active machine, grouped by line, kept live. */
function SiteBoard({ siteId }: { siteId: number }) {
  const { t } = useTranslation();
  const live = useBoardLive(siteId);
  const now = useNow(15_000);
  const board = useQuery({
    queryKey: boardKeys.board(siteId),
    queryFn: () => fetchBoard(siteId),
    refetchInterval: REFRESH_MS,
  });
  const lines = useMemo(() => {
    const groups = new Map<number, { line: BoardMachine['line']; machines: BoardMachine[] }>();
    for (const machine of board.data?.machines ?? []) {
      const group = groups.get(machine.line.id) ?? { line: machine.line, machines: [] };
      group.machines.push(machine);
      groups.set(machine.line.id, group);
    }
    return [...groups.values()];
  }, [board.data]);

  if (board.isPending) return <PageSpinner />;
  if (board.isError) return <ErrorState error={board.error} onRetry={() => void board.refetch()} />;
  const machines = board.data.machines;
  const counts = MACHINE_STATES.map(
    (state) => [state, machines.filter((m) => m.state === state).length] as const,
  );
  const stale = machines.filter((m) => m.stale.length > 0).length;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-4">
          <LiveBadge status={live.status} problem={live.problem} />
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="board-summary">
            {counts
              .filter(([, n]) => n > 0)
              .map(([state, n]) => `${t(`machineBoard.states.${state}`)} ${n}`)
              .join(' · ')}
            {stale > 0 && ` · ${t('machineBoard.staleCount', { count: stale })}`}
          </p>
        </div>
        <Legend />
      </div>
      {machines.length === 0 ? (
        <EmptyState title={t('machineBoard.empty')} hint={t('machineBoard.emptyHint')} />
      ) : (
        lines.map(({ line, machines: onLine }) => (
          <section key={line.id} aria-labelledby={`board-line-${line.id}`}>
            <h2 id={`board-line-${line.id}`} className="mb-2 font-semibold">
              <span className="font-mono">{line.code}</span> {line.name}
            </h2>
            <div className="grid grid-cols-[repeat(auto-fill,minmax(17rem,1fr))] gap-3">
              {onLine.map((machine) => (
                <MachineCard key={machine.id} machine={machine} now={now} />
              ))}
            </div>
          </section>
        ))
      )}
      <p className="text-xs text-slate-500">
        {t('machineBoard.updated', { time: formatMoment(board.data.generated_at) })}
        {machines[0]?.shift &&
          ` · ${t('machineBoard.shift', {
            name: machines[0].shift.name ?? t('machineBoard.day'),
            start: formatMoment(machines[0].shift.start),
          })}`}
      </p>
    </div>
  );
}

/**
 * The live machine board: every machine's state as a colour, stale sources, the tool on it and its
 * shots, counts and OEE this shift, sparklines of its main readings. Pushed over GET /ws/machines.
 */
export function MachineBoardPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [chosen, setChosen] = useState<number | null>(() => Number(localStorage.getItem(SITE_KEY)) || null);

  if (me.isPending || sites.isPending) return <PageSpinner />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  const siteList = (sites.data ?? me.data.sites).filter((site) => !('is_active' in site) || site.is_active);
  const site = siteList.find((entry) => entry.id === chosen) ?? siteList[0];
  const chooseSite = (id: number) => {
    setChosen(id);
    localStorage.setItem(SITE_KEY, String(id));
  };

  return (
    <>
      <PageHeader
        title={t('machineBoard.title')}
        hint={t('machineBoard.hint')}
        actions={
          siteList.length > 1 &&
          site && (
            <div className="w-64 max-w-full">
              <Select
                label={t('machineBoard.site')}
                value={site.id}
                onChange={(event) => chooseSite(Number(event.target.value))}
              >
                {siteList.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.code} — {entry.name}
                  </option>
                ))}
              </Select>
            </div>
          )
        }
      />
      {site ? (
        <SiteBoard key={site.id} siteId={site.id} />
      ) : (
        <EmptyState title={t('home.noSites')} hint={t('home.noSitesHint')} />
      )}
    </>
  );
}
