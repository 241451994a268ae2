import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export interface SiteTable {
  id: Generated<number>;
  code: string;
  name: string;
  time_zone: string;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  full_name: string | null;
  email: string | null;
  phone: string | null;
  role: string;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserSiteTable {
  user_id: number;
  site_id: number;
  created_at: CreatedAt;
}

export interface SessionTable {
  id: Generated<number>;
  user_id: number;
  created_at: CreatedAt;
  revoked_at: Date | null;
  user_agent: string | null;
  client_ip: string | null;
}

export interface RefreshTokenTable {
  id: Generated<number>;
  session_id: number;
  token_hash: Buffer;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface ApiKeyTable {
  id: Generated<number>;
  site_id: number;
  name: string;
  prefix: string;
  key_hash: Buffer;
  role: Generated<string>;
  created_by: number | null;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  username: string;
  client_ip: string;
  succeeded: boolean;
  at: Generated<Date>;
}

export interface SettingTable {
  key: string;
  value: unknown;
  updated_at: Generated<Date>;
  updated_by: number | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    sites: SiteTable;
    users: UserTable;
    user_sites: UserSiteTable;
    sessions: SessionTable;
    refresh_tokens: RefreshTokenTable;
    api_keys: ApiKeyTable;
    login_attempts: LoginAttemptTable;
    settings: SettingTable;
  }
}
