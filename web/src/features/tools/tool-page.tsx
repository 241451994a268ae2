import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatMoment, formatNumber } from '../../lib/format.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { LifeBar } from './life-bar.tsx';
import { sectionClass } from './tool-section-kit.ts';
import { toolSections } from './tool-sections.tsx';
import { Fact } from './tool-shots-section.tsx';
import { ToolFormDialog } from './tool-form-dialog.tsx';
import { fetchTool, retireTool, toolKeys, toolStatusTone } from './tools-api.ts';

/** One tool: its facts, then its sections (photos, shots, mountings, and what other areas add). */
export function ToolPage() {
  const { t } = useTranslation();
  const { toolId } = useParams({ strict: false }) as { toolId: string };
  const id = Number(toolId);
  const user = useCurrentUser().data;
  const [editing, setEditing] = useState(false);
  const [retiring, setRetiring] = useState(false);
  const tool = useQuery({ queryKey: toolKeys.one(id), queryFn: () => fetchTool(id) });
  const retire = useSaveMutation({
    mutationFn: () => retireTool(id),
    invalidate: [toolKeys.all],
    successText: (saved) => t('tools.retired', { asset: saved.asset_number }),
    onSaved: () => setRetiring(false),
  });
  if (tool.isPending) return <PageSpinner />;
  if (tool.isError) return <ErrorState error={tool.error} onRetry={() => void tool.refetch()} />;
  const data = tool.data;
  const manage = can(user, 'tool:manage');
  return (
    <>
      <PageHeader
        title={`${data.asset_number} · ${data.name}`}
        hint={t(`tools.kinds.${data.kind}`)}
        actions={
          manage && (
            <>
              <Button tone="secondary" onClick={() => setEditing(true)}>
                {t('tools.edit')}
              </Button>
              {data.status !== 'retired' && (
                <Button tone="secondary" onClick={() => setRetiring(true)}>
                  {t('tools.retire')}
                </Button>
              )}
            </>
          )
        }
      />
      <div className="space-y-6">
        <section className={sectionClass} aria-label={t('tools.facts')}>
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{t('tools.status')}</dt>
              <dd>
                <Badge tone={toolStatusTone[data.status]}>{t(`tools.statuses.${data.status}`)}</Badge>
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{t('tools.mountedOn')}</dt>
              <dd>
                {data.mounted ? (
                  <Link
                    to="/machines/$machineId"
                    params={{ machineId: String(data.mounted.machine_id) }}
                    className="text-sky-700 underline dark:text-sky-400"
                  >
                    {data.mounted.machine_code} · {data.mounted.position}
                  </Link>
                ) : (
                  (data.storage_location ?? '—')
                )}
              </dd>
            </div>
            <Fact label={t('tools.shots.total')} value={formatNumber(data.total_shots)} />
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{t('tools.lifeUsed')}</dt>
              <dd>
                <LifeBar tool={data} />
              </dd>
            </div>
            <Fact label={t('tools.manufacturer')} value={data.manufacturer ?? '—'} />
            <Fact label={t('tools.cavityCount')} value={String(data.cavity_count)} />
            <Fact
              label={t('tools.lifeLimit')}
              value={data.life_limit_shots ? formatNumber(data.life_limit_shots) : '—'}
            />
            <Fact
              label={t('tools.idealCycle')}
              value={
                data.ideal_cycle_seconds === null
                  ? t('tools.idealCycleNone')
                  : t('tools.idealCycleValue', { seconds: formatNumber(data.ideal_cycle_seconds) })
              }
            />
            <Fact
              label={t('tools.lastReading')}
              value={data.last_reading_at ? formatMoment(data.last_reading_at) : '—'}
            />
          </dl>
          {data.notes && <p className="mt-3 whitespace-pre-wrap text-sm">{data.notes}</p>}
        </section>
        {toolSections.map(({ key, Component }) => (
          <Component key={key} tool={data} />
        ))}
      </div>
      {editing && <ToolFormDialog tool={data} onClose={() => setEditing(false)} />}
      {retiring && (
        <ConfirmDialog
          open
          title={t('tools.retire')}
          message={t('tools.retireConfirm', { asset: data.asset_number })}
          confirmLabel={t('tools.retire')}
          busy={retire.isPending}
          onConfirm={() => retire.mutate()}
          onCancel={() => setRetiring(false)}
        />
      )}
    </>
  );
}
