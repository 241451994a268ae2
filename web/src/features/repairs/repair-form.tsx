import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Input, Select, TextArea } from '../../components/ui/field.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import { fromLocalInput } from '../../lib/format.ts';
import { catalogKeys, fetchFailureCodes } from '../catalog/catalog-api.ts';
import { downtimeKeys } from '../downtime/downtime-api.ts';
import { historyKeys } from '../machines/history-api.ts';
import { fetchMachines, plantKeys } from '../plant/plant-api.ts';
import { DowntimeSelect, PartsEditor, TechnicianPicker, type PartRow } from './repair-form-parts.tsx';
import {
  createRepair,
  repairKeys,
  repairStatuses,
  repairTypes,
  updateRepair,
  type Repair,
  type RepairStatus,
  type RepairType,
} from './repairs-api.ts';

export interface RepairDraft {
  machineId: number | null;
  repairType: RepairType;
  status: RepairStatus;
  start: string;
  end: string;
  description: string;
  failureCodeId: number | null;
  actionsTaken: string;
  technicianIds: number[];
  parts: PartRow[];
  cost: string;
  downtimeId: number | null;
}

export function RepairForm({ initial, repair }: { initial: RepairDraft; repair?: Repair }) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const set = <K extends keyof RepairDraft>(field: K, value: RepairDraft[K]) =>
    setDraft((current) => ({ ...current, [field]: value }));
  const machines = useQuery({ queryKey: plantKeys.machines({}), queryFn: () => fetchMachines() });
  const codes = useQuery({ queryKey: catalogKeys.failureCodes(false), queryFn: () => fetchFailureCodes() });

  const save = useMutation({
    mutationFn: () => {
      const body = {
        repair_type: draft.repairType,
        status: draft.status,
        start_datetime: fromLocalInput(draft.start) ?? undefined,
        end_datetime: fromLocalInput(draft.end),
        description: draft.description.trim(),
        failure_code_id: draft.failureCodeId,
        actions_taken: draft.actionsTaken.trim() || null,
        technician_ids: draft.technicianIds,
        parts: draft.parts
          .filter((row) => row.part.trim())
          .map((row) => ({ part: row.part.trim(), quantity: Number(row.quantity) })),
        cost: draft.cost.trim() === '' ? null : Number(draft.cost),
        downtime_id: draft.downtimeId,
      };
      return repair
        ? updateRepair(repair.id, body)
        : createRepair({ ...body, machine_id: draft.machineId ?? 0 });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: repairKeys.all });
      void queryClient.invalidateQueries({ queryKey: downtimeKeys.all });
      void queryClient.invalidateQueries({ queryKey: historyKeys.machine(saved.machine_id) });
      toast.success(t(repair ? 'repairs.saved' : 'repairs.created', { id: saved.id }));
      if (!repair) void navigate({ to: '/repairs/$repairId', params: { repairId: String(saved.id) } });
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const problems = fieldProblems(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form
      onSubmit={submit}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="grid gap-4 md:grid-cols-2">
        <Select
          label={t('repairs.machine')}
          required
          disabled={Boolean(repair)}
          value={draft.machineId ?? ''}
          error={problems.machine_id}
          onChange={(e) =>
            setDraft((d) => ({ ...d, machineId: Number(e.target.value) || null, downtimeId: null }))
          }
        >
          <option value="">{t('repairs.pickMachine')}</option>
          {(machines.data ?? []).map((machine) => (
            <option key={machine.id} value={machine.id}>
              {machine.code} — {machine.name}
            </option>
          ))}
        </Select>
        <DowntimeSelect
          machineId={draft.machineId}
          value={draft.downtimeId}
          error={problems.downtime_id}
          onChange={(id) => set('downtimeId', id)}
        />
        <Select
          label={t('repairs.type')}
          value={draft.repairType}
          error={problems.repair_type}
          onChange={(e) => set('repairType', e.target.value as RepairType)}
        >
          {repairTypes.map((value) => (
            <option key={value} value={value}>
              {t(`repairs.types.${value}`)}
            </option>
          ))}
        </Select>
        <Select
          label={t('repairs.status')}
          value={draft.status}
          error={problems.status}
          onChange={(e) => set('status', e.target.value as RepairStatus)}
        >
          {repairStatuses.map((value) => (
            <option key={value} value={value}>
              {t(`repairs.statuses.${value}`)}
            </option>
          ))}
        </Select>
        <Input
          label={t('repairs.start')}
          type="datetime-local"
          step={1}
          required
          value={draft.start}
          error={problems.start_datetime}
          onChange={(e) => set('start', e.target.value)}
        />
        <Input
          label={t('repairs.end')}
          type="datetime-local"
          step={1}
          value={draft.end}
          hint={draft.status === 'closed' ? t('repairs.closeNeeds') : undefined}
          error={problems.end_datetime}
          onChange={(e) => set('end', e.target.value)}
        />
      </div>
      <TextArea
        label={t('repairs.description')}
        required
        value={draft.description}
        error={problems.description}
        onChange={(e) => set('description', e.target.value)}
      />
      <Select
        label={t('repairs.failureCode')}
        value={draft.failureCodeId ?? ''}
        error={problems.failure_code_id}
        onChange={(e) => set('failureCodeId', Number(e.target.value) || null)}
      >
        <option value="">{t('repairs.noFailureCode')}</option>
        {(codes.data ?? []).map((code) => (
          <option key={code.id} value={code.id}>
            {code.code} — {code.name}
          </option>
        ))}
      </Select>
      <TextArea
        label={t('repairs.actionsTaken')}
        value={draft.actionsTaken}
        error={problems.actions_taken}
        onChange={(e) => set('actionsTaken', e.target.value)}
      />
      <TechnicianPicker
        selected={draft.technicianIds}
        onChange={(ids) => set('technicianIds', ids)}
        error={problems.technician_ids}
      />
      <PartsEditor rows={draft.parts} onChange={(rows) => set('parts', rows)} error={problems.parts} />
      <div className="max-w-48">
        <Input
          label={t('repairs.cost')}
          type="number"
          min="0"
          step="0.01"
          value={draft.cost}
          error={problems.cost}
          onChange={(e) => set('cost', e.target.value)}
        />
      </div>
      {save.isError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problemText(save.error, t('common.saveFailed'))}
        </p>
      )}
      <div className="flex flex-wrap justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
        {draft.machineId !== null && (
          <Link
            to="/machines/$machineId"
            params={{ machineId: String(draft.machineId) }}
            className="mr-auto self-center text-sm text-sky-700 underline dark:text-sky-400"
          >
            {t('repairs.toMachine')}
          </Link>
        )}
        <Link to="/repairs" className="self-center px-3 text-sm underline">
          {t('repairs.backToList')}
        </Link>
        <Button type="submit" busy={save.isPending}>
          {repair ? t('common.save') : t('repairs.create')}
        </Button>
      </div>
    </form>
  );
}
