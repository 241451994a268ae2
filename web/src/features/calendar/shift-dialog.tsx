import { clsx } from 'clsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Input } from '../../components/ui/field.tsx';
import { isOvernight, weekdays, workdays, type Shift } from './calendar-api.ts';

export interface ShiftDraft {
  weekdays: number[];
  start: string;
  end: string;
  name: string;
}

interface ShiftDialogProps {
  initial: ShiftDraft;
  /** Editing an existing shift (offers removal) rather than adding new ones. */
  editing: boolean;
  onSave: (shifts: Shift[]) => void;
  onRemove?: () => void;
  onClose: () => void;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Add one shift on several weekdays at once ("Mon–Fri 06:00–14:00 Early"), or edit one. */
export function ShiftDialog({ initial, editing, onSave, onRemove, onClose }: ShiftDialogProps) {
  const { t } = useTranslation();
  const [days, setDays] = useState<number[]>(initial.weekdays);
  const [start, setStart] = useState(initial.start);
  const [end, setEnd] = useState(initial.end);
  const [name, setName] = useState(initial.name);
  const [tried, setTried] = useState(false);

  const toggle = (day: number) =>
    setDays((list) => (list.includes(day) ? list.filter((d) => d !== day) : [...list, day].sort()));
  const problems = {
    days: days.length === 0 ? t('shiftCalendar.pickWeekday') : undefined,
    start: TIME.test(start) ? undefined : t('shiftCalendar.badTime'),
    end: TIME.test(end) ? undefined : t('shiftCalendar.badTime'),
  };
  const valid = !problems.days && !problems.start && !problems.end;

  const submit = () => {
    setTried(true);
    if (!valid) return;
    const trimmed = name.trim();
    onSave(days.map((weekday) => ({ weekday, start, end, ...(trimmed ? { name: trimmed } : {}) })));
  };

  const presetClass = 'text-xs text-sky-700 underline-offset-2 hover:underline dark:text-sky-400';
  return (
    <Dialog
      open
      title={editing ? t('shiftCalendar.editShift') : t('shiftCalendar.addShift')}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          {onRemove && (
            <Button tone="danger" className="mr-auto" onClick={onRemove}>
              {t('shiftCalendar.removeShift')}
            </Button>
          )}
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit">{editing ? t('shiftCalendar.apply') : t('shiftCalendar.add')}</Button>
        </>
      }
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">
          {t('shiftCalendar.weekdaysLabel')}
        </legend>
        <div className="flex flex-wrap gap-1.5">
          {weekdays.map((day) => (
            <button
              key={day}
              type="button"
              aria-pressed={days.includes(day)}
              aria-label={t(`shiftCalendar.weekdays.${day}`)}
              onClick={() => toggle(day)}
              className={clsx(
                'min-w-12 rounded-md border px-2.5 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-500',
                days.includes(day)
                  ? 'border-sky-700 bg-sky-700 text-white dark:border-sky-500 dark:bg-sky-600'
                  : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
              )}
            >
              {t(`shiftCalendar.weekdaysShort.${day}`)}
            </button>
          ))}
        </div>
        <div className="flex gap-3">
          <button type="button" className={presetClass} onClick={() => setDays(workdays)}>
            {t('shiftCalendar.monFri')}
          </button>
          <button type="button" className={presetClass} onClick={() => setDays([...weekdays])}>
            {t('shiftCalendar.everyDay')}
          </button>
          <button type="button" className={presetClass} onClick={() => setDays([])}>
            {t('shiftCalendar.noDays')}
          </button>
        </div>
        {tried && problems.days && (
          <p role="alert" className="text-xs text-red-700 dark:text-red-400">
            {problems.days}
          </p>
        )}
      </fieldset>
      <div className="grid grid-cols-2 gap-3">
        <Input
          type="time"
          label={t('shiftCalendar.start')}
          required
          value={start}
          error={tried ? problems.start : undefined}
          onChange={(event) => setStart(event.target.value)}
        />
        <Input
          type="time"
          label={t('shiftCalendar.end')}
          required
          value={end}
          error={tried ? problems.end : undefined}
          hint={
            TIME.test(start) && TIME.test(end) && isOvernight({ start, end })
              ? t('shiftCalendar.overnightHint')
              : undefined
          }
          onChange={(event) => setEnd(event.target.value)}
        />
      </div>
      <Input
        label={t('shiftCalendar.name')}
        hint={t('shiftCalendar.nameHint')}
        maxLength={60}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
    </Dialog>
  );
}
