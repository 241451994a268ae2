import { Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatDuration, formatMoment, fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import type { DowntimeReason } from '../catalog/catalog-api.ts';
import { downtimeKeys } from '../downtime/downtime-api.ts';
import { kpiKeys } from '../kpi/kpi-api.ts';
import { ReasonSelect } from './reason-select.tsx';
import { splitStop, unexplainedKeys, type UnexplainedStop } from './unexplained-api.ts';

interface PartDraft {
  /** datetime-local text; unused for the last part, which runs to the stop's end. */
  until: string;
  reasonId: number | null;
  comment: string;
}

const MAX_PARTS = 20;

function midpoint(fromMs: number, toMs: number): string {
  return toLocalInput(new Date(Math.round((fromMs + toMs) / 2 / 1000) * 1000).toISOString());
}

/**
 * Cuts one stop into consecutive parts, each with its own reason: the operator picks the times where
 * one part ends and the next begins; the parts always cover the whole stop (an open stop stays open in
 * its last part).
 */
export function SplitDialog({
  stop,
  reasons,
  onClose,
}: {
  stop: UnexplainedStop;
  reasons: DowntimeReason[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const startMs = new Date(stop.start_datetime).getTime();
  const endMs = stop.end_datetime ? new Date(stop.end_datetime).getTime() : Date.now();
  const [parts, setParts] = useState<PartDraft[]>(() => [
    { until: midpoint(startMs, endMs), reasonId: null, comment: '' },
    { until: '', reasonId: null, comment: '' },
  ]);
  const last = parts.length - 1;
  const boundaryMs = (index: number) =>
    index < 0 ? startMs : index >= last ? endMs : new Date(parts[index]?.until ?? '').getTime();

  const change = (index: number, patch: Partial<PartDraft>) =>
    setParts((current) => current.map((part, i) => (i === index ? { ...part, ...patch } : part)));
  const addPart = () =>
    setParts((current) => {
      const before = current.length - 2;
      const fromMs = before < 0 ? startMs : new Date(current[before]?.until ?? '').getTime() || startMs;
      const tail = current.at(-1) ?? { until: '', reasonId: null, comment: '' };
      return [...current.slice(0, -1), { until: midpoint(fromMs, endMs), reasonId: null, comment: '' }, tail];
    });
  const removePart = (index: number) =>
    setParts((current) => {
      if (current.length <= 2) return current;
      // The removed part's time joins the next part; removing the last joins it to the one before.
      if (index === current.length - 1)
        return current
          .slice(0, -1)
          .map((part, i, kept) => (i === kept.length - 1 ? { ...part, until: '' } : part));
      return current.filter((_, i) => i !== index);
    });

  const save = useSaveMutation({
    mutationFn: () =>
      splitStop(
        stop.id,
        parts.map((part, index) => ({
          ...(index < last ? { until: fromLocalInput(part.until) ?? part.until } : {}),
          reason_id: part.reasonId,
          ...(part.comment.trim() ? { comment: part.comment.trim() } : {}),
        })),
      ),
    invalidate: [unexplainedKeys.all, downtimeKeys.all, kpiKeys.all],
    successText: (saved) =>
      t('unexplained.splitDone', { count: saved.parts.length, machine: stop.machine_code }),
    onSaved: onClose,
    refreshOnError: true,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={t('unexplained.splitTitle', { machine: stop.machine_code })}
      onClose={onClose}
      save={save}
      submitLabel={t('unexplained.split')}
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {t('unexplained.splitHint', {
          start: formatMoment(stop.start_datetime),
          end: stop.end_datetime ? formatMoment(stop.end_datetime) : t('unexplained.stillOpen'),
        })}
      </p>
      <ol className="space-y-4">
        {parts.map((part, index) => {
          const seconds = (boundaryMs(index) - boundaryMs(index - 1)) / 1000;
          return (
            <li
              key={index}
              data-testid={`split-part-${index}`}
              className="space-y-2 rounded-md border border-slate-200 p-3 dark:border-slate-700"
            >
              <div className="flex items-center justify-between gap-2">
                <h3 className="text-sm font-semibold">
                  {t('unexplained.part', { number: index + 1 })}
                  <span className="ml-2 font-normal text-slate-600 dark:text-slate-400">
                    {Number.isFinite(seconds) && seconds > 0 ? formatDuration(seconds) : '—'}
                  </span>
                </h3>
                {parts.length > 2 && (
                  <Button
                    tone="ghost"
                    size="sm"
                    aria-label={t('unexplained.removePart', { number: index + 1 })}
                    onClick={() => removePart(index)}
                  >
                    <Trash2 aria-hidden className="size-4" />
                  </Button>
                )}
              </div>
              {index < last ? (
                <Input
                  type="datetime-local"
                  step={1}
                  required
                  data-testid={`split-until-${index}`}
                  label={t('unexplained.until')}
                  value={part.until}
                  min={toLocalInput(new Date(boundaryMs(index - 1)).toISOString())}
                  max={toLocalInput(new Date(endMs).toISOString())}
                  error={problems[`parts.${index}.until`]}
                  onChange={(event) => change(index, { until: event.target.value })}
                />
              ) : (
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  {stop.end_datetime
                    ? t('unexplained.untilEnd', { end: formatMoment(stop.end_datetime) })
                    : t('unexplained.untilOpen')}
                </p>
              )}
              <ReasonSelect
                reasons={reasons}
                value={part.reasonId}
                allowNone
                onChange={(reasonId) => change(index, { reasonId })}
                label={t('unexplained.reason')}
                error={problems[`parts.${index}.reason_id`]}
                testId={`split-reason-${index}`}
              />
              <Input
                label={t('unexplained.comment')}
                value={part.comment}
                maxLength={2000}
                onChange={(event) => change(index, { comment: event.target.value })}
              />
            </li>
          );
        })}
      </ol>
      {parts.length < MAX_PARTS && (
        <Button tone="secondary" size="sm" onClick={addPart}>
          <Plus aria-hidden className="size-4" />
          {t('unexplained.addPart')}
        </Button>
      )}
    </FormDialog>
  );
}
