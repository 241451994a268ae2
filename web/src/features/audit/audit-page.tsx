import { useInfiniteQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight } from 'lucide-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { formatMoment } from '../../lib/format.ts';
import { auditKeys, emptyAuditFilter, fetchAuditPage, type AuditFilter } from './audit-api.ts';
import { AuditFilters } from './audit-filters.tsx';
import { ChangeDiff } from './change-diff.tsx';

export function AuditPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>(emptyAuditFilter);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const log = useInfiniteQuery({
    queryKey: auditKeys.list(filter),
    queryFn: ({ pageParam }) => fetchAuditPage(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });

  const toggle = (id: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title={t('audit.title')} hint={t('audit.hint')} />
      <AuditFilters onApply={setFilter} />
      {log.isPending ? (
        <PageSpinner />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title={t('audit.empty')} hint={t('audit.emptyHint')} />
      ) : (
        <Table caption={t('audit.title')}>
          <thead>
            <tr>
              <Th className="w-8" />
              <Th>{t('audit.at')}</Th>
              <Th>{t('audit.actor')}</Th>
              <Th>{t('audit.action')}</Th>
              <Th>{t('audit.entity')}</Th>
              <Th>{t('audit.requestId')}</Th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const open = expanded.has(entry.id);
              return (
                <Fragment key={entry.id}>
                  <Tr
                    className="cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/50"
                    onClick={() => toggle(entry.id)}
                  >
                    <Td>
                      <button type="button" aria-expanded={open} aria-label={t('audit.showChange')}>
                        {open ? <ChevronDown className="size-4" /> : <ChevronRight className="size-4" />}
                      </button>
                    </Td>
                    <Td className="whitespace-nowrap">{formatMoment(entry.at)}</Td>
                    <Td>
                      {entry.actor_username ??
                        (entry.actor_user_id ? `#${entry.actor_user_id}` : t('audit.system'))}
                    </Td>
                    <Td className="font-mono text-xs">{entry.action}</Td>
                    <Td>
                      <span className="font-mono text-xs">{entry.entity}</span>
                      {entry.entity_id !== null && (
                        <span className="text-slate-500"> #{entry.entity_id}</span>
                      )}
                    </Td>
                    <Td className="font-mono text-xs text-slate-500">{entry.request_id ?? '—'}</Td>
                  </Tr>
                  {open && (
                    <tr>
                      <td colSpan={6} className="bg-slate-50 px-4 py-3 dark:bg-slate-950/40">
                        <ChangeDiff before={entry.before} after={entry.after} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </Table>
      )}
      {log.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button tone="secondary" busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
            {t('audit.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
