import { api } from '../../lib/api.ts';

export const MACHINE_STATES = ['running', 'idle', 'setup', 'stopped', 'fault', 'unknown'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

export interface BoardSparkline {
  reading_type: string;
  unit: string | null;
  last_value: number;
  last_at: string;
  /** [ISO minute, average], oldest first. */
  points: [string, number][];
}

export interface BoardMachine {
  id: number;
  code: string;
  name: string;
  site_id: number;
  line: { id: number; code: string; name: string };
  state: MachineState;
  state_since: string | null;
  stale: { source: string; reason: string; since: string }[];
  tools: {
    tool_id: number;
    asset_number: string;
    name: string;
    position: string;
    total_shots: number;
    life_limit_shots: number | null;
    life_used_percent: number | null;
  }[];
  last_cycle_at: string | null;
  shift: { start: string; end: string; name: string | null } | null;
  counts: { cycle: number; good: number; reject: number };
  oee: {
    oee: number | null;
    availability: number | null;
    performance: number | null;
    quality: number | null;
  } | null;
  sparklines: BoardSparkline[];
}

export interface Board {
  generated_at: string;
  machines: BoardMachine[];
}

export interface TimelinePeriod {
  start: string;
  end: string;
  open: boolean;
}

export interface Timeline {
  machine_id: number;
  from: string;
  to: string;
  states: (TimelinePeriod & { state: MachineState; raw_value: string | null; source: string })[];
  stale: (TimelinePeriod & { source: string; reason: string })[];
  truncated: boolean;
}

export interface ReadingType {
  reading_type: string;
  unit: string | null;
  last_value: number;
  last_at: string;
  stale: boolean;
  low: number | null;
  high: number | null;
}

export type SeriesBucket = 'raw' | '1m' | '1h';

export interface ReadingSeries {
  reading_type: string;
  bucket: SeriesBucket;
  from: string;
  to: string;
  unit: string | null;
  truncated: boolean;
  points: { t: string; n: number; avg: number; min: number; max: number; last: number }[];
}

export interface DowntimeSpan {
  id: number;
  start_datetime: string;
  end_datetime: string | null;
  source: string;
  reason_name: string | null;
}

export const boardKeys = {
  all: ['machine-board'] as const,
  board: (siteId: number) => ['machine-board', 'board', siteId] as const,
  timeline: (machineId: number, from: string, to: string) =>
    ['machine-board', 'timeline', machineId, from, to] as const,
  readingTypes: (machineId: number) => ['machine-board', 'reading-types', machineId] as const,
  series: (machineId: number, type: string, bucket: SeriesBucket, from: string, to: string) =>
    ['machine-board', 'series', machineId, type, bucket, from, to] as const,
  downtimes: (machineId: number, from: string, to: string) =>
    ['machine-board', 'downtimes', machineId, from, to] as const,
};

export const fetchBoard = (siteId: number) => api.get<Board>('/machines/board', { site_id: siteId });

export const fetchTimeline = (machineId: number, from: string, to: string) =>
  api.get<Timeline>(`/machines/${machineId}/states`, { from, to });

export const fetchReadingTypes = (machineId: number) =>
  api.get<ReadingType[]>(`/machines/${machineId}/reading-types`);

export const fetchSeries = (
  machineId: number,
  type: string,
  bucket: SeriesBucket,
  from: string,
  to: string,
) =>
  api.get<ReadingSeries>(`/machines/${machineId}/readings/series`, { reading_type: type, bucket, from, to });

export const fetchDowntimes = (machineId: number, from: string, to: string) =>
  api
    .get<{ items: DowntimeSpan[] }>('/downtimes', { machine_id: machineId, from, to, limit: 200 })
    .then((page) => page.items);
