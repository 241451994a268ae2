import { ApiError, api } from '../../lib/api.ts';

export const SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export const SECURITY_POLICIES = [
  'None',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
  'Basic256',
  'Basic128Rsa15',
] as const;
export const MACHINE_STATES = ['running', 'idle', 'stopped', 'fault', 'setup', 'unknown'] as const;
export const NODE_ROLES = ['cycle', 'state', 'good', 'reject'] as const;
export type SecurityMode = (typeof SECURITY_MODES)[number];
export type SecurityPolicy = (typeof SECURITY_POLICIES)[number];
export type MachineState = (typeof MACHINE_STATES)[number];
export type NodeRole = (typeof NODE_ROLES)[number];

export interface OpcuaConnection {
  machine_id: number;
  endpoint_url: string;
  security_mode: SecurityMode;
  security_policy: SecurityPolicy;
  username: string | null;
  has_password: boolean;
  cycle_node_id: string | null;
  state_node_id: string | null;
  good_node_id: string | null;
  reject_node_id: string | null;
  state_map: Record<string, MachineState>;
  publishing_interval_ms: number;
  enabled: boolean;
  status: 'connecting' | 'connected' | 'reconnecting' | 'stalled' | 'error' | 'disabled';
  last_error: string | null;
  status_changed_at: string;
  last_connected_at: string | null;
  last_data_at: string | null;
  updated_at: string;
}

export interface EndpointSettings {
  endpoint_url: string;
  security_mode: SecurityMode;
  security_policy: SecurityPolicy;
  username?: string | null;
  password?: string;
}

export interface ConnectionInput extends EndpointSettings {
  cycle_node_id: string | null;
  state_node_id: string | null;
  good_node_id: string | null;
  reject_node_id: string | null;
  state_map: Record<string, MachineState>;
  publishing_interval_ms: number;
  enabled: boolean;
}

export interface BrowseChild {
  node_id: string;
  browse_name: string;
  display_name: string;
  node_class: string;
  data_type: string | null;
  value: string | number | boolean | null;
  has_children: boolean;
}

export interface BrowseResult {
  node_id: string;
  children: BrowseChild[];
  truncated: boolean;
}

export interface TestResult {
  endpoint_url: string;
  duration_ms: number;
  nodes: {
    role: NodeRole;
    node_id: string;
    ok: boolean;
    status: string;
    data_type: string | null;
    value: string | number | boolean | null;
    state: MachineState | null;
    message: string | null;
  }[];
}

export const opcuaKeys = {
  connection: (machineId: number) => ['machines', machineId, 'opcua'] as const,
  certificates: ['opcua', 'certificates'] as const,
};

const base = (machineId: number) => `/machines/${machineId}/opcua`;

/** The machine's connection, or null when it has none yet. */
export async function fetchOpcuaConnection(machineId: number): Promise<OpcuaConnection | null> {
  try {
    return await api.get<OpcuaConnection>(base(machineId));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'OPCUA_NOT_CONFIGURED') return null;
    throw error;
  }
}

export const saveOpcuaConnection = (machineId: number, input: ConnectionInput) =>
  api.put<OpcuaConnection>(base(machineId), input);
export const removeOpcuaConnection = (machineId: number) => api.delete(base(machineId));
export const browseOpcua = (machineId: number, endpoint: EndpointSettings, nodeId?: string) =>
  api.post<BrowseResult>(`${base(machineId)}/browse`, { endpoint, ...(nodeId ? { node_id: nodeId } : {}) });
export const testOpcua = (
  machineId: number,
  body: { endpoint: EndpointSettings } & Partial<Record<`${NodeRole}_node_id`, string | null>> & {
      state_map?: Record<string, MachineState>;
    },
) => api.post<TestResult>(`${base(machineId)}/test`, body);

/** The default map the server applies when none is given (kept in step with opcua.values.ts). */
export const DEFAULT_STATE_MAP: Record<string, MachineState> = {
  '0': 'stopped',
  '1': 'running',
  '2': 'idle',
  '3': 'fault',
  '4': 'setup',
  true: 'running',
  false: 'stopped',
};

/** A certificate in HOM's OPC-UA store (GET /opcua/certificates). */
export interface OpcuaCertificate {
  thumbprint: string;
  subject: string;
  application_uri: string | null;
  valid_from: string;
  valid_to: string;
  status: 'own' | 'trusted' | 'rejected';
}
export interface OpcuaCertificates {
  own: (OpcuaCertificate & { pem: string }) | null;
  servers: OpcuaCertificate[];
}

export const fetchCertificates = () => api.get<OpcuaCertificates>('/opcua/certificates');
export const OWN_CERTIFICATE_PATH = '/opcua/certificates/own.pem';
export const setCertificateTrust = (thumbprint: string, action: 'trust' | 'reject') =>
  api.post<OpcuaCertificate>(`/opcua/certificates/${thumbprint}/${action}`);
