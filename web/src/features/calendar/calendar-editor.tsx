import { Clock, Plus, Sun } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Switch } from '../../components/ui/field.tsx';
import { formatDecimal, formatNumber } from '../../lib/format.ts';
import { sortShifts, templateCalendar, templateIds, workdays, type Shift } from './calendar-api.ts';
import { NonWorkingDates } from './non-working-dates.tsx';
import { ShiftDialog } from './shift-dialog.tsx';
import { WeekView } from './week-view.tsx';

export interface CalendarDraft {
  aroundClock: boolean;
  shifts: Shift[];
  non_working_dates: string[];
}

interface CalendarEditorProps {
  draft: CalendarDraft;
  /** From the server's last answer, so it describes the saved calendar. */
  plannedHours: number;
  dirty: boolean;
  problems: Record<string, string>;
  onChange: (draft: CalendarDraft) => void;
}

type DialogState = { mode: 'add'; weekday?: number } | { mode: 'edit'; index: number };

const panelClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';

export function CalendarEditor({ draft, plannedHours, dirty, problems, onChange }: CalendarEditorProps) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const setShifts = (shifts: Shift[]) =>
    onChange({ ...draft, aroundClock: false, shifts: sortShifts(shifts) });
  const editing = dialog?.mode === 'edit' ? draft.shifts[dialog.index] : undefined;
  const otherProblems = Object.entries(problems).filter(
    ([key]) => !key.startsWith('shifts.') && !key.startsWith('non_working_dates.'),
  );

  return (
    <div className="space-y-5">
      <div className="grid gap-4 md:grid-cols-[1fr_auto]">
        <section aria-labelledby="templates-title" className={panelClass}>
          <h2 id="templates-title" className="mb-2 font-semibold">
            {t('shiftCalendar.templatesTitle')}
          </h2>
          <div className="flex flex-wrap gap-2">
            {templateIds.map((id) => (
              <Button
                key={id}
                tone="secondary"
                size="sm"
                onClick={() =>
                  id === 'always'
                    ? onChange({ ...draft, aroundClock: true, shifts: [] })
                    : setShifts(templateCalendar(id, (kind) => t(`shiftCalendar.shiftNames.${kind}`)))
                }
              >
                {t(`shiftCalendar.templates.${id}`)}
              </Button>
            ))}
          </div>
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            {t('shiftCalendar.templatesHint')}
          </p>
        </section>
        <section
          aria-labelledby="planned-title"
          className={`${panelClass} flex min-w-56 items-center gap-3`}
          data-testid="planned-hours"
        >
          <Clock aria-hidden className="size-8 shrink-0 text-sky-700 dark:text-sky-400" />
          <div>
            <h2 id="planned-title" className="text-sm text-slate-600 dark:text-slate-400">
              {t('shiftCalendar.plannedHours')}
            </h2>
            <p className="text-2xl font-semibold tabular-nums">
              {t('shiftCalendar.hours', {
                hours: Number.isInteger(plannedHours)
                  ? formatNumber(plannedHours)
                  : formatDecimal(plannedHours, 1),
              })}
            </p>
            <p className="text-xs text-slate-500 dark:text-slate-400">
              {dirty ? t('shiftCalendar.plannedAfterSave') : t('shiftCalendar.plannedSaved')}
            </p>
          </div>
        </section>
      </div>

      <section aria-labelledby="week-title" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="week-title" className="font-semibold">
            {t('shiftCalendar.week')}
          </h2>
          <div className="flex flex-wrap items-center gap-4">
            <Switch
              label={t('shiftCalendar.aroundClock')}
              checked={draft.aroundClock}
              onChange={(on) => onChange({ ...draft, aroundClock: on, shifts: [] })}
            />
            {!draft.aroundClock && (
              <Button size="sm" onClick={() => setDialog({ mode: 'add' })}>
                <Plus aria-hidden className="size-4" />
                {t('shiftCalendar.addShift')}
              </Button>
            )}
          </div>
        </div>
        {otherProblems.map(([key, message]) => (
          <p key={key} role="alert" className="text-sm text-red-700 dark:text-red-400">
            {key}: {message}
          </p>
        ))}
        {draft.aroundClock ? (
          <div className={`${panelClass} flex items-center gap-3`} data-testid="around-the-clock">
            <Sun aria-hidden className="size-6 shrink-0 text-amber-500" />
            <p className="text-sm">{t('shiftCalendar.aroundClockHint')}</p>
          </div>
        ) : (
          <>
            {draft.shifts.length === 0 && (
              <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
                {t('shiftCalendar.noShiftsHint')}
              </p>
            )}
            <WeekView
              shifts={draft.shifts}
              problems={problems}
              onEdit={(index) => setDialog({ mode: 'edit', index })}
              onRemove={(index) => setShifts(draft.shifts.filter((_, other) => other !== index))}
              onAdd={(weekday) => setDialog({ mode: 'add', weekday })}
            />
          </>
        )}
      </section>

      <NonWorkingDates
        dates={draft.non_working_dates}
        problems={problems}
        onChange={(dates) => onChange({ ...draft, non_working_dates: dates })}
      />

      {dialog && (
        <ShiftDialog
          editing={dialog.mode === 'edit'}
          initial={
            editing
              ? {
                  weekdays: [editing.weekday],
                  start: editing.start,
                  end: editing.end,
                  name: editing.name ?? '',
                }
              : {
                  weekdays: dialog.mode === 'add' && dialog.weekday ? [dialog.weekday] : workdays,
                  start: '06:00',
                  end: '14:00',
                  name: '',
                }
          }
          onClose={() => setDialog(null)}
          onRemove={
            dialog.mode === 'edit'
              ? () => {
                  setShifts(draft.shifts.filter((_, other) => other !== dialog.index));
                  setDialog(null);
                }
              : undefined
          }
          onSave={(added) => {
            const kept =
              dialog.mode === 'edit'
                ? draft.shifts.filter((_, other) => other !== dialog.index)
                : draft.shifts;
            setShifts([...kept, ...added]);
            setDialog(null);
          }}
        />
      )}
    </div>
  );
}
