/**
 * An open-loop load generator: requests start on a fixed schedule (`rate` per second), whether or not
 * earlier ones have been answered, and each latency is counted from the moment its request was due,
 * so a server that falls behind shows it in the percentiles (no coordinated omission).
 */
import { percentile } from './ingest-common.ts';

export interface StepResult {
  rate: number;
  seconds: number;
  scheduled: number;
  completed: number;
  failed: number;
  /** Due but not answered within the step plus its grace period. */
  unanswered: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answered requests per second of the step. */
  achieved: number;
  firstError?: string;
}

export interface Step extends StepResult {
  /** Resolves once every request of the step has ended (answered, failed, or the limit below passed). */
  settled: Promise<void>;
}

/**
 * Fires `send(i)` at `rate` per second for `seconds`, then waits up to `graceMs` for the stragglers.
 * A request still open after the grace period counts as unanswered (and as slower than anything else);
 * `settled` tells when those have ended too (a backlog left behind would slow the next step down).
 */
export async function openLoop(
  rate: number,
  seconds: number,
  send: (i: number) => Promise<void>,
  graceMs = 5_000,
): Promise<Step> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  let issued = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (issued < total && start + issued * interval <= now) {
        const due = start + issued * interval;
        const request = send(issued).then(
          () => {
            latencies.push(performance.now() - due);
          },
          (error: unknown) => {
            failed += 1;
            firstError ??= (error as Error).message;
          },
        );
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
        issued += 1;
      }
      if (issued >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, start + issued * interval - performance.now())));
    };
    tick();
  });
  const deadline = performance.now() + graceMs;
  while (inFlight.size > 0 && performance.now() < deadline) {
    await Promise.race([Promise.race(inFlight), new Promise((r) => setTimeout(r, 50))]);
  }
  const unanswered = inFlight.size;
  const settled = Promise.allSettled([...inFlight]).then(() => undefined);
  const sorted = latencies.sort((a, b) => a - b);
  // Unanswered requests are slower than every answered one: they push the percentiles up.
  const withMissing = unanswered > 0 ? [...sorted, ...Array<number>(unanswered).fill(Infinity)] : sorted;
  const result: Step = {
    settled,
    rate,
    seconds,
    scheduled: total,
    completed: sorted.length,
    failed,
    unanswered,
    p50Ms: percentile(withMissing, 50),
    p99Ms: percentile(withMissing, 99),
    maxMs: withMissing.at(-1) ?? Number.NaN,
    achieved: sorted.length / seconds,
  };
  if (firstError) result.firstError = firstError;
  return result;
}
