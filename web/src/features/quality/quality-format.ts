import type { TFunction } from 'i18next';
import i18n from '../../i18n/index.ts';
import type { TileColour, Verdict } from './quality-api.ts';

export const verdictTone = { PASS: 'good', FAIL: 'bad', NO_LIMIT: 'neutral' } as const satisfies Record<
  Verdict,
  string
>;

/** Tailwind classes of a machine tile by its colour (border, background, the dot). */
export const tileColours: Record<TileColour, { box: string; dot: string }> = {
  green: {
    box: 'border-emerald-400 bg-emerald-50 dark:border-emerald-700 dark:bg-emerald-950/40',
    dot: 'bg-emerald-600',
  },
  amber: {
    box: 'border-amber-400 bg-amber-50 dark:border-amber-600 dark:bg-amber-950/40',
    dot: 'bg-amber-500',
  },
  red: { box: 'border-red-400 bg-red-50 dark:border-red-700 dark:bg-red-950/40', dot: 'bg-red-600' },
  grey: {
    box: 'border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900',
    dot: 'bg-slate-400',
  },
};

/** Chart colours of the verdicts (same in both themes). */
export const verdictColour: Record<Verdict, string> = {
  PASS: '#059669',
  FAIL: '#dc2626',
  NO_LIMIT: '#94a3b8',
};

// Intl formatters are costly to build and the feed formats hundreds of values per render: one each per language.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(
  kind: string,
  build: (language: string) => T,
): T {
  const language = i18n.resolvedLanguage ?? 'en';
  const key = `${kind}:${language}`;
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = build(language);
    formatters.set(key, formatter);
  }
  return formatter;
}

/** A measured value with up to `digits` decimals, in the reader's language. */
export function formatValue(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const format = cached(
    `value${digits}`,
    (language) => new Intl.NumberFormat(language, { maximumFractionDigits: digits }),
  );
  return format.format(value);
}

/** "10 … 15", "≥ 10", "≤ 15", or null without limits. */
export function limitsText(lower: number | null, upper: number | null): string | null {
  if (lower !== null && upper !== null) return `${formatValue(lower)} … ${formatValue(upper)}`;
  if (lower !== null) return `≥ ${formatValue(lower)}`;
  if (upper !== null) return `≤ ${formatValue(upper)}`;
  return null;
}

/** A clock time with seconds, "14:05:09", for the live feed. */
export function formatClockTime(iso: string): string {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  return cached('clock', (language) => new Intl.DateTimeFormat(language, { timeStyle: 'medium' })).format(
    moment,
  );
}

/** "14:00" for an hourly bucket. */
export function formatHour(moment: string | number): string {
  const format = cached(
    'hour',
    (language) => new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }),
  );
  return format.format(new Date(moment));
}

/** "Dec 2, 04:13" for a point of a control chart. */
export function formatPointTime(iso: string): string {
  const format = cached(
    'point',
    (language) =>
      new Intl.DateTimeFormat(language, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }),
  );
  return format.format(new Date(iso));
}

const spcReasons = ['too_few_points', 'no_limits', 'no_variation'];

/** Why Cp/Cpk are missing, in the reader's language. */
export function spcReasonText(t: TFunction, reason: string | null): string | null {
  if (!reason) return null;
  return spcReasons.includes(reason) ? t(`quality.spc.reasons.${reason}`) : reason;
}

/** The product × step pair as one selector value (the separator cannot occur in either). */
export const pairKey = (product: string, step: string) => `${product}\u0000${step}`;
export function splitPair(key: string): { product_id: string; test_step: string } | null {
  const [product, step] = key.split('\u0000');
  return product && step ? { product_id: product, test_step: step } : null;
}
