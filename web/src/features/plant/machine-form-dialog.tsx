import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { Input, Select } from '../../components/ui/field.tsx';
import { fieldProblems } from '../../lib/form-errors.ts';
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

  const save = useSaveMutation({
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
    invalidate: [plantKeys.all],
    successText: (saved) => t(machine ? 'plant.machineSaved' : 'plant.machineCreated', { code: saved.code }),
    onSaved: onClose,
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
    <FormDialog
      title={machine ? t('plant.editMachine', { code: machine.code }) : t('plant.newMachine')}
      onClose={onClose}
      save={save}
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
    </FormDialog>
  );
}
