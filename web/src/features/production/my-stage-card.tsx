import { clsx } from 'clsx';
import { CircleCheckBig, OctagonAlert, Play } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../components/ui/spinner.tsx';
import { formatNumber } from '../../lib/format.ts';
import type { Stage } from './production-api.ts';
import { formatWindow } from './production-format.ts';
import { IssueReportDialog } from './issue-report-dialog.tsx';
import { OpenIssuesBadge, ProgressBadge } from './status-badges.tsx';
import type { useStageActions } from './use-stage-actions.ts';

const bigAction =
  'flex min-h-20 flex-1 items-center justify-center gap-3 rounded-2xl px-5 text-2xl font-bold shadow focus-visible:outline-4 focus-visible:outline-offset-2 disabled:opacity-60';

/** One assigned stage on the worker's tablet: what to make, when, and big Start / Done / Report issue. */
export function MyStageCard({
  stage,
  actions,
}: {
  stage: Stage;
  actions: ReturnType<typeof useStageActions>;
}) {
  const { t } = useTranslation();
  const [reporting, setReporting] = useState(false);
  const { start, finish } = actions;
  const starting = start.isPending && start.variables?.id === stage.id;
  const finishing = finish.isPending && finish.variables?.id === stage.id;

  return (
    <li
      data-testid={`my-stage-${stage.id}`}
      data-status={stage.status}
      className={clsx(
        'space-y-4 rounded-2xl border-2 bg-white p-5 dark:bg-slate-900',
        stage.status === 'in_progress'
          ? 'border-amber-500 dark:border-amber-400'
          : 'border-slate-300 dark:border-slate-600',
      )}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-3xl font-bold">{stage.stage_name}</p>
          <p className="mt-1 text-xl">
            <span className="font-mono font-semibold">{stage.product_code}</span> · {t('production.lot')}{' '}
            {stage.lot_no} · {t('production.qtyShort', { qty: formatNumber(stage.qty) })}
          </p>
          <p className="mt-1 text-lg text-slate-600 dark:text-slate-300">
            {formatWindow(stage.planned_start, stage.planned_end)}
            {stage.machine_code && <span className="font-mono"> · {stage.machine_code}</span>}
          </p>
        </div>
        <div className="flex flex-col items-end gap-2 text-base">
          <ProgressBadge status={stage.status} />
          <OpenIssuesBadge count={stage.open_issues} />
        </div>
      </div>
      <div className="flex flex-wrap gap-3">
        {stage.status === 'planned' && (
          <button
            type="button"
            disabled={starting}
            onClick={() => start.mutate(stage)}
            className={clsx(
              bigAction,
              'bg-sky-700 text-white hover:bg-sky-800 focus-visible:outline-sky-400 dark:bg-sky-600 dark:hover:bg-sky-500',
            )}
          >
            {starting ? <Spinner size="lg" /> : <Play aria-hidden className="size-8" />}
            {t('production.start')}
          </button>
        )}
        {stage.status === 'in_progress' && (
          <button
            type="button"
            disabled={finishing}
            onClick={() => finish.mutate(stage)}
            className={clsx(
              bigAction,
              'bg-emerald-700 text-white hover:bg-emerald-800 focus-visible:outline-emerald-400 dark:bg-emerald-600 dark:hover:bg-emerald-500',
            )}
          >
            {finishing ? <Spinner size="lg" /> : <CircleCheckBig aria-hidden className="size-8" />}
            {t('production.done')}
          </button>
        )}
        <button
          type="button"
          onClick={() => setReporting(true)}
          className={clsx(
            bigAction,
            'border-2 border-red-600 bg-white text-red-700 hover:bg-red-50 focus-visible:outline-red-400 dark:border-red-400 dark:bg-slate-900 dark:text-red-300 dark:hover:bg-red-950',
          )}
        >
          <OctagonAlert aria-hidden className="size-8" />
          {t('production.reportIssue')}
        </button>
      </div>
      {reporting && <IssueReportDialog stage={stage} onClose={() => setReporting(false)} />}
    </li>
  );
}
