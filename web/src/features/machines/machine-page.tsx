import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatMoment } from '../../lib/format.ts';
import { KpiTiles } from '../kpi/kpi-tiles.tsx';
import { DowntimeSettingsCard } from '../machine-settings/downtime-settings-card.tsx';
import { fetchLine, fetchMachine, plantKeys, type PlantMachine } from '../plant/plant-api.ts';
import { StatusBadge } from '../plant/status-dot.tsx';
import { MachineActions } from './machine-actions.tsx';
import { MachineHistory } from './machine-history.tsx';
import { MachineQrLabel } from './machine-qr-label.tsx';
import { MachineSignalsSection } from './machine-signals-section.tsx';
import { OpcuaMachineSection } from '../connectivity/opcua-machine-section.tsx';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';

const detailFields = [
  'asset_number',
  'serial_number',
  'manufacturer',
  'model',
  'machine_type',
  'criticality',
  'commissioned_on',
  'notes',
] as const satisfies (keyof PlantMachine)[];

export function MachinePage() {
  const { t } = useTranslation();
  const params = useParams({ strict: false });
  const machineId = Number(params.machineId);
  const machine = useQuery({
    queryKey: plantKeys.machine(machineId),
    queryFn: () => fetchMachine(machineId),
    enabled: Number.isInteger(machineId) && machineId > 0,
  });
  const lineId = machine.data?.line_id ?? 0;
  const line = useQuery({
    queryKey: plantKeys.line(lineId),
    queryFn: () => fetchLine(lineId),
    enabled: lineId > 0,
  });

  if (!Number.isInteger(machineId) || machineId <= 0) return <ErrorState error={t('common.notFound')} />;
  if (machine.isPending) return <PageSpinner />;
  if (machine.isError) return <ErrorState error={machine.error} onRetry={() => void machine.refetch()} />;
  const data = machine.data;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500">
            <Link to="/plant" className="underline">
              {t('nav.plant')}
            </Link>
            {line.data && ` / ${line.data.code} ${line.data.name}`}
          </p>
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
            <span className="font-mono">{data.code}</span>
            <span>{data.name}</span>
            <StatusBadge kind="machine" status={data.status} />
            {!data.is_active && <Badge tone="neutral">{t('plant.inactive')}</Badge>}
          </h1>
        </div>
        <MachineActions machineId={data.id} />
      </div>

      <section aria-labelledby="machine-kpis">
        <h2 id="machine-kpis" className="mb-2 font-semibold">
          {t('machine.kpis')}
        </h2>
        <KpiTiles scope={{ machine_id: data.id }} />
      </section>

      <div className="grid gap-4 lg:grid-cols-3">
        <section aria-labelledby="machine-details" className={`${cardClass} lg:col-span-2`}>
          <h2 id="machine-details" className="mb-3 font-semibold">
            {t('machine.details')}
          </h2>
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            {detailFields.map((field) => (
              <div key={field} className={field === 'notes' ? 'sm:col-span-2' : undefined}>
                <dt className="text-slate-500">{t(`plant.fields.${field}`)}</dt>
                <dd className="whitespace-pre-wrap">{data[field] || '—'}</dd>
              </div>
            ))}
            <div>
              <dt className="text-slate-500">{t('plant.updatedAt')}</dt>
              <dd>{formatMoment(data.updated_at)}</dd>
            </div>
          </dl>
        </section>
        <MachineQrLabel machine={data} line={line.data} />
      </div>

      <MachineSignalsSection machineId={data.id} />

      <DowntimeSettingsCard machineId={data.id} />

      <OpcuaMachineSection machineId={data.id} />

      <section aria-labelledby="machine-history" className={cardClass}>
        <h2 id="machine-history" className="mb-3 font-semibold">
          {t('machine.history')}
        </h2>
        <MachineHistory machineId={data.id} />
      </section>
    </div>
  );
}
