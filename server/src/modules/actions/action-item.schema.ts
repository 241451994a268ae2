import type { Generated } from 'kysely';

export const ACTION_SOURCES = [
  'failure_report',
  'maintenance_log',
  'pm_plan',
  'quality_alert',
  'manual',
] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];
export const ACTION_STATUSES = ['open', 'in_progress', 'completed', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ActionPriority = (typeof ACTION_PRIORITIES)[number];
export const ACTION_EVENT_KINDS = [
  'created',
  'edited',
  'assigned',
  'rescheduled',
  'status',
  'escalated',
  'comment',
] as const;
export type ActionEventKind = (typeof ACTION_EVENT_KINDS)[number];

export interface ActionItemTable {
  id: Generated<number>;
  site_id: number;
  title: string;
  description: string | null;
  source: ActionSource;
  source_id: number | null;
  machine_id: number | null;
  tool_id: number | null;
  priority: Generated<ActionPriority>;
  assignee_id: number | null;
  due_at: Date | null;
  status: Generated<ActionStatus>;
  resolution: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: Date | null;
  completed_by: number | null;
  overdue_notified_at: Date | null;
  escalation_level: Generated<number>;
  /** When it was last escalated to the site's managers (migration 0013). */
  escalated_at: Generated<Date | null>;
}

export interface ActionItemEventTable {
  id: Generated<number>;
  action_item_id: number;
  site_id: number;
  at: Generated<Date>;
  actor_user_id: number | null;
  kind: ActionEventKind;
  from_value: string | null;
  to_value: string | null;
  note: string | null;
}

export interface ActionDigestTable {
  user_id: number;
  digest_date: string;
  sent_at: Generated<Date>;
  open_count: number;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    action_digests: ActionDigestTable;
    action_items: ActionItemTable;
    action_item_events: ActionItemEventTable;
  }
}
