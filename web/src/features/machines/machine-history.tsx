import { useInfiniteQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { History, OctagonAlert, PencilLine, Wrench } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatMoment } from '../../lib/format.ts';
import { fetchHistoryPage, historyKeys, type HistoryKind } from './history-api.ts';

const kindStyle: Record<HistoryKind, { icon: typeof Wrench; colour: string }> = {
  downtime: { icon: OctagonAlert, colour: 'bg-red-100 text-red-800 dark:bg-red-900/60 dark:text-red-100' },
  repair: { icon: Wrench, colour: 'bg-sky-100 text-sky-800 dark:bg-sky-900/60 dark:text-sky-100' },
  change: { icon: PencilLine, colour: 'bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-100' },
};

/** The machine's life, newest first: stops, repairs and changes to its record. */
export function MachineHistory({ machineId }: { machineId: number }) {
  const { t } = useTranslation();
  const history = useInfiniteQuery({
    queryKey: historyKeys.machine(machineId),
    queryFn: ({ pageParam }) => fetchHistoryPage(machineId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });

  if (history.isPending) return <PageSpinner />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  const items = history.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <EmptyState title={t('machine.historyEmpty')} />;

  return (
    <>
      <ol
        className="relative space-y-3 border-l-2 border-slate-200 pl-5 dark:border-slate-700"
        data-testid="history"
      >
        {items.map((item) => {
          const style = kindStyle[item.kind] ?? { icon: History, colour: kindStyle.change.colour };
          const Icon = style.icon;
          return (
            <li key={`${item.kind}-${item.id}-${item.at}`} className="relative">
              <span
                aria-hidden
                className={clsx(
                  'absolute top-0.5 -left-[31px] flex size-6 items-center justify-center rounded-full',
                  style.colour,
                )}
              >
                <Icon className="size-3.5" />
              </span>
              <p className="text-xs text-slate-500">
                <time dateTime={item.at}>{formatMoment(item.at)}</time>
                {' · '}
                {t(`machine.kind.${item.kind}`, item.kind)}
                {item.actor_username && ` · ${item.actor_username}`}
              </p>
              <p className="text-sm">{item.summary}</p>
            </li>
          );
        })}
      </ol>
      {history.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button
            tone="secondary"
            busy={history.isFetchingNextPage}
            onClick={() => void history.fetchNextPage()}
          >
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
