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
