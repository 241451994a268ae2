import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextArea } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { updateIssue, type ProductionIssue } from './issues-api.ts';
import { productionKeys } from './production-api.ts';

export type IssueMove = 'acknowledged' | 'resolved';

/** Acknowledge or resolve an issue, with an optional note. */
export function IssueUpdateDialog({
  issue,
  move,
  onClose,
}: {
  issue: ProductionIssue;
  move: IssueMove;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const save = useSaveMutation({
    mutationFn: () => updateIssue(issue, { status: move, note: note.trim() || undefined }),
    invalidate: [productionKeys.all],
    refreshOnError: true,
    successText: () => t(move === 'resolved' ? 'production.issueResolved' : 'production.issueAcknowledged'),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);
  return (
    <FormDialog
      title={t(move === 'resolved' ? 'production.resolveTitle' : 'production.acknowledgeTitle')}
      onClose={onClose}
      save={save}
      submitLabel={t(move === 'resolved' ? 'production.resolve' : 'production.acknowledge')}
    >
      <p className="text-sm">{issue.description}</p>
      <TextArea
        label={t('production.note')}
        hint={t(move === 'resolved' ? 'production.noteHintResolve' : 'production.noteHintAcknowledge')}
        value={note}
        error={problems.note}
        onChange={(e) => setNote(e.target.value)}
      />
    </FormDialog>
  );
}
