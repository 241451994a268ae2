import type { ActionStatus } from './action-item.schema.ts';

/** Every status move an action item knows, and who may make it. */
export const ACTION_TRANSITIONS: Record<ActionStatus, Partial<Record<ActionStatus, 'work' | 'manage'>>> = {
  open: { in_progress: 'work', cancelled: 'manage' },
  in_progress: { completed: 'work', cancelled: 'manage' },
  completed: { open: 'manage' },
  cancelled: {},
};

/**
 * The moves a person may make on an item now: managers (action:manage) any move; the assignee with
 * action:work starts and completes their own item.
 */
export function allowedTransitions(
  from: ActionStatus,
  who: { canManage: boolean; canWork: boolean; isAssignee: boolean },
): ActionStatus[] {
  return (Object.entries(ACTION_TRANSITIONS[from]) as [ActionStatus, 'work' | 'manage'][])
    .filter(([, needs]) => who.canManage || (needs === 'work' && who.canWork && who.isAssignee))
    .map(([to]) => to);
}

export function isKnownTransition(from: ActionStatus, to: ActionStatus): boolean {
  return to in ACTION_TRANSITIONS[from];
}
