import type { ColumnType, Generated } from 'kysely';
import type { PmState } from './pm.due.ts';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;
/** numeric arrives as a string from pg; reads cast it to float8 in SQL. */
type Share = ColumnType<number, number | undefined, number>;

export interface PmPlanTable {
  id: Generated<number>;
  site_id: number;
  tool_id: number;
  name: string;
  every_shots: number | null;
  every_days: number | null;
  warn_at_share: Share;
  checklist_template_id: number | null;
  responsible_user_id: number | null;
  is_active: Generated<boolean>;
  last_done_at: Date;
  shots_at_last_done: number;
  last_log_id: number | null;
  state: Generated<PmState>;
  state_changed_at: Generated<Date>;
  warned_at: Date | null;
  due_raised_at: Date | null;
  overdue_notified_at: Date | null;
  action_item_id: number | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    pm_plans: PmPlanTable;
  }
}
