import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export interface ChecklistTemplateTable {
  id: Generated<number>;
  /** Null: shared by every site. */
  site_id: number | null;
  name: string;
  description: string | null;
  applies_to: string;
  is_active: Generated<boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ChecklistTemplateItemTable {
  id: Generated<number>;
  template_id: number;
  site_id: number | null;
  position: number;
  text: string;
  required: boolean;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    checklist_templates: ChecklistTemplateTable;
    checklist_template_items: ChecklistTemplateItemTable;
  }
}
