import { useQuery } from '@tanstack/react-query';
import { useParams, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { toLocalInput } from '../../lib/format.ts';
import { downtimeKeys, fetchDowntime } from '../downtime/downtime-api.ts';
import { AttachmentsNeedSavedRepair, RepairAttachments } from './repair-attachments.tsx';
import { newPartRow } from './repair-form-parts.tsx';
import { RepairForm, type RepairDraft } from './repair-form.tsx';
import { fetchRepair, repairKeys, type Repair } from './repairs-api.ts';

function draftOf(repair: Repair): RepairDraft {
  return {
    machineId: repair.machine_id,
    repairType: repair.repair_type,
    status: repair.status,
    start: toLocalInput(repair.start_datetime),
    end: toLocalInput(repair.end_datetime),
    description: repair.description,
    failureCodeId: repair.failure_code_id,
    actionsTaken: repair.actions_taken ?? '',
    technicianIds: repair.technicians.map((person) => person.id),
    parts: repair.parts.map((part) => newPartRow(part.part, String(part.quantity))),
    cost: repair.cost === null ? '' : String(repair.cost),
    downtimeId: repair.downtime_id,
  };
}

/** `/repairs/new?machine_id=&downtime_id=` and `/repairs/$repairId`. */
export function RepairFormPage() {
  const { t } = useTranslation();
  const params = useParams({ strict: false });
  const search = useSearch({ strict: false });
  const repairId = params.repairId ? Number(params.repairId) : null;
  const downtimeId = repairId === null ? (search.downtime_id ?? null) : null;
  const repair = useQuery({
    queryKey: repairKeys.one(repairId ?? 0),
    queryFn: () => fetchRepair(repairId ?? 0),
    enabled: repairId !== null,
  });
  const downtime = useQuery({
    queryKey: downtimeKeys.one(downtimeId ?? 0),
    queryFn: () => fetchDowntime(downtimeId ?? 0),
    enabled: downtimeId !== null,
  });

  const title = repairId === null ? t('repairs.newTitle') : t('repairs.editTitle', { id: repairId });
  if (repairId !== null && !Number.isInteger(repairId)) return <ErrorState error={t('common.notFound')} />;
  if ((repairId !== null && repair.isPending) || (downtimeId !== null && downtime.isPending)) {
    return <PageSpinner />;
  }
  if (repair.isError) return <ErrorState error={repair.error} onRetry={() => void repair.refetch()} />;

  let initial: RepairDraft;
  if (repair.data) initial = draftOf(repair.data);
  else {
    const stop = downtime.data;
    initial = {
      machineId: stop?.machine_id ?? search.machine_id ?? null,
      repairType: 'unscheduled',
      status: 'open',
      start: toLocalInput(stop?.start_datetime ?? new Date().toISOString()),
      end: toLocalInput(stop?.end_datetime),
      description: '',
      failureCodeId: null,
      actionsTaken: '',
      technicianIds: [],
      parts: [],
      cost: '',
      downtimeId: stop?.id ?? null,
    };
  }

  return (
    <>
      <PageHeader title={title} hint={repair.data ? repair.data.machine_code : t('repairs.newHint')} />
      <RepairForm key={repair.data?.updated_at ?? 'new'} initial={initial} repair={repair.data} />
      {repair.data ? <RepairAttachments repairId={repair.data.id} /> : <AttachmentsNeedSavedRepair />}
    </>
  );
}
