import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { PlugZap } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchOpcuaConnection, opcuaKeys } from './opcua-api.ts';
import { OpcuaStatus } from './opcua-status.tsx';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';

/** The machine page's connection card: OPC-UA status, and the way to configure it for who may. */
export function OpcuaMachineSection({ machineId }: { machineId: number }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const connection = useQuery({
    queryKey: opcuaKeys.connection(machineId),
    queryFn: () => fetchOpcuaConnection(machineId),
  });
  const manage = can(me.data, 'telemetry:manage');
  if (!connection.data && !manage) return null;
  return (
    <section aria-labelledby="machine-connection" className={cardClass}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="machine-connection" className="font-semibold">
          {t('connectivity.machineSection')}
        </h2>
        {manage && (
          <Link
            to="/machines/$machineId/connection"
            params={{ machineId: String(machineId) }}
            className="inline-flex items-center gap-1 text-sm font-medium text-sky-700 underline dark:text-sky-400"
          >
            <PlugZap aria-hidden className="size-4" />
            {connection.data ? t('connectivity.configure') : t('connectivity.connect')}
          </Link>
        )}
      </div>
      {connection.data ? (
        <OpcuaStatus machineId={machineId} />
      ) : (
        <p className="text-sm text-slate-500">{t('connectivity.none')}</p>
      )}
    </section>
  );
}
