import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { EmptyState, ErrorState } from './empty-state.tsx';
import { PageSpinner } from './spinner.tsx';

interface QueryStateProps<T> {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  emptyTitle?: string;
  emptyHint?: string;
  children: (data: T) => ReactNode;
}

/** Renders the loading, error and empty states of a query, then the data. */
export function QueryState<T>({ query, isEmpty, emptyTitle, emptyHint, children }: QueryStateProps<T>) {
  if (query.isPending) return <PageSpinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <EmptyState title={emptyTitle ?? ''} hint={emptyHint} />;
  return <>{children(query.data)}</>;
}
