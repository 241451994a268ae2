import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { fetchKpis, kpiKeys, lastDays, type KpiScope } from './kpi-api.ts';

/** KPIs of the last `days` days and of the `days` before them, for the trend. */
export function useKpiPeriods(scope: KpiScope | null, days = 30) {
  // the period is fixed when the page opens so the query key stays stable; it ends at the next full
  // minute (the server counts only up to now), so a stop recorded a moment ago is inside it
  const [now] = useState(() => Math.ceil((Date.now() + 1) / 60_000) * 60_000);
  const current = lastDays(days, 0, now);
  const previous = lastDays(days, 1, now);
  const enabled = scope !== null;
  const fallback = { site_id: 0 } as KpiScope;
  const currentQuery = useQuery({
    queryKey: kpiKeys.scope(scope ?? fallback, current.from, current.to),
    queryFn: () => fetchKpis(scope ?? fallback, current.from, current.to),
    enabled,
  });
  const previousQuery = useQuery({
    queryKey: kpiKeys.scope(scope ?? fallback, previous.from, previous.to),
    queryFn: () => fetchKpis(scope ?? fallback, previous.from, previous.to),
    enabled,
  });
  return { current: currentQuery, previous: previousQuery };
}
