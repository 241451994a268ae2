import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatMoment } from '../../lib/format.ts';
import { SeverityBadge } from './failure-list.tsx';
import { FailurePhotoTile } from './failure-photo.tsx';
import { failureKeys, fetchFailure, fetchFailurePhotos } from './failures-api.ts';

export function FailureDetailPage() {
  const { t } = useTranslation();
  const id = Number(useParams({ strict: false }).failureId);
  const report = useQuery({ queryKey: failureKeys.one(id), queryFn: () => fetchFailure(id) });
  const photos = useQuery({ queryKey: failureKeys.photos(id), queryFn: () => fetchFailurePhotos(id) });
  if (report.isPending) return <PageSpinner />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;
  const row = (label: string, value: React.ReactNode) => (
    <div className="grid grid-cols-3 gap-2 py-1">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="col-span-2">{value}</dd>
    </div>
  );
  return (
    <>
      <PageHeader
        title={`${r.failure_code} ${r.failure_name}`}
        hint={t('failures.detailHint', { id: r.id })}
      />
      <dl className="max-w-2xl divide-y divide-slate-200 dark:divide-slate-700" data-testid="failure-detail">
        {row(t('failures.severityLabel'), <SeverityBadge severity={r.severity} />)}
        {row(
          t('failures.statusLabel'),
          <Badge tone={r.status === 'open' ? 'warn' : 'good'}>{t(`failures.status.${r.status}`)}</Badge>,
        )}
        {r.tool_id && row(t('failures.tool'), `${r.tool_asset_number} ${r.tool_name ?? ''}`)}
        {r.machine_id && row(t('failures.machine'), `${r.machine_code} ${r.machine_name ?? ''}`)}
        {row(t('failures.occurredAt'), formatMoment(r.occurred_at))}
        {row(t('failures.description'), <p className="whitespace-pre-wrap">{r.description}</p>)}
        {row(t('failures.containment'), r.containment_action ?? '—')}
        {row(t('failures.reportedBy'), `${r.reported_by_name ?? '—'}, ${formatMoment(r.reported_at)}`)}
        {r.action_item_id &&
          row(
            t('failures.action'),
            <a
              href={`/app/actions/${r.action_item_id}`}
              className="text-sky-700 underline dark:text-sky-400"
              data-testid="failure-action-link"
            >
              {t('failures.actionLink', { id: r.action_item_id, status: r.action_status ?? '' })}
              {r.action_due_at ? ` · ${t('failures.due')} ${formatMoment(r.action_due_at)}` : ''}
            </a>,
          )}
      </dl>
      <h2 className="mt-6 mb-2 text-lg font-medium">{t('failures.photos')}</h2>
      {photos.data && photos.data.length > 0 ? (
        <ul className="flex flex-wrap gap-3">
          {photos.data.map((photo) => (
            <FailurePhotoTile key={photo.id} photo={photo} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">{t('failures.noPhotos')}</p>
      )}
    </>
  );
}
