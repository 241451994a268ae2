import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { clsx } from 'clsx';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatMoment } from '../../lib/format.ts';
import { ActionStatusBadge, OverdueBadge, PriorityBadge } from './action-badges.tsx';
import { actionKeys, fetchActionPage, type ActionFilter, type ActionItem } from './actions-api.ts';

/** One row: title (link to the detail page), status, priority, due date, assignee; overdue ones in red. */
export function ActionRow({ item }: { item: ActionItem }) {
  const { t } = useTranslation();
  return (
    <li
      data-testid="action-row"
      data-action-id={item.id}
      data-status={item.status}
      className={clsx(
        'flex flex-wrap items-center gap-x-4 gap-y-1 rounded-md border bg-white px-4 py-3 dark:bg-slate-900',
        item.overdue ? 'border-red-400 dark:border-red-700' : 'border-slate-200 dark:border-slate-800',
      )}
    >
      <Link
        to="/actions/$actionId"
        params={{ actionId: String(item.id) }}
        className="min-w-0 flex-1 font-medium text-sky-800 hover:underline dark:text-sky-300"
      >
        {item.title}
      </Link>
      <ActionStatusBadge status={item.status} />
      <PriorityBadge priority={item.priority} />
      <span className="text-sm text-slate-600 dark:text-slate-400">
        {item.due_at ? t('actions.dueOn', { when: formatMoment(item.due_at) }) : t('actions.noDue')}
      </span>
      <OverdueBadge item={item} />
      <span className="text-sm text-slate-600 dark:text-slate-400">
        {item.assignee_name ?? t('actions.unassigned')}
      </span>
      <span className="text-xs text-slate-500">
        {t(`actions.sources.${item.source}`)}
        {item.machine_code ? ` · ${item.machine_code}` : ''}
        {item.tool_asset_number ? ` · ${item.tool_asset_number}` : ''}
      </span>
    </li>
  );
}

/** A paged list of action items for a filter, with loading, error and empty states. */
export function ActionListView({ filter, emptyTitle }: { filter: ActionFilter; emptyTitle?: string }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery({
    queryKey: actionKeys.list(filter),
    queryFn: ({ pageParam }) => fetchActionPage(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    refetchInterval: 60_000,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  if (query.isPending) return <PageSpinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0)
    return <EmptyState title={emptyTitle ?? t('actions.empty')} hint={t('actions.emptyHint')} />;
  return (
    <>
      <ul data-testid="action-list" aria-label={t('actions.listLabel')} className="space-y-2">
        {items.map((item) => (
          <ActionRow key={item.id} item={item} />
        ))}
      </ul>
      {query.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button tone="secondary" busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}

/** The actions of one tool or machine (open and in progress first), for their pages. */
export function ActionList({ toolId, machineId }: { toolId?: number; machineId?: number }) {
  const { t } = useTranslation();
  return (
    <ActionListView
      filter={{
        ...(toolId ? { tool_id: toolId } : {}),
        ...(machineId ? { machine_id: machineId } : {}),
      }}
      emptyTitle={t('actions.noneHere')}
    />
  );
}
