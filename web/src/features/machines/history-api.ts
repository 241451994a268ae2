import { api } from '../../lib/api.ts';

export type HistoryKind = 'downtime' | 'repair' | 'change';

export interface HistoryItem {
  kind: HistoryKind;
  at: string;
  id: number | string;
  summary: string;
  actor_username?: string | null;
  details?: unknown;
}

export interface HistoryPage {
  items: HistoryItem[];
  next_cursor: string | null;
}

export const historyKeys = {
  all: ['machine-history'] as const,
  machine: (machineId: number) => ['machine-history', machineId] as const,
};

export const fetchHistoryPage = (machineId: number, cursor: string | null) =>
  api.get<HistoryPage>(`/machines/${machineId}/history`, { cursor });
