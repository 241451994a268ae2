import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;

export interface SpecLimitTable {
  id: Generated<number>;
  site_id: number;
  product_code: string;
  test_step: string;
  lower_limit: number | null;
  upper_limit: number | null;
  target: number | null;
  unit: string | null;
  effective_from: Date;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface TestResultTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  barcode: string;
  product_code: string;
  test_step: string;
  measured_value: number;
  unit: string | null;
  measured_at: Date;
  received_at: Generated<Date>;
  verdict: string;
  limit_id: number | null;
  lower_limit: number | null;
  upper_limit: number | null;
}

export interface IngestDeadLetterTable {
  id: Generated<number>;
  received_at: Generated<Date>;
  source: string;
  reason: string;
  payload: string;
  attempts: Generated<number>;
  replayed_at: Date | null;
  replayed_by: number | null;
}

export interface QualityAlertRuleTable {
  site_id: number;
  consecutive_fails: Generated<number>;
  min_pass_rate: ColumnType<string, number | undefined, number>;
  min_sample: Generated<number>;
  updated_at: Generated<Date>;
}

export interface QualityAlertTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  test_step: string;
  kind: string;
  message: string;
  raised_at: Generated<Date>;
  cleared_at: Date | null;
  acknowledged_by: number | null;
  acknowledged_at: Date | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    spec_limits: SpecLimitTable;
    test_results: TestResultTable;
    ingest_dead_letters: IngestDeadLetterTable;
    quality_alert_rules: QualityAlertRuleTable;
    quality_alerts: QualityAlertTable;
  }
}
