import { api } from '../../lib/api.ts';

/** A machine's stop settings (docs/auto-downtime.md) and the ideal cycle time in effect now. */
export interface DowntimeSettings {
  machine_id: number;
  site_id: number;
  stop_threshold_seconds: number;
  no_cycle_factor: number;
  ideal_cycle_seconds: number | null;
  mounted_tool: {
    tool_id: number;
    asset_number: string;
    name: string;
    ideal_cycle_seconds: number | null;
  } | null;
  effective_ideal_cycle_seconds: number | null;
}

/** What PUT takes: all three, the ideal cycle time null to clear it. */
export interface DowntimeSettingsInput {
  stop_threshold_seconds: number | null;
  no_cycle_factor: number | null;
  ideal_cycle_seconds: number | null;
}

export const downtimeSettingsKeys = {
  of: (machineId: number) => ['machine-settings', 'downtime', machineId] as const,
};

export const fetchDowntimeSettings = (machineId: number) =>
  api.get<DowntimeSettings>(`/machines/${machineId}/downtime-settings`);

export const saveDowntimeSettings = (machineId: number, input: DowntimeSettingsInput) =>
  api.put<DowntimeSettings>(`/machines/${machineId}/downtime-settings`, input);
