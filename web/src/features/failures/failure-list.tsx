import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { formatMoment, fromLocalInput } from '../../lib/format.ts';
import {
  failureKeys,
  fetchFailurePage,
  severities,
  severityTone,
  type FailureFilter,
  type Severity,
} from './failures-api.ts';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return <Badge tone={severityTone[severity]}>{t(`failures.severity.${severity}`)}</Badge>;
}

/**
 * Failure reports, latest first, with filters; scoped to one tool or machine when given (the tool page
 * shows its own reports with `<FailureList toolId={…} />`).
 */
export function FailureList({ toolId, machineId }: { toolId?: number; machineId?: number }) {
  const { t } = useTranslation();
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [status, setStatus] = useState<'open' | 'closed' | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter: FailureFilter = {
    ...(toolId ? { tool_id: toolId } : {}),
    ...(machineId ? { machine_id: machineId } : {}),
    ...(severity ? { severity } : {}),
    ...(status ? { status } : {}),
    ...(from && fromLocalInput(from) ? { from: fromLocalInput(from)! } : {}),
    ...(to && fromLocalInput(to) ? { to: fromLocalInput(to)! } : {}),
  };
  const reports = useInfiniteQuery({
    queryKey: failureKeys.list(filter),
    queryFn: ({ pageParam }) => fetchFailurePage(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const list = reports.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="space-y-3">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Select
          label={t('failures.severityLabel')}
          value={severity}
          onChange={(e) => setSeverity(e.target.value as Severity | '')}
        >
          <option value="">{t('failures.any')}</option>
          {severities.map((s) => (
            <option key={s} value={s}>
              {t(`failures.severity.${s}`)}
            </option>
          ))}
        </Select>
        <Select
          label={t('failures.statusLabel')}
          value={status}
          onChange={(e) => setStatus(e.target.value as 'open' | 'closed' | '')}
        >
          <option value="">{t('failures.any')}</option>
          <option value="open">{t('failures.status.open')}</option>
          <option value="closed">{t('failures.status.closed')}</option>
        </Select>
        <Input
          label={t('failures.from')}
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <Input
          label={t('failures.to')}
          type="datetime-local"
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
      </div>
      {reports.isPending ? (
        <PageSpinner />
      ) : reports.isError ? (
        <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title={t('failures.empty')} />
      ) : (
        <>
          <Table caption={t('failures.title')}>
            <thead>
              <tr>
                <Th>{t('failures.occurredAt')}</Th>
                <Th>{t('failures.severityLabel')}</Th>
                <Th>{t('failures.code')}</Th>
                <Th>{t('failures.subject')}</Th>
                <Th>{t('failures.description')}</Th>
                <Th>{t('failures.statusLabel')}</Th>
              </tr>
            </thead>
            <tbody>
              {list.map((report) => (
                <Tr key={report.id} data-testid="failure-row">
                  <Td>
                    <Link
                      to="/failures/$failureId"
                      params={{ failureId: String(report.id) }}
                      className="text-sky-700 underline dark:text-sky-400"
                    >
                      {formatMoment(report.occurred_at)}
                    </Link>
                  </Td>
                  <Td>
                    <SeverityBadge severity={report.severity} />
                  </Td>
                  <Td>
                    {report.failure_code} {report.failure_name}
                  </Td>
                  <Td>{[report.tool_asset_number, report.machine_code].filter(Boolean).join(' · ')}</Td>
                  <Td className="max-w-xs truncate">{report.description}</Td>
                  <Td>
                    <Badge tone={report.status === 'open' ? 'warn' : 'good'}>
                      {t(`failures.status.${report.status}`)}
                    </Badge>
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          {reports.hasNextPage && (
            <Button
              tone="secondary"
              busy={reports.isFetchingNextPage}
              onClick={() => void reports.fetchNextPage()}
            >
              {t('failures.more')}
            </Button>
          )}
        </>
      )}
    </div>
  );
}
