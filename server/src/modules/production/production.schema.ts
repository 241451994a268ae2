import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export interface ProductionRouteTable {
  id: Generated<number>;
  site_id: number;
  product_code: string | null;
  name: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RouteStepTable {
  route_id: number;
  site_id: number;
  position: number;
  stage_name: string;
  weight: ColumnType<string, number, number>;
}

export interface WorkOrderTable {
  id: Generated<number>;
  site_id: number;
  line_id: number | null;
  product_code: string;
  lot_no: string;
  qty: number;
  planned_start: Date;
  planned_end: Date;
  status: Generated<string>;
  actual_start: Date | null;
  actual_end: Date | null;
  notes: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WorkOrderStageTable {
  id: Generated<number>;
  site_id: number;
  work_order_id: number;
  position: number;
  stage_name: string;
  machine_id: number | null;
  planned_start: Date | null;
  planned_end: Date | null;
  actual_start: Date | null;
  actual_end: Date | null;
  status: Generated<string>;
  started_by: number | null;
  finished_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StageAssignmentTable {
  work_order_stage_id: number;
  user_id: number;
  site_id: number;
  assigned_by: number | null;
  assigned_at: Generated<Date>;
}

export interface IssueTypeTable {
  code: string;
  name: string;
  name_ru: string | null;
  is_active: Generated<boolean>;
  sort_order: Generated<number>;
}

export interface ProductionIssueTable {
  id: Generated<number>;
  site_id: number;
  work_order_stage_id: number;
  type: string;
  description: string;
  status: Generated<string>;
  machine_id: number | null;
  downtime_id: number | null;
  created_by: number | null;
  created_at: CreatedAt;
  acknowledged_by: number | null;
  acknowledged_at: Date | null;
  resolved_by: number | null;
  resolved_at: Date | null;
  resolution_note: string | null;
  updated_at: UpdatedAt;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    production_routes: ProductionRouteTable;
    route_steps: RouteStepTable;
    work_orders: WorkOrderTable;
    work_order_stages: WorkOrderStageTable;
    stage_assignments: StageAssignmentTable;
    issue_types: IssueTypeTable;
    production_issues: ProductionIssueTable;
  }
}
