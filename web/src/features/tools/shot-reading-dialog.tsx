import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input, TextArea } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { recordShots, toolKeys, type Tool } from './tools-api.ts';

/** A reading by hand; the form says which: the counter value read off the machine, or shots since the last reading. */
export function ShotReadingDialog({ tool, onClose }: { tool: Tool; onClose: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'counter' | 'delta'>('counter');
  const [value, setValue] = useState('');
  const [takenAt, setTakenAt] = useState(toLocalInput(new Date().toISOString()));
  const [note, setNote] = useState('');
  const save = useSaveMutation({
    mutationFn: () => {
      const at = fromLocalInput(takenAt) ?? undefined;
      const common = { ...(at ? { taken_at: at } : {}), note: note.trim() || null };
      return recordShots(
        tool.id,
        kind === 'counter'
          ? { kind, counter_value: Number(value), ...common }
          : { kind, shots: Number(value), ...common },
      );
    },
    invalidate: [toolKeys.all],
    successText: (saved) =>
      saved.created ? t('tools.shots.recorded', { delta: saved.reading.delta }) : t('tools.shots.duplicate'),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);
  return (
    <FormDialog title={t('tools.shots.record')} onClose={onClose} save={save}>
      <fieldset className="flex gap-4">
        <legend className="mb-1 text-sm font-medium">{t('tools.shots.whatDidYouRead')}</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="kind" checked={kind === 'counter'} onChange={() => setKind('counter')} />
          {t('tools.shots.counter')}
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="kind" checked={kind === 'delta'} onChange={() => setKind('delta')} />
          {t('tools.shots.delta')}
        </label>
      </fieldset>
      <Input
        label={kind === 'counter' ? t('tools.shots.counterValue') : t('tools.shots.shotsSince')}
        hint={kind === 'counter' ? t('tools.shots.counterHint') : t('tools.shots.deltaHint')}
        type="number"
        min={0}
        inputMode="numeric"
        required
        value={value}
        onChange={(event) => setValue(event.target.value)}
        error={problems.counter_value ?? problems.shots}
      />
      <Input
        label={t('tools.shots.takenAt')}
        type="datetime-local"
        value={takenAt}
        onChange={(event) => setTakenAt(event.target.value)}
        error={problems.taken_at}
      />
      <TextArea label={t('tools.notes')} value={note} onChange={(event) => setNote(event.target.value)} />
    </FormDialog>
  );
}
