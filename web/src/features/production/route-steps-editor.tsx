import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { controlClass } from '../../components/ui/field.tsx';

export interface StepRow {
  key: number;
  stageName: string;
  weight: string;
}

let nextStepKey = 1;
export const newStepRow = (stageName = '', weight = '1'): StepRow => ({
  key: nextStepKey++,
  stageName,
  weight,
});

/** The ordered stages of a route: rename, weigh, move up or down, add and remove. */
export function RouteStepsEditor({
  rows,
  onChange,
  problems,
}: {
  rows: StepRow[];
  onChange: (rows: StepRow[]) => void;
  problems: Record<string, string>;
}) {
  const { t } = useTranslation();
  const update = (key: number, change: Partial<StepRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    if (!row) return;
    next.splice(index + by, 0, row);
    onChange(next);
  };

  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {t('production.routeSteps')}
      </legend>
      <p className="text-xs text-slate-500">{t('production.weightHint')}</p>
      {rows.length === 0 && <p className="text-sm text-slate-500">{t('production.noSteps')}</p>}
      <ol className="space-y-2">
        {rows.map((row, index) => {
          const n = index + 1;
          const problem = problems[`steps.${index}.stage_name`] ?? problems[`steps.${index}.weight`];
          return (
            <li key={row.key} data-testid={`route-step-${n}`} className="space-y-1">
              <div className="flex items-center gap-1">
                <span className="w-6 text-right text-sm text-slate-500 tabular-nums">{n}.</span>
                <input
                  aria-label={t('production.stepName', { n })}
                  className={controlClass}
                  value={row.stageName}
                  onChange={(e) => update(row.key, { stageName: e.target.value })}
                />
                <input
                  aria-label={t('production.stepWeight', { n })}
                  className={`${controlClass} max-w-24`}
                  type="number"
                  min="0.001"
                  step="any"
                  value={row.weight}
                  onChange={(e) => update(row.key, { weight: e.target.value })}
                />
                <Button
                  tone="ghost"
                  size="sm"
                  aria-label={t('production.moveUp', { n })}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  <ArrowUp aria-hidden className="size-4" />
                </Button>
                <Button
                  tone="ghost"
                  size="sm"
                  aria-label={t('production.moveDown', { n })}
                  disabled={index === rows.length - 1}
                  onClick={() => move(index, 1)}
                >
                  <ArrowDown aria-hidden className="size-4" />
                </Button>
                <Button
                  tone="ghost"
                  size="sm"
                  aria-label={t('production.removeStep', { n })}
                  onClick={() => onChange(rows.filter((entry) => entry.key !== row.key))}
                >
                  <Trash2 aria-hidden className="size-4" />
                </Button>
              </div>
              {problem && <p className="pl-7 text-xs text-red-700 dark:text-red-400">{problem}</p>}
            </li>
          );
        })}
      </ol>
      <Button tone="secondary" size="sm" onClick={() => onChange([...rows, newStepRow()])}>
        <Plus aria-hidden className="size-4" />
        {t('production.addStep')}
      </Button>
      {problems.steps && <p className="text-xs text-red-700 dark:text-red-400">{problems.steps}</p>}
    </fieldset>
  );
}
