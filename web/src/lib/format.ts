import i18n from '../i18n/index.ts';

/** A moment shown in the reader's language and zone, e.g. "22 Nov 2025, 14:05". */
export function formatMoment(iso: string | null | undefined): string {
  if (!iso) return '—';
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  return new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(moment);
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(i18n.resolvedLanguage ?? 'en').format(value);
}

/** A span of seconds as "2 h 05 min", "4 min 12 s" or "37 s". */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds)) return '—';
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const ru = (i18n.resolvedLanguage ?? 'en') === 'ru';
  const [h, m, s] = ru ? ['ч', 'мин', 'с'] : ['h', 'min', 's'];
  if (hours > 0) return `${hours} ${h} ${String(minutes).padStart(2, '0')} ${m}`;
  if (minutes > 0) return `${minutes} ${m} ${String(rest).padStart(2, '0')} ${s}`;
  return `${rest} ${s}`;
}

/** A clock-style running duration, "1:02:07", for big live counters. */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${Math.floor(seconds / 3600)}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

export function formatDecimal(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(i18n.resolvedLanguage ?? 'en', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatPercent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return new Intl.NumberFormat(i18n.resolvedLanguage ?? 'en', {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);
}

const pad2 = (value: number) => String(Math.abs(value)).padStart(2, '0');

/** An ISO moment as a `datetime-local` value in the reader's zone ("2025-03-03T14:05:09"). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return '';
  const date = `${moment.getFullYear()}-${pad2(moment.getMonth() + 1)}-${pad2(moment.getDate())}`;
  return `${date}T${pad2(moment.getHours())}:${pad2(moment.getMinutes())}:${pad2(moment.getSeconds())}`;
}

/** A `datetime-local` value as ISO 8601 with the reader's offset ("2025-03-03T14:05:00+01:00"). */
export function fromLocalInput(local: string): string | null {
  if (!local) return null;
  const moment = new Date(local);
  if (Number.isNaN(moment.getTime())) return null;
  const offset = -moment.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${toLocalInput(moment.toISOString())}${sign}${pad2(Math.trunc(offset / 60))}:${pad2(offset % 60)}`;
}

/** Pick the Russian name when the UI speaks Russian and one is set. */
export function localName(name: string, nameRu: string | null | undefined): string {
  return (i18n.resolvedLanguage ?? 'en') === 'ru' && nameRu ? nameRu : name;
}
