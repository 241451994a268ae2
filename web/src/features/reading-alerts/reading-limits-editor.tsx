import { useQuery, useQueryClient } from '@tanstack/react-query';
import { SlidersHorizontal } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Input } from '../../components/ui/field.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { boardKeys } from '../machine-board/board-api.ts';
import {
  fetchThreshold,
  readingAlertKeys,
  removeThreshold,
  saveThreshold,
  type ReadingThreshold,
  type ThresholdInput,
} from './reading-alerts-api.ts';

interface Draft {
  low: string;
  high: string;
  stale: string;
}

const text = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);
/** An empty field is "not set" (null); anything else goes to the server as typed, which judges it. */
const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

function LimitsForm({
  machineId,
  readingType,
  unit,
  saved,
  onDone,
}: {
  machineId: number;
  readingType: string;
  unit: string | null;
  saved: ReadingThreshold | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>({
    low: text(saved?.low),
    high: text(saved?.high),
    stale: text(saved?.stale_after_seconds),
  });
  const [confirming, setConfirming] = useState(false);
  const invalidate = [boardKeys.readingTypes(machineId), readingAlertKeys.all];
  const save = useSaveMutation({
    mutationFn: (input: ThresholdInput) => saveThreshold(machineId, readingType, input),
    invalidate,
    successText: () => t('readingAlerts.limits.saved', { type: readingType }),
    onSaved: onDone,
  });
  const remove = useSaveMutation({
    mutationFn: () => removeThreshold(machineId, readingType),
    invalidate,
    successText: () => t('readingAlerts.limits.removed', { type: readingType }),
    onSaved: () => {
      queryClient.setQueryData(readingAlertKeys.threshold(machineId, readingType), null);
      setConfirming(false);
      onDone();
    },
  });
  const problems = fieldProblems(save.error);
  const unitSuffix = unit ? ` (${unit})` : '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      low: numberOrNull(draft.low),
      high: numberOrNull(draft.high),
      stale_after_seconds: numberOrNull(draft.stale),
    });
  };
  const field = (key: keyof Draft) => ({
    value: draft[key],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value }),
  });

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={t('readingAlerts.limits.formLabel', { type: readingType })}
      data-testid={`limits-form-${readingType}`}
      className="mt-3 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3 dark:border-slate-700 dark:bg-slate-800/50"
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <Input
          label={t('readingAlerts.limits.low') + unitSuffix}
          type="number"
          step="any"
          inputMode="decimal"
          error={problems.low}
          {...field('low')}
        />
        <Input
          label={t('readingAlerts.limits.high') + unitSuffix}
          type="number"
          step="any"
          inputMode="decimal"
          error={problems.high}
          {...field('high')}
        />
        <Input
          label={t('readingAlerts.limits.staleAfter')}
          hint={t('readingAlerts.limits.staleHint')}
          type="number"
          step="1"
          min="0"
          inputMode="numeric"
          error={problems.stale_after_seconds}
          {...field('stale')}
        />
      </div>
      {save.isError && Object.keys(problems).length === 0 && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problemText(save.error, t('common.saveFailed'))}
        </p>
      )}
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('readingAlerts.limits.hint')}</p>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" busy={save.isPending}>
          {t('readingAlerts.limits.save')}
        </Button>
        <Button tone="secondary" size="sm" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        {saved && (
          <Button tone="danger" size="sm" className="ml-auto" onClick={() => setConfirming(true)}>
            {t('readingAlerts.limits.remove')}
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('readingAlerts.limits.removeTitle', { type: readingType })}
        message={t('readingAlerts.limits.removeMessage')}
        confirmLabel={t('readingAlerts.limits.remove')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirming(false)}
      />
    </form>
  );
}

/**
 * The limits of one machine × reading type (telemetry:manage only): low and high (alerts) and the
 * stale limit, behind a "Limits" button on the type's chart.
 */
export function ReadingLimitsEditor({
  machineId,
  readingType,
  unit,
}: {
  machineId: number;
  readingType: string;
  unit: string | null;
}) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [open, setOpen] = useState(false);
  const threshold = useQuery({
    queryKey: readingAlertKeys.threshold(machineId, readingType),
    queryFn: () => fetchThreshold(machineId, readingType),
    enabled: open,
  });
  if (!can(me.data, 'telemetry:manage')) return null;

  return (
    <div>
      <Button
        tone="ghost"
        size="sm"
        aria-expanded={open}
        data-testid={`limits-toggle-${readingType}`}
        onClick={() => setOpen(!open)}
      >
        <SlidersHorizontal aria-hidden className="size-4" />
        {t('readingAlerts.limits.button')}
      </Button>
      {open &&
        (threshold.isPending ? (
          <Spinner />
        ) : threshold.isError ? (
          <ErrorState error={threshold.error} onRetry={() => void threshold.refetch()} />
        ) : (
          <LimitsForm
            machineId={machineId}
            readingType={readingType}
            unit={unit}
            saved={threshold.data}
            onDone={() => setOpen(false)}
          />
        ))}
    </div>
  );
}
