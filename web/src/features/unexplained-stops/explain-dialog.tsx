import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextArea } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import type { DowntimeReason } from '../catalog/catalog-api.ts';
import { downtimeKeys } from '../downtime/downtime-api.ts';
import { kpiKeys } from '../kpi/kpi-api.ts';
import { ReasonSelect } from './reason-select.tsx';
import { explainStop, unexplainedKeys, type UnexplainedStop } from './unexplained-api.ts';

/** Gives one unexplained stop its reason (and a comment). */
export function ExplainDialog({
  stop,
  reasons,
  onClose,
}: {
  stop: UnexplainedStop;
  reasons: DowntimeReason[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reasonId, setReasonId] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const save = useSaveMutation({
    mutationFn: () =>
      explainStop(stop.id, {
        reason_id: reasonId ?? 0,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }),
    invalidate: [unexplainedKeys.all, downtimeKeys.all, kpiKeys.all],
    successText: () => t('unexplained.explained', { machine: stop.machine_code }),
    onSaved: onClose,
    refreshOnError: true,
  });
  const problems = fieldProblems(save.error);
  return (
    <FormDialog
      title={t('unexplained.explainTitle', { machine: stop.machine_code })}
      onClose={onClose}
      save={save}
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {t('unexplained.stopSummary', {
          start: formatMoment(stop.start_datetime),
          duration: formatDuration(stop.duration_seconds),
        })}
      </p>
      <ReasonSelect
        reasons={reasons}
        value={reasonId}
        onChange={setReasonId}
        label={t('unexplained.reason')}
        error={problems.reason_id}
        testId="explain-reason"
      />
      <TextArea
        label={t('unexplained.comment')}
        value={comment}
        maxLength={2000}
        onChange={(event) => setComment(event.target.value)}
        error={problems.comment}
      />
    </FormDialog>
  );
}
