import i18n from '../../i18n/index.ts';

/**
 * A limit as the reader writes numbers, to 15 significant digits: enough for any limit a station
 * reports, and 0.1 stays 0.1 (a fixed number of decimals would round 0.0005 away).
 */
export function formatLimit(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(i18n.resolvedLanguage ?? 'en', { maximumSignificantDigits: 15 }).format(value);
}
