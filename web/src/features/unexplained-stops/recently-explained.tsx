import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { ListTable, Td, Tr } from '../../components/ui/table.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { catalogKeys, fetchReasons, reasonLabel, type DowntimeReason } from '../catalog/catalog-api.ts';
import { downtimeKeys, fetchDowntimes, updateDowntime, type Downtime } from '../downtime/downtime-api.ts';
import { kpiKeys } from '../kpi/kpi-api.ts';
import { ReasonSelect } from './reason-select.tsx';
import { unexplainedKeys } from './unexplained-api.ts';

const DAY_MS = 86_400_000;

function ChangeReasonDialog({
  stop,
  reasons,
  onClose,
}: {
  stop: Downtime;
  reasons: DowntimeReason[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reasonId, setReasonId] = useState<number | null>(stop.reason_id);
  const save = useSaveMutation({
    mutationFn: () => updateDowntime(stop.id, { reason_id: reasonId }),
    invalidate: [unexplainedKeys.all, downtimeKeys.all, kpiKeys.all],
    successText: () => t('unexplained.reasonChanged', { machine: stop.machine_code }),
    onSaved: onClose,
  });
  return (
    <FormDialog
      title={t('unexplained.changeReasonTitle', { machine: stop.machine_code })}
      onClose={onClose}
      save={save}
    >
      <ReasonSelect
        reasons={reasons}
        value={reasonId}
        allowNone
        onChange={setReasonId}
        label={t('unexplained.reason')}
        error={fieldProblems(save.error).reason_id}
        testId="change-reason"
      />
    </FormDialog>
  );
}

/**
 * Automatic stops of the last day that have a reason: a wrong answer is corrected here (or sent back
 * to the queue by choosing no reason).
 */
export function RecentlyExplained({ siteId, mayRecord }: { siteId: number; mayRecord: boolean }) {
  const { t } = useTranslation();
  const reasonList = useQuery({ queryKey: catalogKeys.reasons(false), queryFn: () => fetchReasons() });
  const reasons = reasonList.data ?? [];
  const [from] = useState(() => new Date(Date.now() - DAY_MS).toISOString());
  const [editing, setEditing] = useState<Downtime | null>(null);
  const filter = { site_id: siteId, from, limit: 200 };
  const recent = useQuery({
    queryKey: downtimeKeys.list(filter),
    queryFn: () => fetchDowntimes(filter),
    select: (page) => page.items.filter((stop) => stop.source === 'automatic' && stop.reason_id !== null),
  });
  if (!recent.data || recent.data.length === 0) return null;
  const byId = new Map(reasons.map((reason) => [reason.id, reason]));
  return (
    <section aria-labelledby="recently-explained" className="mt-8 space-y-3">
      <h2 id="recently-explained" className="text-lg font-semibold">
        {t('unexplained.recent')}
      </h2>
      <ListTable
        caption={t('unexplained.recent')}
        headers={[
          t('unexplained.machine'),
          t('unexplained.start'),
          t('unexplained.duration'),
          t('unexplained.reason'),
        ]}
      >
        {recent.data.map((stop) => {
          const reason = stop.reason_id === null ? undefined : byId.get(stop.reason_id);
          return (
            <Tr key={stop.id} data-testid={`explained-${stop.id}`}>
              <Td className="font-mono font-medium">{stop.machine_code}</Td>
              <Td>{formatMoment(stop.start_datetime)}</Td>
              <Td className="tabular-nums">{formatDuration(stop.duration_seconds)}</Td>
              <Td>{reason ? reasonLabel(reason) : (stop.reason_name ?? '—')}</Td>
              <Td className="text-right">
                {mayRecord && reasonList.isSuccess && (
                  <Button
                    size="sm"
                    tone="secondary"
                    data-testid={`change-reason-${stop.id}`}
                    onClick={() => setEditing(stop)}
                  >
                    {t('unexplained.changeReason')}
                  </Button>
                )}
              </Td>
            </Tr>
          );
        })}
      </ListTable>
      {editing && <ChangeReasonDialog stop={editing} reasons={reasons} onClose={() => setEditing(null)} />}
    </section>
  );
}
