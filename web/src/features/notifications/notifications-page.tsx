import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { CheckCheck } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Switch } from '../../components/ui/field.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { formatMoment } from '../../lib/format.ts';
import { problemText } from '../../lib/form-errors.ts';
import {
  fetchNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationKeys,
} from './notifications-api.ts';

export function NotificationsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const feed = useInfiniteQuery({
    queryKey: notificationKeys.list(unreadOnly),
    queryFn: ({ pageParam }) => fetchNotifications({ unreadOnly, cursor: pageParam, limit: 30 }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all });

  const markRead = useMutation({
    mutationFn: markNotificationRead,
    onSuccess: () => {
      refresh();
      toast.success(t('notifications.markedRead'));
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const markAll = useMutation({
    mutationFn: markAllNotificationsRead,
    onSuccess: ({ updated }) => {
      refresh();
      toast.success(t('notifications.markedAllRead', { count: updated }));
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });

  const items = feed.data?.pages.flatMap((page) => page.items) ?? [];
  const unreadCount = feed.data?.pages[0]?.unread_count ?? 0;

  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        hint={t('notifications.unreadSummary', { count: unreadCount })}
        actions={
          <Button
            tone="secondary"
            busy={markAll.isPending}
            disabled={unreadCount === 0}
            onClick={() => markAll.mutate()}
          >
            <CheckCheck aria-hidden className="size-4" />
            {t('notifications.markAllRead')}
          </Button>
        }
      />
      <div className="mb-4">
        <Switch label={t('notifications.unreadOnly')} checked={unreadOnly} onChange={setUnreadOnly} />
      </div>
      {feed.isPending ? (
        <PageSpinner />
      ) : feed.isError ? (
        <ErrorState error={feed.error} onRetry={() => void feed.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={unreadOnly ? t('notifications.noneUnread') : t('notifications.empty')} />
      ) : (
        <ul className="space-y-2">
          {items.map((note) => (
            <li
              key={note.id}
              data-unread={note.read_at === null || undefined}
              className={clsx(
                'flex flex-wrap items-start gap-3 rounded-lg border p-4',
                note.read_at === null
                  ? 'border-sky-300 bg-sky-50 dark:border-sky-800 dark:bg-sky-950/40'
                  : 'border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900',
              )}
            >
              <div className="min-w-0 flex-1">
                <p className={clsx(note.read_at === null && 'font-semibold')}>
                  {note.read_at === null && <span className="sr-only">{t('notifications.unread')}: </span>}
                  {note.link ? (
                    <a href={note.link} className="underline">
                      {note.title}
                    </a>
                  ) : (
                    note.title
                  )}
                </p>
                {note.body && <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{note.body}</p>}
                <p className="mt-1 text-xs text-slate-500">
                  {formatMoment(note.created_at)} · {note.kind}
                </p>
              </div>
              {note.read_at === null && (
                <Button
                  tone="secondary"
                  size="sm"
                  busy={markRead.isPending && markRead.variables === note.id}
                  onClick={() => markRead.mutate(note.id)}
                >
                  {t('notifications.markRead')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {feed.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button tone="secondary" busy={feed.isFetchingNextPage} onClick={() => void feed.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
