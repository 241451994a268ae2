import { useEffect, useState } from 'react';

/** The current time in milliseconds, refreshed every `intervalMs` (for live-ticking durations). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Seconds from an ISO moment to `now` (never negative). */
export function secondsSince(iso: string, now: number): number {
  return Math.max(0, (now - new Date(iso).getTime()) / 1000);
}
