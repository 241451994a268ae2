/** Clocks of tablets drift: times up to this far ahead of the server are taken as "now". */
export const CLOCK_SKEW_MS = 120_000;

/** The longest period production metrics are computed over in one request. */
export const MAX_METRICS_DAYS = 366;
