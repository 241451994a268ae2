import { useInfiniteQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchWorkOrderPage, productionKeys, type WorkOrderFilter } from './production-api.ts';
import { dayRange, localDay } from './production-format.ts';
import { ProductionMetricsCharts } from './production-metrics-charts.tsx';
import { WorkOrderCard } from './work-order-card.tsx';
import { WorkOrderFilters } from './work-order-filters.tsx';
import { WorkOrderFormDialog } from './work-order-form-dialog.tsx';

/** The planner's board: work orders with their stage timelines, and on-time and efficiency per day. */
export function ProductionBoardPage() {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const [filter, setFilter] = useState<WorkOrderFilter>({});
  const [creating, setCreating] = useState(false);
  const workOrders = useInfiniteQuery({
    queryKey: productionKeys.workOrders(filter),
    queryFn: ({ pageParam }) => fetchWorkOrderPage(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    refetchInterval: 60_000,
  });
  const list = workOrders.data?.pages.flatMap((page) => page.items) ?? [];
  const metricsFilter = useMemo(() => {
    const twoWeeksAgo = new Date();
    twoWeeksAgo.setDate(twoWeeksAgo.getDate() - 13);
    const fallback = dayRange(localDay(twoWeeksAgo), localDay());
    return {
      site_id: filter.site_id,
      line_id: filter.line_id,
      from: filter.from ?? fallback.from ?? '',
      to: filter.to ?? fallback.to ?? '',
    };
  }, [filter]);

  return (
    <>
      <PageHeader
        title={t('production.boardTitle')}
        hint={t('production.boardHint')}
        actions={
          can(user, 'workorder:plan') && (
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden className="size-4" />
              {t('production.newWorkOrder')}
            </Button>
          )
        }
      />
      <WorkOrderFilters onApply={setFilter} />
      <section aria-labelledby="production-metrics" className="mb-6">
        <h2 id="production-metrics" className="mb-2 font-semibold">
          {t('production.metrics.title')}
        </h2>
        <ProductionMetricsCharts filter={metricsFilter} />
      </section>
      <section aria-labelledby="work-orders">
        <h2 id="work-orders" className="mb-2 font-semibold">
          {t('production.workOrders')}
        </h2>
        {workOrders.isPending ? (
          <PageSpinner />
        ) : workOrders.isError ? (
          <ErrorState error={workOrders.error} onRetry={() => void workOrders.refetch()} />
        ) : list.length === 0 ? (
          <EmptyState title={t('production.noWorkOrders')} hint={t('production.noWorkOrdersHint')} />
        ) : (
          <ul className="space-y-3">
            {list.map((workOrder) => (
              <WorkOrderCard key={workOrder.id} workOrder={workOrder} />
            ))}
          </ul>
        )}
        {workOrders.hasNextPage && (
          <div className="mt-4 flex justify-center">
            <Button
              tone="secondary"
              busy={workOrders.isFetchingNextPage}
              onClick={() => void workOrders.fetchNextPage()}
            >
              {t('common.loadMore')}
            </Button>
          </div>
        )}
      </section>
      {creating && <WorkOrderFormDialog onClose={() => setCreating(false)} />}
    </>
  );
}
