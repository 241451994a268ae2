import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input, Select, TextArea } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import {
  createTool,
  toolKeys,
  toolKinds,
  updateTool,
  type Tool,
  type ToolInput,
  type ToolKind,
} from './tools-api.ts';

const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

/** Create a tool, or edit one (asset number, name, kind, counts, limits, where it is kept). */
export function ToolFormDialog({
  tool,
  siteId,
  onClose,
  onSaved,
}: {
  tool?: Tool;
  siteId?: number;
  onClose: () => void;
  onSaved?: (tool: Tool) => void;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    asset_number: tool?.asset_number ?? '',
    name: tool?.name ?? '',
    kind: tool?.kind ?? ('mould' as ToolKind),
    manufacturer: tool?.manufacturer ?? '',
    cavity_count: String(tool?.cavity_count ?? 1),
    storage_location: tool?.storage_location ?? '',
    life_limit_shots: tool?.life_limit_shots == null ? '' : String(tool.life_limit_shots),
    counter_max: tool?.counter_max == null ? '' : String(tool.counter_max),
    ideal_cycle_seconds: tool?.ideal_cycle_seconds == null ? '' : String(tool.ideal_cycle_seconds),
    notes: tool?.notes ?? '',
  });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [key]: event.target.value }));
  const save = useSaveMutation({
    mutationFn: () => {
      const input: ToolInput = {
        asset_number: form.asset_number.trim(),
        name: form.name.trim(),
        kind: form.kind,
        manufacturer: form.manufacturer.trim() || null,
        cavity_count: Number(form.cavity_count),
        storage_location: form.storage_location.trim() || null,
        life_limit_shots: numberOrNull(form.life_limit_shots),
        counter_max: numberOrNull(form.counter_max),
        ideal_cycle_seconds: numberOrNull(form.ideal_cycle_seconds),
        notes: form.notes.trim() || null,
      };
      return tool
        ? updateTool(tool.id, input)
        : createTool({ ...input, ...(siteId ? { site_id: siteId } : {}) });
    },
    invalidate: [toolKeys.all],
    successText: (saved) => t('tools.saved', { asset: saved.asset_number }),
    onSaved: (saved) => {
      onSaved?.(saved);
      onClose();
    },
  });
  const problems = fieldProblems(save.error);
  return (
    <FormDialog title={tool ? t('tools.edit') : t('tools.new')} onClose={onClose} save={save}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label={t('tools.assetNumber')}
          value={form.asset_number}
          onChange={set('asset_number')}
          required
          error={problems.asset_number}
        />
        <Input
          label={t('tools.name')}
          value={form.name}
          onChange={set('name')}
          required
          error={problems.name}
        />
        <Select label={t('tools.kind')} value={form.kind} onChange={set('kind')} error={problems.kind}>
          {toolKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`tools.kinds.${kind}`)}
            </option>
          ))}
        </Select>
        <Input
          label={t('tools.manufacturer')}
          value={form.manufacturer}
          onChange={set('manufacturer')}
          error={problems.manufacturer}
        />
        <Input
          label={t('tools.cavityCount')}
          type="number"
          min={1}
          value={form.cavity_count}
          onChange={set('cavity_count')}
          error={problems.cavity_count}
        />
        <Input
          label={t('tools.storageLocation')}
          value={form.storage_location}
          onChange={set('storage_location')}
          error={problems.storage_location}
        />
        <Input
          label={t('tools.lifeLimit')}
          type="number"
          min={1}
          value={form.life_limit_shots}
          onChange={set('life_limit_shots')}
          error={problems.life_limit_shots}
        />
        <Input
          label={t('tools.counterMax')}
          hint={t('tools.counterMaxHint')}
          type="number"
          min={1}
          value={form.counter_max}
          onChange={set('counter_max')}
          error={problems.counter_max}
        />
        <Input
          label={t('tools.idealCycle')}
          hint={t('tools.idealCycleHint')}
          type="number"
          min={0.001}
          step={0.001}
          value={form.ideal_cycle_seconds}
          onChange={set('ideal_cycle_seconds')}
          error={problems.ideal_cycle_seconds}
        />
      </div>
      <TextArea label={t('tools.notes')} value={form.notes} onChange={set('notes')} error={problems.notes} />
    </FormDialog>
  );
}
