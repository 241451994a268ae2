import type { ColumnType, Generated } from 'kysely';

export interface OpcuaConnectionTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  endpoint_url: string;
  security_mode: string;
  security_policy: string;
  username: string | null;
  password_encrypted: string | null;
  cycle_node_id: string | null;
  state_node_id: string | null;
  good_node_id: string | null;
  reject_node_id: string | null;
  state_map: ColumnType<Record<string, string>, string, string>;
  publishing_interval_ms: number;
  enabled: boolean;
  status: Generated<string>;
  last_error: string | null;
  status_changed_at: Generated<Date>;
  last_connected_at: Date | null;
  last_data_at: Date | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../../platform/db/tables.ts' {
  interface Tables {
    opcua_connections: OpcuaConnectionTable;
  }
}
