import { createHmac } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import type { Tables } from './tables.ts';

// bigint ids and counts fit in a JavaScript number for any plant's lifetime.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
// Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
const INT8_ARRAY = 1016 as unknown as Parameters<typeof pg.types.getTypeParser>[0];
const parseTextArray = pg.types.getTypeParser(INT8_ARRAY);
pg.types.setTypeParser(INT8_ARRAY, (value) =>
  (parseTextArray(value) as string[]).map((item) => Number.parseInt(item, 10)),
);

export type Db = Kysely<Tables>;
/** A connection inside `Database.transaction`: every statement runs in that transaction's scope. */
export type Tx = Kysely<Tables>;

/** What a transaction may see: row-level security reads these settings (see migrations/0001). */
export interface Scope {
  userId: number | null;
  siteIds: readonly number[];
  /** Admin-wide reads of records that belong to no site, and every site. */
  allSites: boolean;
}

export const SYSTEM_SCOPE: Scope = { userId: null, siteIds: [], allSites: true };

export interface Database {
  /** Runs `work` in one transaction whose row-level security is keyed on `scope`. */
  transaction<T>(scope: Scope, work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Single statements outside a transaction. No site setting is made, so row-level security shows no
   * site-owned row: use it only for identity lookups (users, sessions), never for site data.
   */
  direct: Db;
  ping(): Promise<void>;
  queryCount(): number;
  close(): Promise<void>;
  pool: pg.Pool;
}

export const APP_ROLE = 'hom_app';

/** The application role's password, derived from HOM's secret so every process agrees on it. */
export function appRolePassword(secret: string): string {
  return createHmac('sha256', secret).update('database:hom_app').digest('base64url');
}

/** The URL the application uses: never the owner, never a superuser (see docs/adr/0001). */
export function appUrlFrom(ownerUrl: string, secret: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = appRolePassword(secret);
  return url.toString();
}

export function createDatabase(url: string, poolSize: number, log: Logger): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => log.error({ err: error }, 'idle database connection failed'));
  let queries = 0;
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool }),
    log: () => {
      queries += 1;
    },
  });

  return {
    pool,
    direct: db,
    async transaction(scope, work) {
      // BEGIN and the row-level-security settings travel in one round trip (simple protocol, so
      // the values are inlined: they are checked integers and on/off, never caller text).
      const opening = sql.raw(`begin; ${scopeStatement(scope)}`);
      return db.connection().execute(async (connection) => {
        await opening.execute(connection);
        try {
          const result = await work(connection);
          await sql.raw('commit').execute(connection);
          return result;
        } catch (error) {
          await sql
            .raw('rollback')
            .execute(connection)
            .catch(() => undefined);
          throw error;
        }
      });
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    queryCount: () => queries,
    async close() {
      await db.destroy();
    },
  };
}

function scopeStatement(scope: Scope): string {
  const ids = [...scope.siteIds, ...(scope.userId === null ? [] : [scope.userId])];
  if (!ids.every((id) => Number.isSafeInteger(id) && id > 0))
    throw new Error('A scope holds only positive integer ids');
  const userId = scope.userId === null ? '' : String(scope.userId);
  return `select set_config('hom.user_id', '${userId}', true), set_config('hom.site_ids', '{${scope.siteIds.join(',')}}', true), set_config('hom.all_sites', '${scope.allSites ? 'on' : 'off'}', true)`;
}
