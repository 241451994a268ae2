import { CalendarX2, Plus, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/field.tsx';
import i18n from '../../i18n/index.ts';

interface NonWorkingDatesProps {
  dates: string[];
  problems: Record<string, string>;
  onChange: (dates: string[]) => void;
}

/** "Thu, 25 Dec 2025" in the reader's language; the date is a calendar day, not a moment. */
function formatDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const value = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  if (Number.isNaN(value.getTime())) return date;
  return new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(value);
}

/** Holidays and shutdown days: nothing is planned on them, whatever the weekly shifts say. */
export function NonWorkingDates({ dates, problems, onChange }: NonWorkingDatesProps) {
  const { t } = useTranslation();
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | undefined>();

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return setError(t('shiftCalendar.pickDate'));
    if (dates.includes(date)) return setError(t('shiftCalendar.dateExists'));
    onChange([...dates, date].sort());
    setDate('');
    setError(undefined);
  };

  return (
    <section
      aria-labelledby="non-working-title"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div>
        <h2 id="non-working-title" className="font-semibold">
          {t('shiftCalendar.nonWorkingTitle')}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('shiftCalendar.nonWorkingHint')}</p>
      </div>
      <form onSubmit={add} className="flex flex-wrap items-end gap-2">
        <div className="w-48">
          <Input
            type="date"
            label={t('shiftCalendar.date')}
            value={date}
            error={error}
            onChange={(event) => setDate(event.target.value)}
          />
        </div>
        <Button type="submit" tone="secondary" className={error ? 'mb-5' : undefined}>
          <Plus aria-hidden className="size-4" />
          {t('shiftCalendar.addDate')}
        </Button>
      </form>
      {dates.length === 0 ? (
        <p className="flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400">
          <CalendarX2 aria-hidden className="size-4" />
          {t('shiftCalendar.noDates')}
        </p>
      ) : (
        <ul className="flex flex-wrap gap-2" data-testid="non-working-dates">
          {dates.map((day, index) => {
            const problem = problems[`non_working_dates.${index}`];
            return (
              <li
                key={day}
                className="inline-flex items-center gap-1 rounded-full border border-slate-300 bg-slate-50 py-0.5 pr-1 pl-3 text-sm dark:border-slate-700 dark:bg-slate-800"
              >
                <time dateTime={day}>{formatDay(day)}</time>
                {problem && <span className="text-xs text-red-700 dark:text-red-400">{problem}</span>}
                <button
                  type="button"
                  onClick={() => onChange(dates.filter((other) => other !== day))}
                  aria-label={t('shiftCalendar.removeDate', { date: formatDay(day) })}
                  className="rounded-full p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-900 dark:hover:bg-slate-700 dark:hover:text-slate-100"
                >
                  <X aria-hidden className="size-3.5" />
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
