import { clsx } from 'clsx';
import { useTranslation } from 'react-i18next';
import { formatMoment } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import type { Stage } from './production-api.ts';
import { formatWindow } from './production-format.ts';

const HOUR = 3600_000;
const ms = (iso: string | null) => (iso ? new Date(iso).getTime() : null);

interface Span {
  left: number;
  width: number;
}

/** The time axis all bars share: every planned and actual moment, and now while a stage runs. */
function axisOf(stages: Stage[], window: { start: string; end: string } | undefined, now: number) {
  const moments: number[] = [];
  if (window) moments.push(new Date(window.start).getTime(), new Date(window.end).getTime());
  for (const stage of stages) {
    for (const iso of [stage.planned_start, stage.planned_end, stage.actual_start, stage.actual_end]) {
      const moment = ms(iso);
      if (moment !== null) moments.push(moment);
    }
    if (stage.status === 'in_progress') moments.push(now);
  }
  if (moments.length === 0) return null;
  let from = Math.min(...moments);
  let to = Math.max(...moments);
  if (to - from < HOUR) to = from + HOUR;
  const pad = (to - from) * 0.02;
  from -= pad;
  to += pad;
  const span = (start: number | null, end: number | null): Span | null => {
    if (start === null || end === null) return null;
    const left = ((start - from) / (to - from)) * 100;
    return { left, width: Math.max(0.6, ((end - start) / (to - from)) * 100) };
  };
  return { from, to, span, nowAt: now >= from && now <= to ? ((now - from) / (to - from)) * 100 : null };
}

/** Green while the run stays within the planned duration, red once it took longer (docs/kpis.md: on time). */
function actualTone(stage: Stage, now: number): string {
  const plannedStart = ms(stage.planned_start);
  const plannedEnd = ms(stage.planned_end);
  const actualStart = ms(stage.actual_start);
  const actualEnd = ms(stage.actual_end) ?? now;
  const late =
    plannedStart !== null &&
    plannedEnd !== null &&
    actualStart !== null &&
    actualEnd - actualStart > plannedEnd - plannedStart;
  if (stage.status === 'in_progress') return late ? 'bg-red-500' : 'bg-amber-500';
  return late ? 'bg-red-600 dark:bg-red-500' : 'bg-emerald-600 dark:bg-emerald-500';
}

/** A small Gantt chart: per stage the planned window (light) above the actual run (solid). */
export function StageTimeline({
  stages,
  window,
  compact = false,
}: {
  stages: Stage[];
  window?: { start: string; end: string };
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const now = useNow(60_000);
  const axis = axisOf(stages, window, now);
  if (!axis || stages.length === 0) {
    return <p className="text-sm text-slate-500">{t('production.noStages')}</p>;
  }
  return (
    <div role="group" aria-label={t('production.timeline')} className="space-y-1">
      <div
        className={clsx(
          'grid gap-2 text-xs text-slate-500',
          compact ? 'grid-cols-[6rem_1fr]' : 'grid-cols-[9rem_1fr]',
        )}
      >
        <span />
        <div className="flex justify-between">
          <span>{formatMoment(new Date(axis.from).toISOString())}</span>
          <span>{formatMoment(new Date(axis.to).toISOString())}</span>
        </div>
      </div>
      {stages.map((stage) => {
        const planned = axis.span(ms(stage.planned_start), ms(stage.planned_end));
        const actual = axis.span(
          ms(stage.actual_start),
          ms(stage.actual_end) ?? (stage.status === 'in_progress' ? now : null),
        );
        const summary = `${t('production.planned')}: ${formatWindow(stage.planned_start, stage.planned_end)}; ${t(
          'production.actual',
        )}: ${stage.actual_start ? formatWindow(stage.actual_start, stage.actual_end) : '—'}`;
        return (
          <div
            key={stage.id}
            data-testid={`timeline-stage-${stage.id}`}
            className={clsx(
              'grid items-center gap-2',
              compact ? 'grid-cols-[6rem_1fr]' : 'grid-cols-[9rem_1fr]',
            )}
          >
            <span className="truncate text-xs font-medium" title={stage.stage_name}>
              {stage.stage_name}
            </span>
            <div
              title={summary}
              className={clsx('relative rounded bg-slate-100 dark:bg-slate-800', compact ? 'h-5' : 'h-7')}
            >
              <span className="sr-only">{summary}</span>
              {planned && (
                <span
                  aria-hidden
                  className="absolute top-0.5 h-[40%] rounded-sm border border-sky-500 bg-sky-200 dark:border-sky-400 dark:bg-sky-900"
                  style={{ left: `${planned.left}%`, width: `${planned.width}%` }}
                />
              )}
              {actual && (
                <span
                  aria-hidden
                  className={clsx('absolute bottom-0.5 h-[40%] rounded-sm', actualTone(stage, now))}
                  style={{ left: `${actual.left}%`, width: `${actual.width}%` }}
                />
              )}
              {axis.nowAt !== null && (
                <span
                  aria-hidden
                  className="absolute inset-y-0 w-px bg-slate-900 dark:bg-white"
                  style={{ left: `${axis.nowAt}%` }}
                />
              )}
            </div>
          </div>
        );
      })}
      {!compact && <TimelineLegend />}
    </div>
  );
}

function TimelineLegend() {
  const { t } = useTranslation();
  const item = (className: string, label: string) => (
    <span className="inline-flex items-center gap-1">
      <span aria-hidden className={clsx('inline-block h-2 w-4 rounded-sm', className)} />
      {label}
    </span>
  );
  return (
    <p className="flex flex-wrap gap-3 pt-1 text-xs text-slate-600 dark:text-slate-400">
      {item('border border-sky-500 bg-sky-200 dark:bg-sky-900', t('production.legend.planned'))}
      {item('bg-emerald-600', t('production.legend.onTime'))}
      {item('bg-amber-500', t('production.legend.running'))}
      {item('bg-red-600', t('production.legend.late'))}
      {item('w-px bg-slate-900 dark:bg-white', t('production.legend.now'))}
    </p>
  );
}
