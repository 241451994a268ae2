import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../components/ui/spinner.tsx';
import { formatNumber } from '../../lib/format.ts';
import { fetchStages, productionKeys, type WorkOrder } from './production-api.ts';
import { formatWindow } from './production-format.ts';
import { StageTimeline } from './stage-timeline.tsx';
import { OpenIssuesBadge, ProgressBadge } from './status-badges.tsx';

/** One work order on the board: what, when, how far, open issues, and its stages as a timeline. */
export function WorkOrderCard({ workOrder }: { workOrder: WorkOrder }) {
  const { t } = useTranslation();
  const stages = useQuery({
    queryKey: productionKeys.stages(workOrder.id),
    queryFn: () => fetchStages(workOrder.id),
  });
  return (
    <li
      data-testid={`work-order-${workOrder.id}`}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <Link
            to="/production/work-orders/$woId"
            params={{ woId: String(workOrder.id) }}
            className="text-base font-semibold text-sky-700 underline dark:text-sky-400"
          >
            <span className="font-mono">{workOrder.product_code}</span> · {t('production.lot')}{' '}
            {workOrder.lot_no}
          </Link>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {t('production.qtyShort', { qty: formatNumber(workOrder.qty) })}
            {workOrder.line_code && ` · ${t('production.line')} ${workOrder.line_code}`} ·{' '}
            {formatWindow(workOrder.planned_start, workOrder.planned_end)}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-600 dark:text-slate-400">
            {t('production.stagesDone', { done: workOrder.stages_done, total: workOrder.stage_count })}
          </span>
          <ProgressBadge status={workOrder.status} />
          <OpenIssuesBadge count={workOrder.open_issues} testId={`work-order-issues-${workOrder.id}`} />
        </div>
      </div>
      {stages.isPending ? (
        <Spinner size="sm" />
      ) : stages.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {stages.error.message}
        </p>
      ) : (
        <StageTimeline
          stages={stages.data}
          window={{ start: workOrder.planned_start, end: workOrder.planned_end }}
          compact
        />
      )}
    </li>
  );
}
