import type { TFunction } from 'i18next';
import i18n from '../../i18n/index.ts';
import { formatDuration, formatMoment, formatPercent } from '../../lib/format.ts';

const metricReasons = [
  'not_started',
  'not_finished',
  'no_planned_window',
  'zero_actual_duration',
  'nothing_finished_in_period',
  'no_planned_windows',
];

/** "3 Mar 2026, 06:00 – 14:00", or both moments in full when the window spans days. */
export function formatWindow(start: string | null, end: string | null): string {
  if (!start && !end) return '—';
  if (!end) return `${formatMoment(start)} – …`;
  if (!start) return `… – ${formatMoment(end)}`;
  const from = new Date(start);
  const to = new Date(end);
  if (from.toDateString() !== to.toDateString()) return `${formatMoment(start)} – ${formatMoment(end)}`;
  const time = new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', { timeStyle: 'short' }).format(to);
  return `${formatMoment(start)} – ${time}`;
}

export const formatMinutes = (minutes: number | null | undefined) =>
  minutes === null || minutes === undefined ? '—' : formatDuration(Math.abs(minutes) * 60);

/** The server's percentages are 0…100 (efficiency can pass 100 when a stage ran faster than planned). */
export const formatPct = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : formatPercent(value / 100, 0);

/** "12 min late", "5 min early" or "on time". */
export function delayText(t: TFunction, minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '—';
  if (Math.round(minutes) === 0) return t('production.metrics.noDelay');
  return t(minutes > 0 ? 'production.metrics.late' : 'production.metrics.early', {
    duration: formatMinutes(minutes),
  });
}

/** Why a metric is empty, in the reader's language; `short` for a table cell. */
export function metricReasonText(t: TFunction, reason: string | null, short = false): string | null {
  if (!reason) return null;
  if (!metricReasons.includes(reason)) return reason;
  return t(`production.metrics.${short ? 'shortReasons' : 'reasons'}.${reason}`, {
    defaultValue: t(`production.metrics.reasons.${reason}`),
  });
}

export const personName = (person: { username: string; full_name: string | null }) =>
  person.full_name || person.username;

/** A calendar day in the reader's zone, "2026-03-31". */
export function localDay(moment = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

/** [from, to) covering the calendar days `fromDay`…`toDay` ("2026-03-01") in the reader's zone. */
export function dayRange(fromDay: string, toDay: string): { from?: string; to?: string } {
  const from = fromDay ? new Date(`${fromDay}T00:00:00`) : null;
  const to = toDay ? new Date(`${toDay}T00:00:00`) : null;
  if (to) to.setDate(to.getDate() + 1);
  return {
    from: from && !Number.isNaN(from.getTime()) ? from.toISOString() : undefined,
    to: to && !Number.isNaN(to.getTime()) ? to.toISOString() : undefined,
  };
}
