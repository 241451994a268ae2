import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input, Select } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { fetchMachines, plantKeys } from '../plant/plant-api.ts';
import { productionKeys, updateStage, type Stage } from './production-api.ts';

/** The planner renames a stage, moves its planned window or names its machine. */
export function StageFormDialog({ stage, onClose }: { stage: Stage; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(stage.stage_name);
  const [start, setStart] = useState(toLocalInput(stage.planned_start));
  const [end, setEnd] = useState(toLocalInput(stage.planned_end));
  const [machineId, setMachineId] = useState<number | null>(stage.machine_id);
  const machines = useQuery({
    queryKey: plantKeys.machines({ site_id: stage.site_id }),
    queryFn: () => fetchMachines({ site_id: stage.site_id }),
  });

  const save = useSaveMutation({
    mutationFn: () =>
      updateStage(stage.id, {
        stage_name: name.trim(),
        planned_start: fromLocalInput(start),
        planned_end: fromLocalInput(end),
        machine_id: machineId,
      }),
    invalidate: [productionKeys.all],
    successText: (saved) => t('production.stageSaved', { stage: saved.stage_name }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog title={t('production.editStage', { stage: stage.stage_name })} onClose={onClose} save={save}>
      <Input
        label={t('production.stageName')}
        required
        value={name}
        error={problems.stage_name}
        onChange={(e) => setName(e.target.value)}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label={t('production.plannedStart')}
          type="datetime-local"
          value={start}
          error={problems.planned_start}
          onChange={(e) => setStart(e.target.value)}
        />
        <Input
          label={t('production.plannedEnd')}
          type="datetime-local"
          value={end}
          error={problems.planned_end}
          onChange={(e) => setEnd(e.target.value)}
        />
      </div>
      <Select
        label={t('production.machine')}
        value={machineId ?? ''}
        error={problems.machine_id}
        onChange={(e) => setMachineId(Number(e.target.value) || null)}
      >
        <option value="">{t('production.noMachine')}</option>
        {(machines.data ?? []).map((machine) => (
          <option key={machine.id} value={machine.id}>
            {machine.code} — {machine.name}
          </option>
        ))}
      </Select>
    </FormDialog>
  );
}
