import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { fetchWorkOrderIssues, issueKeys } from './issues-api.ts';
import { IssueList } from './issue-list.tsx';
import { fetchStages, fetchWorkOrder, productionKeys } from './production-api.ts';
import { StageTable } from './stage-table.tsx';
import { StageTimeline } from './stage-timeline.tsx';
import { WorkOrderMetrics } from './work-order-metrics.tsx';
import { WorkOrderSummary } from './work-order-summary.tsx';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-6 space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** `/production/work-orders/$woId`: facts, stage timeline and table, issues and metrics. */
export function WorkOrderPage() {
  const { t } = useTranslation();
  const { woId } = useParams({ strict: false });
  const id = Number(woId);
  const valid = Number.isInteger(id) && id > 0;
  const workOrder = useQuery({
    queryKey: productionKeys.workOrder(id),
    queryFn: () => fetchWorkOrder(id),
    enabled: valid,
  });
  const stages = useQuery({
    queryKey: productionKeys.stages(id),
    queryFn: () => fetchStages(id),
    enabled: valid,
  });
  const issues = useQuery({
    queryKey: issueKeys.workOrder(id),
    queryFn: () => fetchWorkOrderIssues(id),
    enabled: valid,
  });

  if (!valid) return <ErrorState error={t('common.notFound')} />;
  if (workOrder.isPending) return <PageSpinner />;
  if (workOrder.isError)
    return <ErrorState error={workOrder.error} onRetry={() => void workOrder.refetch()} />;

  return (
    <>
      <Link
        to="/production"
        className="mb-3 inline-flex items-center gap-1 text-sm text-sky-700 underline dark:text-sky-400"
      >
        <ArrowLeft aria-hidden className="size-4" />
        {t('production.backToBoard')}
      </Link>
      <WorkOrderSummary workOrder={workOrder.data} />
      <Section id="wo-stages" title={t('production.stages')}>
        <QueryState
          query={stages}
          isEmpty={(list) => list.length === 0}
          emptyTitle={t('production.noStages')}
        >
          {(list) => (
            <>
              <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
                <StageTimeline
                  stages={list}
                  window={{ start: workOrder.data.planned_start, end: workOrder.data.planned_end }}
                />
              </div>
              <StageTable stages={list} />
            </>
          )}
        </QueryState>
      </Section>
      <Section id="wo-issues" title={t('production.issues')}>
        {issues.isPending ? (
          <PageSpinner />
        ) : issues.isError ? (
          <ErrorState error={issues.error} onRetry={() => void issues.refetch()} />
        ) : issues.data.length === 0 ? (
          <EmptyState title={t('production.noIssuesHere')} />
        ) : (
          <div data-testid="work-order-issues">
            <IssueList issues={issues.data} showWorkOrder={false} />
          </div>
        )}
      </Section>
      <Section id="wo-metrics" title={t('production.metrics.workOrderTitle')}>
        <WorkOrderMetrics workOrderId={id} />
      </Section>
    </>
  );
}
