import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { formatMoment } from '../../lib/format.ts';
import { fetchOpcuaConnection, opcuaKeys, type OpcuaConnection } from './opcua-api.ts';

const TONES: Record<OpcuaConnection['status'], 'good' | 'warn' | 'bad' | 'neutral' | 'info'> = {
  connected: 'good',
  connecting: 'info',
  reconnecting: 'warn',
  stalled: 'warn',
  error: 'bad',
  disabled: 'neutral',
};

/** What the ingest process last saw of the machine's OPC-UA connection, refreshed every few seconds. */
export function OpcuaStatus({ machineId }: { machineId: number }) {
  const { t } = useTranslation();
  const connection = useQuery({
    queryKey: opcuaKeys.connection(machineId),
    queryFn: () => fetchOpcuaConnection(machineId),
    refetchInterval: 3_000,
  });
  const data = connection.data;
  if (!data) return null;
  return (
    <div className="space-y-2 text-sm" data-testid="opcua-status">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{t('connectivity.status.title')}</span>
        <Badge tone={TONES[data.status]}>{t(`connectivity.status.${data.status}`)}</Badge>
        <span className="font-mono text-xs text-slate-500">{data.endpoint_url}</span>
      </div>
      {data.last_error && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {data.last_error}
        </p>
      )}
      <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-3">
        <div>
          <dt className="text-slate-500">{t('connectivity.status.since')}</dt>
          <dd>{formatMoment(data.status_changed_at)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">{t('connectivity.status.lastConnected')}</dt>
          <dd>{formatMoment(data.last_connected_at)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">{t('connectivity.status.lastData')}</dt>
          <dd data-testid="opcua-last-data">{formatMoment(data.last_data_at)}</dd>
        </div>
      </dl>
    </div>
  );
}
