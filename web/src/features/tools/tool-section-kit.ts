import type { Tool } from './tools-api.ts';

/** What every section of the tool page receives. */
export interface ToolSectionProps {
  tool: Tool;
}

/** A horizontal line on the shots chart (PM plans add "PM due at N shots", "warning at 90 %"). */
export interface ShotThreshold {
  label: string;
  shots: number;
  colour?: string;
}

export const sectionClass =
  'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';
