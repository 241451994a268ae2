import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { localName } from '../../lib/format.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { IssueList } from './issue-list.tsx';
import {
  fetchIssuePage,
  issueKeys,
  issueStatuses,
  useIssueTypes,
  type IssueFilter,
  type IssueStatus,
} from './issues-api.ts';

/** Every production issue the reader may manage, newest first; refreshes live when one is raised. */
export function IssuesPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<IssueFilter>({});
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const { types } = useIssueTypes();
  const issues = useInfiniteQuery({
    queryKey: issueKeys.list(filter),
    queryFn: ({ pageParam }) => fetchIssuePage(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    refetchInterval: 120_000,
  });
  const list = issues.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (change: IssueFilter) => setFilter((current) => ({ ...current, ...change }));

  return (
    <>
      <PageHeader title={t('production.issuesTitle')} hint={t('production.issuesHint')} />
      <div
        role="group"
        aria-label={t('production.filters')}
        className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 dark:border-slate-800 dark:bg-slate-900"
      >
        {(sites.data?.length ?? 0) > 1 && (
          <Select
            label={t('production.site')}
            value={filter.site_id ?? ''}
            onChange={(e) => set({ site_id: Number(e.target.value) || undefined })}
          >
            <option value="">{t('production.any')}</option>
            {sites.data?.map((site) => (
              <option key={site.id} value={site.id}>
                {site.code}
              </option>
            ))}
          </Select>
        )}
        <Select
          label={t('production.status')}
          value={filter.status ?? ''}
          onChange={(e) => set({ status: (e.target.value || undefined) as IssueStatus | undefined })}
        >
          <option value="">{t('production.any')}</option>
          {issueStatuses.map((status) => (
            <option key={status} value={status}>
              {t(`production.issueStatuses.${status}`)}
            </option>
          ))}
        </Select>
        <Select
          label={t('production.issueType')}
          value={filter.type ?? ''}
          onChange={(e) => set({ type: e.target.value || undefined })}
        >
          <option value="">{t('production.any')}</option>
          {(types.data ?? []).map((type) => (
            <option key={type.code} value={type.code}>
              {localName(type.name, type.name_ru)}
            </option>
          ))}
        </Select>
      </div>
      {issues.isPending ? (
        <PageSpinner />
      ) : issues.isError ? (
        <ErrorState error={issues.error} onRetry={() => void issues.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title={t('production.noIssues')} hint={t('production.noIssuesHint')} />
      ) : (
        <div data-testid="issues-inbox">
          <IssueList issues={list} showWorkOrder />
        </div>
      )}
      {issues.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button
            tone="secondary"
            busy={issues.isFetchingNextPage}
            onClick={() => void issues.fetchNextPage()}
          >
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
