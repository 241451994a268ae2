import type { MachineState } from './board-api.ts';

/** One colour per state, the same on the board, the timeline and in both themes. */
export const stateColour: Record<MachineState, string> = {
  running: '#10b981',
  idle: '#f59e0b',
  setup: '#d97706',
  stopped: '#64748b',
  fault: '#dc2626',
  unknown: '#cbd5e1',
};

/** The card's edge and tint per state (Tailwind classes, light and dark). */
export const stateCardClass: Record<MachineState, string> = {
  running: 'border-l-emerald-500 bg-emerald-50 dark:bg-emerald-900/30',
  idle: 'border-l-amber-500 bg-amber-50 dark:bg-amber-700/20',
  setup: 'border-l-amber-600 bg-amber-50 dark:bg-amber-700/20',
  stopped: 'border-l-slate-500 bg-slate-100 dark:bg-slate-800/80',
  fault: 'border-l-red-600 bg-red-50 dark:bg-red-900/50',
  unknown: 'border-l-slate-300 bg-white dark:border-l-slate-600 dark:bg-slate-900',
};

/** Stale data: diagonal hatching over the card (the colour says what was last known, not now). */
export const staleStyle = {
  backgroundImage: 'repeating-linear-gradient(135deg, rgba(100,116,139,0.16) 0 6px, transparent 6px 14px)',
} as const;
