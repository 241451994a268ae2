import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { ExportButton } from '../reports/index.ts';
import { RepairFilters } from './repair-filters.tsx';
import {
  emptyRepairFilter,
  fetchRepairPage,
  repairKeys,
  repairStatusTone,
  type RepairFilter,
} from './repairs-api.ts';

const linkClass = 'text-sky-700 underline dark:text-sky-400';

export function RepairsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const [filter, setFilter] = useState<RepairFilter>(emptyRepairFilter);
  const repairs = useInfiniteQuery({
    queryKey: repairKeys.list(filter),
    queryFn: ({ pageParam }) => fetchRepairPage(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const list = repairs.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('repairs.title')}
        hint={t('repairs.hint')}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <ExportButton list="repairs" filters={{ ...filter }} />
            {can(user, 'repair:write') && (
              <Link
                to="/repairs/new"
                search={{}}
                className="inline-flex items-center gap-2 rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500"
              >
                <Plus aria-hidden className="size-4" />
                {t('repairs.new')}
              </Link>
            )}
          </div>
        }
      />
      <RepairFilters onApply={setFilter} />
      {repairs.isPending ? (
        <PageSpinner />
      ) : repairs.isError ? (
        <ErrorState error={repairs.error} onRetry={() => void repairs.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title={t('repairs.empty')} hint={t('repairs.emptyHint')} />
      ) : (
        <Table caption={t('repairs.title')}>
          <thead>
            <tr>
              <Th>#</Th>
              <Th>{t('repairs.machine')}</Th>
              <Th>{t('repairs.status')}</Th>
              <Th>{t('repairs.type')}</Th>
              <Th>{t('repairs.start')}</Th>
              <Th>{t('repairs.duration')}</Th>
              <Th>{t('repairs.description')}</Th>
              <Th>{t('repairs.failureCode')}</Th>
              <Th>{t('repairs.technicians')}</Th>
            </tr>
          </thead>
          <tbody>
            {list.map((repair) => (
              <Tr key={repair.id} data-testid={`repair-row-${repair.id}`}>
                <Td>
                  <Link
                    to="/repairs/$repairId"
                    params={{ repairId: String(repair.id) }}
                    className={linkClass}
                  >
                    {repair.id}
                  </Link>
                </Td>
                <Td>
                  <Link
                    to="/machines/$machineId"
                    params={{ machineId: String(repair.machine_id) }}
                    className={`${linkClass} font-mono`}
                  >
                    {repair.machine_code}
                  </Link>
                </Td>
                <Td>
                  <Badge tone={repairStatusTone[repair.status] ?? 'neutral'}>
                    {t(`repairs.statuses.${repair.status}`)}
                  </Badge>
                </Td>
                <Td>{t(`repairs.types.${repair.repair_type}`)}</Td>
                <Td className="whitespace-nowrap">{formatMoment(repair.start_datetime)}</Td>
                <Td className="whitespace-nowrap">{formatDuration(repair.duration_seconds)}</Td>
                <Td className="max-w-xs truncate" title={repair.description}>
                  {repair.description}
                </Td>
                <Td className="font-mono text-xs">{repair.failure_code ?? '—'}</Td>
                <Td>
                  {repair.technicians.map((person) => person.full_name || person.username).join(', ') || '—'}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      {repairs.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button
            tone="secondary"
            busy={repairs.isFetchingNextPage}
            onClick={() => void repairs.fetchNextPage()}
          >
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
