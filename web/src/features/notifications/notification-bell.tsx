import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Bell } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { fetchNotifications, notificationKeys } from './notifications-api.ts';

export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unreadCount,
    queryFn: () => fetchNotifications({ unreadOnly: true, limit: 1 }),
    select: (page) => page.unread_count,
    refetchInterval: 120_000,
  });
}

export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useUnreadCount().data ?? 0;
  return (
    <Link
      to="/notifications"
      data-testid="notification-bell"
      aria-label={t('notifications.bellLabel', { count: unread })}
      className="relative inline-flex rounded-md p-2 text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
    >
      <Bell aria-hidden className="size-5" />
      {unread > 0 && (
        <span
          data-testid="notification-count"
          className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs leading-5 font-semibold text-white"
        >
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </Link>
  );
}
