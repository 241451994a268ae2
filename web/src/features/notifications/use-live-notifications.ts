import { useQueryClient } from '@tanstack/react-query';
import { createClient, type Client } from 'graphql-ws';
import { useEffect } from 'react';
import { getAccessToken, onAccessTokenChange } from '../../lib/session-tokens.ts';
import { productionKeys } from '../production/production-api.ts';
import { qualityKeys } from '../quality/quality-api.ts';
import { notificationKeys } from './notifications-api.ts';

const NOTIFICATION_ADDED = 'subscription { notificationAdded { id kind title body link createdAt } }';

function graphqlSocketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/graphql`;
}

/**
 * Listens for new notifications over GraphQL (graphql-ws) and refreshes the notification queries
 * (bell count, list) and the production ones (issues inbox, board, work order). When the access
 * token changes, the socket is reopened with the new one.
 */
export function useLiveNotifications(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    let client: Client | null = null;
    let unsubscribe: (() => void) | null = null;

    const connect = () => {
      unsubscribe?.();
      void client?.dispose();
      client = null;
      unsubscribe = null;
      if (!getAccessToken()) return;
      client = createClient({
        url: graphqlSocketUrl(),
        connectionParams: () => ({ authorization: `Bearer ${getAccessToken() ?? ''}` }),
        retryAttempts: Infinity,
        shouldRetry: () => true,
      });
      unsubscribe = client.subscribe(
        { query: NOTIFICATION_ADDED },
        {
          next: () => {
            void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
            // a production issue was raised or moved: the board, the inbox and the work order refresh
            void queryClient.invalidateQueries({ queryKey: productionKeys.all });
            // a quality alert was raised: the quality dashboard's alerts and tiles refresh
            void queryClient.invalidateQueries({ queryKey: qualityKeys.live });
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
    };

    connect();
    const stopWatching = onAccessTokenChange(connect);
    return () => {
      stopWatching();
      unsubscribe?.();
      void client?.dispose();
    };
  }, [queryClient]);
}
