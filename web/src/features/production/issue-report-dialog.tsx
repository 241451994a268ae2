import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Select, TextArea } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { localName } from '../../lib/format.ts';
import { raiseIssue, useIssueTypes } from './issues-api.ts';
import { productionKeys, type Stage } from './production-api.ts';

/** A worker reports a problem on a stage: what kind, and what happened. */
export function IssueReportDialog({ stage, onClose }: { stage: Stage; onClose: () => void }) {
  const { t } = useTranslation();
  const { active, types } = useIssueTypes();
  const [type, setType] = useState('');
  const [description, setDescription] = useState('');
  const chosenType = type || active[0]?.code || '';
  const save = useSaveMutation({
    mutationFn: () => raiseIssue(stage.id, { type: chosenType, description: description.trim() }),
    invalidate: [productionKeys.all],
    successText: () => t('production.issueReported'),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={t('production.reportIssueOn', { stage: stage.stage_name })}
      onClose={onClose}
      save={save}
      submitLabel={t('production.sendIssue')}
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">
        <span className="font-mono">{stage.product_code}</span> · {t('production.lot')} {stage.lot_no}
      </p>
      <Select
        label={t('production.issueType')}
        required
        className="min-h-12 text-base"
        value={chosenType}
        error={problems.type ?? (types.isError ? types.error.message : undefined)}
        onChange={(e) => setType(e.target.value)}
      >
        {types.isPending && <option value="">{t('common.loading')}</option>}
        {active.map((entry) => (
          <option key={entry.code} value={entry.code}>
            {localName(entry.name, entry.name_ru)}
          </option>
        ))}
      </Select>
      <TextArea
        label={t('production.whatHappened')}
        required
        rows={4}
        className="text-base"
        value={description}
        error={problems.description}
        onChange={(e) => setDescription(e.target.value)}
      />
    </FormDialog>
  );
}
