import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Pencil, Trash2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { formatMoment, formatNumber } from '../../lib/format.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { deleteWorkOrder, hasStarted, productionKeys, type WorkOrder } from './production-api.ts';
import { formatWindow } from './production-format.ts';
import { OpenIssuesBadge, ProgressBadge } from './status-badges.tsx';
import { WorkOrderFormDialog } from './work-order-form-dialog.tsx';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd data-testid={testId} className="font-medium">
        {children}
      </dd>
    </div>
  );
}

/** The work order's title, facts and, for a planner, Edit and Delete (only before anything started). */
export function WorkOrderSummary({ workOrder }: { workOrder: WorkOrder }) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const planner = can(useCurrentUser().data, 'workorder:plan');
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const started = hasStarted(workOrder);
  const remove = useMutation({
    mutationFn: () => deleteWorkOrder(workOrder.id),
    onSuccess: () => {
      setDeleting(false);
      queryClient.removeQueries({ queryKey: productionKeys.workOrder(workOrder.id) });
      void queryClient.invalidateQueries({ queryKey: productionKeys.all });
      toast.success(t('production.workOrderDeleted', { lot: workOrder.lot_no }));
      void navigate({ to: '/production' });
    },
    onError: (error) => {
      setDeleting(false);
      void queryClient.invalidateQueries({ queryKey: productionKeys.all });
      toast.error(problemText(error, t('common.saveFailed')));
    },
  });

  return (
    <section className="mb-6 space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">
            <span className="font-mono">{workOrder.product_code}</span> · {t('production.lot')}{' '}
            {workOrder.lot_no}
          </h1>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <ProgressBadge status={workOrder.status} />
            <OpenIssuesBadge count={workOrder.open_issues} testId="work-order-open-issues" />
          </div>
        </div>
        {planner && (
          <div className="flex gap-2">
            <Button tone="secondary" onClick={() => setEditing(true)}>
              <Pencil aria-hidden className="size-4" />
              {t('common.edit')}
            </Button>
            <Button
              tone="danger"
              disabled={started}
              title={started ? t('production.cannotDeleteStarted') : undefined}
              onClick={() => setDeleting(true)}
            >
              <Trash2 aria-hidden className="size-4" />
              {t('production.delete')}
            </Button>
          </div>
        )}
      </div>
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label={t('production.qty')}>{formatNumber(workOrder.qty)}</Fact>
        <Fact label={t('production.line')}>{workOrder.line_code ?? '—'}</Fact>
        <Fact label={t('production.plannedWindow')}>
          {formatWindow(workOrder.planned_start, workOrder.planned_end)}
        </Fact>
        <Fact label={t('production.actualWindow')}>
          {workOrder.actual_start ? formatWindow(workOrder.actual_start, workOrder.actual_end) : '—'}
        </Fact>
        <Fact label={t('production.progress')} testId="work-order-progress">
          {t('production.stagesDone', { done: workOrder.stages_done, total: workOrder.stage_count })}
        </Fact>
        <Fact label={t('production.updatedAt')}>{formatMoment(workOrder.updated_at)}</Fact>
        {workOrder.notes && (
          <div className="sm:col-span-2">
            <dt className="text-xs text-slate-500">{t('production.notes')}</dt>
            <dd className="text-sm whitespace-pre-line">{workOrder.notes}</dd>
          </div>
        )}
      </dl>
      {editing && <WorkOrderFormDialog workOrder={workOrder} onClose={() => setEditing(false)} />}
      <ConfirmDialog
        open={deleting}
        title={t('production.deleteTitle', { lot: workOrder.lot_no })}
        message={t('production.deleteMessage')}
        confirmLabel={t('production.delete')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setDeleting(false)}
      />
    </section>
  );
}
