import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import {
  createMachine,
  criticalities,
  machineStatuses,
  plantKeys,
  updateMachine,
  type Criticality,
  type MachineStatus,
  type PlantLine,
  type PlantMachine,
} from './plant-api.ts';

const textFields = ['asset_number', 'serial_number', 'manufacturer', 'model', 'machine_type'] as const;
type TextField = (typeof textFields)[number] | 'code' | 'name' | 'notes' | 'commissioned_on';

interface MachineFormDialogProps {
  lines: PlantLine[];
  lineId: number;
  machine?: PlantMachine;
  onClose: () => void;
}

export function MachineFormDialog({ lines, lineId, machine, onClose }: MachineFormDialogProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [text, setText] = useState<Record<TextField, string>>(() => ({
    code: machine?.code ?? '',
    name: machine?.name ?? '',
    asset_number: machine?.asset_number ?? '',
    serial_number: machine?.serial_number ?? '',
    manufacturer: machine?.manufacturer ?? '',
    model: machine?.model ?? '',
    machine_type: machine?.machine_type ?? '',
    commissioned_on: machine?.commissioned_on ?? '',
    notes: machine?.notes ?? '',
  }));
  const [line, setLine] = useState(machine?.line_id ?? lineId);
  const [status, setStatus] = useState<MachineStatus>(machine?.status ?? 'operational');
  const [criticality, setCriticality] = useState<Criticality>(machine?.criticality ?? 'B');
  const set = (field: TextField) => (value: string) => setText((current) => ({ ...current, [field]: value }));

  const save = useMutation({
    mutationFn: () => {
      const optional = (value: string) => value.trim() || null;
      const fields = {
        line_id: line,
        code: text.code.trim(),
        name: text.name.trim(),
        ...Object.fromEntries(textFields.map((field) => [field, optional(text[field])])),
        commissioned_on: optional(text.commissioned_on),
        notes: optional(text.notes),
        status,
        criticality,
      };
      return machine ? updateMachine(machine.id, fields) : createMachine(fields);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: plantKeys.all });
      toast.success(t(machine ? 'plant.machineSaved' : 'plant.machineCreated', { code: saved.code }));
      onClose();
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const problems = fieldProblems(save.error);
  const input = (field: TextField, extra: { required?: boolean; type?: string } = {}) => (
    <Input
      label={t(`plant.fields.${field}`)}
      value={text[field]}
      error={problems[field]}
      onChange={(e) => set(field)(e.target.value)}
      {...extra}
    />
  );

  return (
    <Dialog
      open
      title={machine ? t('plant.editMachine', { code: machine.code }) : t('plant.newMachine')}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      footer={
        <>
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={save.isPending}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <div className="grid gap-4 sm:grid-cols-2">
        {input('code', { required: true })}
        {input('name', { required: true })}
        <Select
          label={t('plant.fields.line')}
          value={line}
          error={problems.line_id}
          onChange={(e) => setLine(Number(e.target.value))}
        >
          {lines.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.code} — {entry.name}
            </option>
          ))}
        </Select>
        <Select
          label={t('plant.fields.status')}
          value={status}
          error={problems.status}
          onChange={(e) => setStatus(e.target.value as MachineStatus)}
        >
          {machineStatuses.map((value) => (
            <option key={value} value={value}>
              {t(`plant.status.${value}`)}
            </option>
          ))}
        </Select>
        <Select
          label={t('plant.fields.criticality')}
          value={criticality}
          error={problems.criticality}
          onChange={(e) => setCriticality(e.target.value as Criticality)}
        >
          {criticalities.map((value) => (
            <option key={value} value={value}>
              {t(`plant.criticality.${value}`)}
            </option>
          ))}
        </Select>
        {input('commissioned_on', { type: 'date' })}
        {textFields.map((field) => (
          <div key={field}>{input(field)}</div>
        ))}
      </div>
      {input('notes')}
      {save.isError && Object.keys(problems).length === 0 && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problemText(save.error, t('common.saveFailed'))}
        </p>
      )}
    </Dialog>
  );
}
