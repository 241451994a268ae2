import { sql } from 'kysely';
import type { Tx } from '../../../platform/db/database.ts';
import type { ConnectionStatus, SecurityModeName, SecurityPolicyName } from './opcua.dto.ts';
import type {} from './opcua.schema.ts';

/** A connection row as HOM keeps it (the password still sealed). */
export interface ConnectionRow {
  id: number;
  site_id: number;
  machine_id: number;
  endpoint_url: string;
  security_mode: SecurityModeName;
  security_policy: SecurityPolicyName;
  username: string | null;
  password_encrypted: string | null;
  cycle_node_id: string | null;
  state_node_id: string | null;
  good_node_id: string | null;
  reject_node_id: string | null;
  state_map: Record<string, string>;
  publishing_interval_ms: number;
  enabled: boolean;
  status: ConnectionStatus;
  last_error: string | null;
  status_changed_at: Date;
  last_connected_at: Date | null;
  last_data_at: Date | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: Date;
  updated_at: Date;
}

export type ConnectionValues = Pick<
  ConnectionRow,
  | 'endpoint_url'
  | 'security_mode'
  | 'security_policy'
  | 'username'
  | 'password_encrypted'
  | 'cycle_node_id'
  | 'state_node_id'
  | 'good_node_id'
  | 'reject_node_id'
  | 'state_map'
  | 'publishing_interval_ms'
  | 'enabled'
>;

function selectConnections(tx: Tx) {
  return tx.selectFrom('opcua_connections').selectAll();
}

export async function findByMachine(
  tx: Tx,
  machineId: number,
  lock = false,
): Promise<ConnectionRow | undefined> {
  let query = selectConnections(tx).where('machine_id', '=', machineId);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) as ConnectionRow | undefined;
}

export async function insertConnection(
  tx: Tx,
  row: ConnectionValues & { site_id: number; machine_id: number; created_by: number | null },
): Promise<void> {
  await tx
    .insertInto('opcua_connections')
    .values({
      ...row,
      state_map: JSON.stringify(row.state_map),
      updated_by: row.created_by,
      status: row.enabled ? 'connecting' : 'disabled',
    })
    .execute();
}

/** A configuration change: ingest processes reload the connection (updated_at moves). */
export async function updateConnection(
  tx: Tx,
  machineId: number,
  values: ConnectionValues & { updated_by: number | null },
): Promise<void> {
  await tx
    .updateTable('opcua_connections')
    .set({
      ...values,
      state_map: JSON.stringify(values.state_map),
      updated_at: new Date(),
      status: values.enabled ? 'connecting' : 'disabled',
      last_error: null,
      status_changed_at: new Date(),
    })
    .where('machine_id', '=', machineId)
    .execute();
}

export async function deleteConnection(tx: Tx, machineId: number): Promise<void> {
  await tx.deleteFrom('opcua_connections').where('machine_id', '=', machineId).execute();
}

/** Every enabled connection, for the ingest process (system scope). */
export async function enabledConnections(tx: Tx): Promise<ConnectionRow[]> {
  return (await selectConnections(tx).where('enabled', '=', true).orderBy('id').execute()) as ConnectionRow[];
}

/** What the ingest process saw of these machines' connection; the status' time moves only when it changes. */
export async function setStatus(
  tx: Tx,
  machineIds: readonly number[],
  update: { status: ConnectionStatus; last_error: string | null; at: Date; connected?: boolean },
): Promise<void> {
  if (machineIds.length === 0) return;
  await tx
    .updateTable('opcua_connections')
    .set((eb) => ({
      status: update.status,
      last_error: update.last_error === null ? null : update.last_error.slice(0, 1000),
      status_changed_at: eb
        .case()
        .when('status', '=', update.status)
        .then(eb.ref('status_changed_at'))
        .else(update.at)
        .end(),
      ...(update.connected ? { last_connected_at: update.at } : {}),
    }))
    .where('machine_id', 'in', machineIds)
    .where('enabled', '=', true)
    .execute();
}

export async function setLastData(tx: Tx, machineIds: readonly number[], at: Date): Promise<void> {
  if (machineIds.length === 0) return;
  await tx
    .updateTable('opcua_connections')
    .set({ last_data_at: at })
    .where('machine_id', 'in', machineIds)
    .execute();
}

/** PostgreSQL NOTIFY channel: a connection was created, changed or removed (ingest processes reload). */
export const CONFIG_CHANNEL = 'hom_opcua_config';

export async function notifyConfigChanged(tx: Tx, machineId: number): Promise<void> {
  await sql`select pg_notify(${CONFIG_CHANNEL}, ${String(machineId)})`.execute(tx);
}

/** What the certificate store's changes say on CONFIG_CHANNEL (the ingest reloads its store). */
export const CERTIFICATES_CHANGED = 'certificates';

export async function notifyCertificatesChanged(tx: Tx): Promise<void> {
  await sql`select pg_notify(${CONFIG_CHANNEL}, ${CERTIFICATES_CHANGED})`.execute(tx);
}
