import { clsx } from 'clsx';
import { Plus, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { isOvernight, weekdays, type Shift } from './calendar-api.ts';

interface WeekViewProps {
  shifts: Shift[];
  /** Field problems from the server, keyed like "shifts.0.start". */
  problems: Record<string, string>;
  onEdit: (index: number) => void;
  onRemove: (index: number) => void;
  onAdd: (weekday: number) => void;
}

export function ShiftChipText({ shift }: { shift: Shift }) {
  const { t } = useTranslation();
  return (
    <>
      {shift.name && <span className="font-semibold">{shift.name} </span>}
      <span className="tabular-nums whitespace-nowrap">
        {shift.start}–{shift.end}
      </span>
      {isOvernight(shift) && (
        <span className="block text-xs text-indigo-700 dark:text-indigo-300">
          {t('shiftCalendar.nextDay')}
        </span>
      )}
    </>
  );
}

/** Monday to Sunday, each day with its shifts as chips; a chip opens the shift, its × removes it. */
export function WeekView({ shifts, problems, onEdit, onRemove, onAdd }: WeekViewProps) {
  const { t } = useTranslation();
  const indexed = shifts.map((shift, index) => ({ shift, index }));
  return (
    <ol
      aria-label={t('shiftCalendar.week')}
      className="grid grid-cols-1 gap-2 sm:grid-cols-4 lg:grid-cols-7"
      data-testid="week-view"
    >
      {weekdays.map((weekday) => {
        const dayShifts = indexed.filter(({ shift }) => shift.weekday === weekday);
        const weekend = weekday > 5;
        return (
          <li
            key={weekday}
            data-testid={`weekday-${weekday}`}
            className={clsx(
              'flex flex-col gap-2 rounded-lg border p-2 sm:min-h-32',
              weekend
                ? 'border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900/50'
                : 'border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900',
            )}
          >
            <h3 className="text-sm font-semibold">
              <span className="lg:hidden">{t(`shiftCalendar.weekdays.${weekday}`)}</span>
              <span className="hidden lg:inline">{t(`shiftCalendar.weekdaysShort.${weekday}`)}</span>
            </h3>
            {dayShifts.length === 0 && (
              <p className="text-xs text-slate-500 dark:text-slate-400">{t('shiftCalendar.dayOff')}</p>
            )}
            <ul className="flex flex-col gap-1.5">
              {dayShifts.map(({ shift, index }) => {
                const problem = Object.entries(problems).find(([key]) => key.startsWith(`shifts.${index}.`));
                return (
                  <li
                    key={index}
                    className={clsx(
                      'flex items-start gap-1 rounded-md border text-sm',
                      problem
                        ? 'border-red-400 bg-red-50 dark:border-red-700 dark:bg-red-950/40'
                        : 'border-sky-200 bg-sky-50 dark:border-sky-800 dark:bg-sky-950/50',
                    )}
                  >
                    <button
                      type="button"
                      onClick={() => onEdit(index)}
                      title={t('shiftCalendar.editShift')}
                      className="min-w-0 flex-1 px-2 py-1 text-left break-words hover:underline focus-visible:outline-2 focus-visible:outline-sky-500"
                    >
                      <ShiftChipText shift={shift} />
                      {problem && (
                        <span className="block text-xs text-red-700 dark:text-red-400">{problem[1]}</span>
                      )}
                    </button>
                    <button
                      type="button"
                      onClick={() => onRemove(index)}
                      aria-label={t('shiftCalendar.removeShiftNamed', {
                        shift: `${shift.name ?? ''} ${shift.start}–${shift.end}`.trim(),
                      })}
                      className="rounded p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-900 dark:hover:bg-slate-800 dark:hover:text-slate-100"
                    >
                      <X aria-hidden className="size-3.5" />
                    </button>
                  </li>
                );
              })}
            </ul>
            <button
              type="button"
              onClick={() => onAdd(weekday)}
              className="mt-auto inline-flex items-center gap-1 self-start rounded px-1.5 py-0.5 text-xs text-sky-700 hover:bg-sky-100 dark:text-sky-400 dark:hover:bg-sky-900/50"
            >
              <Plus aria-hidden className="size-3.5" />
              {t('shiftCalendar.addShort')}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
