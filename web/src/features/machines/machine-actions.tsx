import { Link } from '@tanstack/react-router';
import { CirclePlay, OctagonAlert, Wrench } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { secondsSince, useNow } from '../../lib/use-now.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { useMachineStop } from '../downtime/use-machine-stop.ts';

/** "Record stop" / "Running again" (downtime:record) and "New repair" (repair:write). */
export function MachineActions({ machineId }: { machineId: number }) {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const now = useNow();
  const { openStop, start, end } = useMachineStop(machineId);
  const stop = openStop.data ?? null;
  const mayRecord = can(user, 'downtime:record');

  return (
    <div className="space-y-3">
      {stop && (
        <div
          role="status"
          className="flex flex-wrap items-center gap-2 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
        >
          <OctagonAlert aria-hidden className="size-5" />
          <span className="font-semibold">
            {t('machine.downSince', { time: formatMoment(stop.start_datetime) })}
          </span>
          <span className="font-mono tabular-nums">
            {formatDuration(secondsSince(stop.start_datetime, now))}
          </span>
          {stop.reason_name ? (
            <Badge>{stop.reason_name}</Badge>
          ) : (
            <Badge tone="warn">{t('downtime.unexplained')}</Badge>
          )}
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        {mayRecord &&
          (stop ? (
            <Button busy={end.isPending} onClick={() => end.mutate(stop.id)}>
              <CirclePlay aria-hidden className="size-4" />
              {t('machine.runningAgain')}
            </Button>
          ) : (
            <Button
              tone="danger"
              busy={start.isPending}
              disabled={openStop.isPending}
              onClick={() => start.mutate()}
            >
              <OctagonAlert aria-hidden className="size-4" />
              {t('machine.recordStop')}
            </Button>
          ))}
        {can(user, 'repair:write') && (
          <Link
            to="/repairs/new"
            search={{ machine_id: machineId, downtime_id: stop?.id }}
            className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
          >
            <Wrench aria-hidden className="size-4" />
            {t('machine.newRepair')}
          </Link>
        )}
      </div>
    </div>
  );
}
