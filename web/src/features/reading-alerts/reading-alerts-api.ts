import { ApiError, api } from '../../lib/api.ts';

/** A reading that went beyond a machine's low or high limit (GET /reading-alerts). */
export interface ReadingAlert {
  id: number;
  site_id: number;
  machine_id: number;
  machine_code: string;
  reading_type: string;
  kind: 'high' | 'low';
  threshold: number;
  first_value: number;
  /** The farthest value beyond the limit while the alert was open. */
  peak_value: number;
  unit: string | null;
  opened_at: string;
  closed_at: string | null;
}

/** The limits configured for one machine and reading type (GET /machines/{id}/thresholds/{type}). */
export interface ReadingThreshold {
  id: number;
  machine_id: number;
  reading_type: string;
  low: number | null;
  high: number | null;
  /** 0 = never stale; null = the default rule. */
  stale_after_seconds: number | null;
  updated_at: string;
}

export interface ThresholdInput {
  low: number | null;
  high: number | null;
  stale_after_seconds: number | null;
}

export interface AlertFilter {
  machine_id?: number;
  /** Only alerts still beyond their limit; all (newest first) when false. */
  openOnly: boolean;
}

/** Shown at most in one list (the API's limit is 500). */
export const ALERT_LIMIT = 200;

export const readingAlertKeys = {
  all: ['reading-alerts'] as const,
  list: (filter: AlertFilter) => ['reading-alerts', 'list', filter] as const,
  threshold: (machineId: number, type: string) => ['reading-alerts', 'threshold', machineId, type] as const,
};

export const fetchReadingAlerts = (filter: AlertFilter) =>
  api.get<ReadingAlert[]>('/reading-alerts', {
    machine_id: filter.machine_id,
    open: filter.openOnly ? 'true' : undefined,
    limit: ALERT_LIMIT,
  });

const thresholdPath = (machineId: number, type: string) =>
  `/machines/${machineId}/thresholds/${encodeURIComponent(type)}`;

/** The pair's configured limits, or null when none are set (404). */
export async function fetchThreshold(machineId: number, type: string): Promise<ReadingThreshold | null> {
  try {
    return await api.get<ReadingThreshold>(thresholdPath(machineId, type));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export const saveThreshold = (machineId: number, type: string, input: ThresholdInput) =>
  api.put<ReadingThreshold>(thresholdPath(machineId, type), input);

export const removeThreshold = (machineId: number, type: string) =>
  api.delete(thresholdPath(machineId, type));
