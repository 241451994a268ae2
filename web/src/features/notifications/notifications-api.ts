import { api } from '../../lib/api.ts';

export interface PlantNotification {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage {
  items: PlantNotification[];
  next_cursor: string | null;
  unread_count: number;
}

export const notificationKeys = {
  all: ['notifications'] as const,
  unreadCount: ['notifications', 'unread-count'] as const,
  list: (unreadOnly: boolean) => ['notifications', 'list', { unreadOnly }] as const,
};

export function fetchNotifications(params: { unreadOnly?: boolean; cursor?: string | null; limit?: number }) {
  return api.get<NotificationPage>('/notifications', {
    unread_only: params.unreadOnly ? 'true' : undefined,
    cursor: params.cursor ?? undefined,
    limit: params.limit,
  });
}

export function markNotificationRead(id: number) {
  return api.post<PlantNotification>(`/notifications/${id}/read`);
}

export function markAllNotificationsRead() {
  return api.post<{ updated: number }>('/notifications/read-all');
}
