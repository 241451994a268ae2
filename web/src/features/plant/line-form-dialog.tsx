import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { Input, Select } from '../../components/ui/field.tsx';
import { fieldProblems } from '../../lib/form-errors.ts';
import {
  createLine,
  lineStatuses,
  plantKeys,
  updateLine,
  type LineStatus,
  type PlantLine,
} from './plant-api.ts';

interface LineFormDialogProps {
  siteId: number;
  line?: PlantLine;
  onClose: () => void;
}

export function LineFormDialog({ siteId, line, onClose }: LineFormDialogProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState(line?.code ?? '');
  const [name, setName] = useState(line?.name ?? '');
  const [description, setDescription] = useState(line?.description ?? '');
  const [status, setStatus] = useState<LineStatus>(line?.status ?? 'working');
  const [notes, setNotes] = useState(line?.notes ?? '');

  const save = useSaveMutation({
    mutationFn: () => {
      const fields = {
        code: code.trim(),
        name: name.trim(),
        description: description.trim() || null,
        status,
        notes: notes.trim() || null,
      };
      return line ? updateLine(line.id, fields) : createLine({ ...fields, site_id: siteId });
    },
    invalidate: [plantKeys.all],
    successText: (saved) => t(line ? 'plant.lineSaved' : 'plant.lineCreated', { code: saved.code }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={line ? t('plant.editLine', { code: line.code }) : t('plant.newLine')}
      onClose={onClose}
      save={save}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label={t('plant.fields.code')}
          required
          value={code}
          error={problems.code}
          onChange={(e) => setCode(e.target.value)}
        />
        <Input
          label={t('plant.fields.name')}
          required
          value={name}
          error={problems.name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <Input
        label={t('plant.fields.description')}
        value={description}
        error={problems.description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <Select
        label={t('plant.fields.status')}
        value={status}
        error={problems.status}
        onChange={(e) => setStatus(e.target.value as LineStatus)}
      >
        {lineStatuses.map((value) => (
          <option key={value} value={value}>
            {t(`plant.status.${value}`)}
          </option>
        ))}
      </Select>
      <Input
        label={t('plant.fields.notes')}
        value={notes}
        error={problems.notes}
        onChange={(e) => setNotes(e.target.value)}
      />
    </FormDialog>
  );
}
