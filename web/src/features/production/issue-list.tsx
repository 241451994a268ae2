import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { formatMoment } from '../../lib/format.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { useIssueTypes, type ProductionIssue } from './issues-api.ts';
import { IssueUpdateDialog, type IssueMove } from './issue-update-dialog.tsx';
import { IssueStatusBadge } from './status-badges.tsx';

/** Issues raised on stages, newest first, with Acknowledge and Resolve for those who manage them. */
export function IssueList({ issues, showWorkOrder }: { issues: ProductionIssue[]; showWorkOrder: boolean }) {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const manage = can(user, 'issue:manage');
  const { label } = useIssueTypes();
  const [acting, setActing] = useState<{ issue: ProductionIssue; move: IssueMove } | null>(null);

  return (
    <>
      <ul className="space-y-2">
        {issues.map((issue) => (
          <li
            key={issue.id}
            data-testid={`issue-${issue.id}`}
            data-status={issue.status}
            className="flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="min-w-0 flex-1 space-y-1">
              <p className="flex flex-wrap items-center gap-2">
                <span className="font-semibold">{label(issue.type)}</span>
                <IssueStatusBadge status={issue.status} />
                <span className="text-sm text-slate-600 dark:text-slate-400">
                  {t('production.onStage', { stage: issue.stage_name })}
                </span>
              </p>
              <p className="text-sm whitespace-pre-line">{issue.description}</p>
              {showWorkOrder && (
                <Link
                  to="/production/work-orders/$woId"
                  params={{ woId: String(issue.work_order_id) }}
                  className="text-sm text-sky-700 underline dark:text-sky-400"
                >
                  <span className="font-mono">{issue.product_code}</span> · {t('production.lot')}{' '}
                  {issue.lot_no}
                </Link>
              )}
              <p className="text-xs text-slate-500">
                {t('production.raisedBy', {
                  name: issue.created_by_name ?? '—',
                  time: formatMoment(issue.created_at),
                })}
                {issue.acknowledged_at &&
                  ` · ${t('production.acknowledgedAt', { time: formatMoment(issue.acknowledged_at) })}`}
                {issue.resolved_at &&
                  ` · ${t('production.resolvedAt', { time: formatMoment(issue.resolved_at) })}`}
              </p>
              {issue.resolution_note && (
                <p className="text-sm text-slate-700 dark:text-slate-300">
                  {t('production.note')}: {issue.resolution_note}
                </p>
              )}
            </div>
            {manage && issue.status !== 'resolved' && (
              <div className="flex gap-2">
                {issue.status === 'open' && (
                  <Button
                    tone="secondary"
                    size="sm"
                    onClick={() => setActing({ issue, move: 'acknowledged' })}
                  >
                    {t('production.acknowledge')}
                  </Button>
                )}
                <Button size="sm" onClick={() => setActing({ issue, move: 'resolved' })}>
                  {t('production.resolve')}
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {acting && (
        <IssueUpdateDialog issue={acting.issue} move={acting.move} onClose={() => setActing(null)} />
      )}
    </>
  );
}
