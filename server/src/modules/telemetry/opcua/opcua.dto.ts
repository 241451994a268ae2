import { z } from 'zod';
import { MACHINE_STATES } from '../signals.types.ts';

export const SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export type SecurityModeName = (typeof SECURITY_MODES)[number];
/** The policies node-opcua speaks; Basic128Rsa15 and Basic256 are deprecated but older PLCs still offer them. */
export const SECURITY_POLICIES = [
  'None',
  'Basic128Rsa15',
  'Basic256',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
] as const;
export type SecurityPolicyName = (typeof SECURITY_POLICIES)[number];
export const CONNECTION_STATUSES = [
  'connecting',
  'connected',
  'reconnecting',
  'stalled',
  'error',
  'disabled',
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
/** What each configured node is to HOM. */
export const NODE_ROLES = ['cycle', 'state', 'good', 'reject'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const machineParam = z.object({ machine_id: id });

const NODE_ID_HINT =
  'an OPC-UA node id such as ns=2;s=Press1.Cycles, i=2258, ns=3;g=<guid> or ns=1;b=<base64>';
const NODE_ID =
  /^(?:ns=(\d{1,5});)?(?:i=(\d{1,10})|s=[^\r\n]+|g=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|b=[A-Za-z0-9+/]+={0,2})$/i;

/** Node id syntax (OPC-UA Part 6 §5.3.1.10), namespace by index; whether the node exists is the server's to say. */
export const nodeId = z
  .string({ error: NODE_ID_HINT })
  .trim()
  .min(3, NODE_ID_HINT)
  .max(500, 'at most 500 characters')
  .refine((value) => {
    const match = NODE_ID.exec(value);
    if (!match) return false;
    const [, ns, numeric] = match;
    return (
      (ns === undefined || Number(ns) <= 65_535) &&
      (numeric === undefined || Number(numeric) <= 4_294_967_295)
    );
  }, NODE_ID_HINT);

const ENDPOINT_HINT =
  'an OPC-UA endpoint URL such as opc.tcp://192.168.0.10:4840 or opc.tcp://press1:4840/UA/Server';
export const endpointUrl = z
  .string({ error: ENDPOINT_HINT })
  .trim()
  .max(500, 'at most 500 characters')
  .regex(
    /^opc\.tcp:\/\/(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::\d{1,5})?(?:\/\S*)?$/,
    ENDPOINT_HINT,
  )
  .refine((value) => {
    const port = /^opc\.tcp:\/\/(?:\[[^\]]+\]|[^/:]+):(\d+)/.exec(value)?.[1];
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65_535);
  }, 'the port must be 1–65535');

const stateKey = z.string().trim().min(1, 'a raw value').max(100);
/** Raw value as text ('1', 'true', 'RUNNING') → HOM state. */
export const stateMap = z
  .record(stateKey, z.enum(MACHINE_STATES, { error: `one of ${MACHINE_STATES.join(', ')}` }))
  .refine((map) => Object.keys(map).length <= 100, 'at most 100 mapped values');

const optionalNode = nodeId.nullable().optional();

/** The security fields every connection, browse and test shares; mode None goes with policy None only. */
const security = {
  endpoint_url: endpointUrl,
  security_mode: z.enum(SECURITY_MODES).default('None'),
  security_policy: z.enum(SECURITY_POLICIES).default('None'),
  /** Null or absent: anonymous. */
  username: z.string().trim().min(1, 'a user name, or null for anonymous').max(200).nullable().optional(),
  /** Write-only. Absent: keep the stored one (same user name); never returned. */
  password: z.string().min(1, 'a password').max(500).optional(),
};
function pairedSecurity(value: { security_mode: string; security_policy: string }, ctx: z.RefinementCtx) {
  if ((value.security_mode === 'None') !== (value.security_policy === 'None')) {
    ctx.addIssue({
      code: 'custom',
      path: ['security_policy'],
      message:
        value.security_mode === 'None'
          ? 'security mode None goes with policy None'
          : `security mode ${value.security_mode} needs a policy such as Basic256Sha256`,
    });
  }
}

export const endpointInput = z.object(security).strict().superRefine(pairedSecurity);
export type EndpointInput = z.output<typeof endpointInput>;

export const connectionInput = z
  .object({
    ...security,
    cycle_node_id: optionalNode,
    state_node_id: optionalNode,
    good_node_id: optionalNode,
    reject_node_id: optionalNode,
    /** Absent: the default map (0 stopped, 1 running, 2 idle, 3 fault, 4 setup, true running, false stopped). */
    state_map: stateMap.optional(),
    publishing_interval_ms: z.number().int().min(50).max(60_000).default(1000),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((value, ctx) => {
    pairedSecurity(value, ctx);
    if (!value.cycle_node_id && !value.state_node_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['cycle_node_id'],
        message: 'give the cycle counter node, the state node, or both',
      });
    }
  });
export type ConnectionInput = z.output<typeof connectionInput>;

export const connectionOutput = z.object({
  id: z.number(),
  machine_id: z.number(),
  site_id: z.number(),
  endpoint_url: z.string(),
  security_mode: z.enum(SECURITY_MODES),
  security_policy: z.enum(SECURITY_POLICIES),
  username: z.string().nullable(),
  has_password: z.boolean(),
  cycle_node_id: z.string().nullable(),
  state_node_id: z.string().nullable(),
  good_node_id: z.string().nullable(),
  reject_node_id: z.string().nullable(),
  state_map: z.record(z.string(), z.enum(MACHINE_STATES)),
  publishing_interval_ms: z.number(),
  enabled: z.boolean(),
  status: z.enum(CONNECTION_STATUSES),
  last_error: z.string().nullable(),
  status_changed_at: z.date(),
  last_connected_at: z.date().nullable(),
  last_data_at: z.date().nullable(),
  created_by: z.number().nullable(),
  updated_by: z.number().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type ConnectionOutput = z.output<typeof connectionOutput>;

export const browseInput = z
  .object({
    /** Browse another endpoint than the stored one (while configuring); the stored password fills in. */
    endpoint: endpointInput.optional(),
    /** The node to expand; default the Objects folder (i=85). */
    node_id: nodeId.optional(),
  })
  .strict();
export type BrowseInput = z.output<typeof browseInput>;

const jsonValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const browseOutput = z.object({
  node_id: z.string(),
  children: z.array(
    z.object({
      node_id: z.string(),
      browse_name: z.string(),
      display_name: z.string(),
      node_class: z.string(),
      /** For variables: the value's data type (UInt32, Int32, Boolean, …). */
      data_type: z.string().nullable(),
      value: jsonValue,
      has_children: z.boolean(),
    }),
  ),
  /** More children than one answer lists (500). */
  truncated: z.boolean(),
});
export type BrowseOutput = z.output<typeof browseOutput>;

/** Test the stored connection, or (with a body) the settings in the form before they are saved. */
export const testInput = z
  .object({
    endpoint: endpointInput.optional(),
    cycle_node_id: optionalNode,
    state_node_id: optionalNode,
    good_node_id: optionalNode,
    reject_node_id: optionalNode,
    state_map: stateMap.optional(),
  })
  .strict();
export type TestInput = z.output<typeof testInput>;

export const testOutput = z.object({
  endpoint_url: z.string(),
  security_mode: z.enum(SECURITY_MODES),
  security_policy: z.enum(SECURITY_POLICIES),
  duration_ms: z.number(),
  nodes: z.array(
    z.object({
      role: z.enum(NODE_ROLES),
      node_id: z.string(),
      ok: z.boolean(),
      status: z.string(),
      data_type: z.string().nullable(),
      value: jsonValue,
      /** For the state node: the HOM state the value maps to. */
      state: z.enum(MACHINE_STATES).nullable(),
      /** What is wrong with this node for its role (unknown node, not a whole number ≥ 0, …). */
      message: z.string().nullable(),
    }),
  ),
});
export type TestOutput = z.output<typeof testOutput>;

/** A certificate in HOM's OPC-UA store (docs/opcua.md "Certificates"). */
export const certificateOutput = z.object({
  /** SHA-1 of the DER, lower-case hex: what trust and reject take. */
  thumbprint: z.string(),
  subject: z.string(),
  application_uri: z.string().nullable(),
  valid_from: z.date(),
  valid_to: z.date(),
  /** own: HOM's client certificate; trusted / rejected: a server's, as HOM treats it. */
  status: z.enum(['own', 'trusted', 'rejected']),
});
export type CertificateOutput = z.output<typeof certificateOutput>;

export const certificatesOutput = z.object({
  /** Null until HOM's first OPC-UA connection (or test) created it. */
  own: certificateOutput.extend({ pem: z.string() }).nullable(),
  servers: z.array(certificateOutput),
});
export type CertificatesOutput = z.output<typeof certificatesOutput>;

export const thumbprintParam = z.object({
  thumbprint: z
    .string()
    .regex(
      /^[0-9a-fA-F]{40}$/,
      'a SHA-1 thumbprint: 40 hexadecimal digits, as GET /opcua/certificates lists them',
    ),
});
