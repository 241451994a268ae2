import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { formatMoment } from '../../lib/format.ts';
import { sectionClass, type ToolSectionProps } from '../tools/tool-section-kit.ts';
import { fetchLogs, maintenanceKeys, type MaintenanceLog } from './maintenance-api.ts';

function LogRow({ log }: { log: MaintenanceLog }) {
  const { t } = useTranslation();
  return (
    <li className="py-3" data-testid={`maintenance-log-${log.id}`}>
      <p className="flex flex-wrap items-center gap-2 font-medium">
        <Badge tone={log.kind === 'pm' ? 'info' : 'neutral'}>{t(`toolMaintenance.kinds.${log.kind}`)}</Badge>
        {log.pm_plan_name && <span>{log.pm_plan_name}</span>}
        <span className="text-sm font-normal text-slate-600 dark:text-slate-400">
          {formatMoment(log.started_at)} ·{' '}
          {t('toolMaintenance.logs.minutes', { count: log.duration_minutes })} · {log.performed_by_name}
        </span>
        {log.not_ok_count > 0 && (
          <Badge tone="bad">{t('toolMaintenance.logs.notOkCount', { count: log.not_ok_count })}</Badge>
        )}
        {log.follow_up_required && <Badge tone="warn">{t('toolMaintenance.logs.followUp')}</Badge>}
      </p>
      {log.findings && <p className="mt-1 text-sm">{log.findings}</p>}
      {log.checks.length > 0 && (
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer text-slate-600 dark:text-slate-400">
            {log.checklist_template_name ?? t('toolMaintenance.logs.checklist')}
          </summary>
          <ol className="mt-1 list-decimal pl-6">
            {log.checks.map((check) => (
              <li key={check.position}>
                {check.item}: <strong>{t(`toolMaintenance.results.${check.result}`)}</strong>
                {check.note ? ` — ${check.note}` : ''}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}

/** The tool page's maintenance logs, newest first, a page at a time. */
export function MaintenanceLogsSection({ tool }: ToolSectionProps) {
  const { t } = useTranslation();
  const logs = useInfiniteQuery({
    queryKey: maintenanceKeys.logs({ tool_id: tool.id }),
    queryFn: ({ pageParam }) => fetchLogs({ tool_id: tool.id }, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const items = logs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className={sectionClass} aria-labelledby="maintenance-logs-title">
      <h2 id="maintenance-logs-title" className="mb-2 text-lg font-semibold">
        {t('toolMaintenance.logs.title')}
      </h2>
      {logs.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {!logs.isPending && items.length === 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('toolMaintenance.logs.none')}</p>
      )}
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {items.map((log) => (
          <LogRow key={log.id} log={log} />
        ))}
      </ul>
      {logs.hasNextPage && (
        <Button tone="secondary" onClick={() => void logs.fetchNextPage()} disabled={logs.isFetchingNextPage}>
          {t('toolMaintenance.logs.more')}
        </Button>
      )}
    </section>
  );
}
