/**
 * Interval arithmetic for OEE (docs/kpis.md "OEE"): half-open spans [start, end) in epoch milliseconds.
 * A "set" is a sorted list of disjoint, non-touching spans, as `union` returns it; every other function
 * takes and returns sets.
 */

export interface Span {
  start: number;
  end: number;
}

/** A span from instants; an open end (still going) ends at `now`. Empty spans are dropped later. */
export function spanOf(start: Date, end: Date | null, now: Date): Span {
  return { start: start.getTime(), end: (end ?? now).getTime() };
}

/** Sorted, merged, without empty spans: spans that overlap or touch become one. */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  return merged;
}

/** The parts of set `a` that are also in set `b`. */
export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Span;
    const y = b[j] as Span;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) out.push({ start, end });
    if (x.end < y.end) i += 1;
    else j += 1;
  }
  return out;
}

/** The parts of set `a` that are not in set `b`. */
export function subtract(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const span of a) {
    let start = span.start;
    while (j < b.length && (b[j] as Span).end <= start) j += 1;
    let k = j;
    while (k < b.length && (b[k] as Span).start < span.end) {
      const cut = b[k] as Span;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
      k += 1;
    }
    if (span.end > start) out.push({ start, end: span.end });
  }
  return out;
}

/** Set `a` clipped to one span (the period). */
export function clip(a: readonly Span[], window: Span): Span[] {
  return intersect(a, window.end > window.start ? [window] : []);
}

/** Total length of a set, in seconds. */
export function seconds(set: readonly Span[]): number {
  return set.reduce((total, span) => total + (span.end - span.start), 0) / 1000;
}

/** Whether an instant lies in a set (start inclusive, end exclusive). */
export function contains(set: readonly Span[], at: number): boolean {
  return set.some((span) => span.start <= at && at < span.end);
}
