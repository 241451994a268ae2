/**
 * The permission matrix: the one place that says which role may do what.
 * docs/permissions.md shows the same table; permissions.test.ts walks every role × every operation.
 */
export const PERMISSIONS = {
  'user:read': 'See user accounts (to assign work)',
  'user:manage': 'Create, edit and disable users; set roles and site memberships',
  'site:read': 'See the sites one is a member of',
  'site:manage': 'Create and edit sites',
  'apikey:manage': 'Create and revoke machine API keys',
  'audit:read': 'Browse the audit log',
  'settings:manage': 'Change system settings such as self-registration',
  'notification:read': 'Read and mark one’s own notifications',
  'ingest:write': 'Send machine data (test results, readings)',
  'ingest:manage': 'See results the pipeline could never process, and send them again',
  'plant:read': 'See lines, machines, their repairs, downtime, history and KPIs',
  'plant:manage': 'Create, edit, deactivate, import and export lines and machines',
  'downtime:record': 'Record a machine stop, give its reason, end it',
  'repair:write': 'Create and edit repairs',
  'catalog:manage': 'Edit reason codes, failure codes, issue types and shift calendars',
  'production:read': 'See work orders, their stages, issues, routes and production metrics',
  'workorder:plan': 'Create and edit work orders and routes, assign people, act on any stage',
  'stage:work': 'Start and finish the stages one is assigned to, report issues on them',
  'issue:manage': 'See every production issue; acknowledge and resolve them',
  'quality:manage': 'Manage spec limits and quality alert rules',
  'tool:manage': 'Register tools and moulds, their photos, mounting and preventive-maintenance plans',
  'shots:record': 'Enter and import tool shot-counter readings',
  'toollog:write': 'Write maintenance logs of tools and machines',
  'failure:report': 'Report failures of tools and machines, with photos',
  'action:work': 'See and work on the action items assigned to oneself',
  'action:manage': 'Create, assign, reschedule and cancel any action item on one’s sites',
  'report:read': 'Export lists and download the weekly maintenance report',
  'telemetry:manage':
    'Connect machines (OPC-UA endpoints and nodes), set reading thresholds, stop thresholds and ideal cycle times',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ROLE_NAMES = [
  'admin',
  'manager',
  'planner',
  'technician',
  'operator',
  'viewer',
  'machine',
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Accepted on input for the production-tracking mobile client; stored as the canonical name. */
export const ROLE_ALIASES: Record<string, RoleName> = { worker: 'operator' };

/** The role a self-registered account gets: it can sign in and see nothing until an admin grants more. */
export const LOWEST_ROLE: RoleName = 'viewer';

const everyone: Permission[] = ['site:read', 'notification:read', 'plant:read', 'production:read'];

export const ROLES: Record<RoleName, { description: string; permissions: readonly Permission[] }> = {
  admin: {
    description: 'Runs HOM: users, sites, keys, settings, everything',
    permissions: Object.keys(PERMISSIONS) as Permission[],
  },
  manager: {
    description: 'Steers maintenance and production',
    permissions: [
      ...everyone,
      'user:read',
      'audit:read',
      'plant:manage',
      'downtime:record',
      'repair:write',
      'issue:manage',
      'quality:manage',
      'tool:manage',
      'shots:record',
      'toollog:write',
      'failure:report',
      'action:work',
      'action:manage',
      'report:read',
      'telemetry:manage',
    ],
  },
  planner: {
    description: 'Plans work orders and assigns people',
    permissions: [
      ...everyone,
      'user:read',
      'workorder:plan',
      'stage:work',
      'issue:manage',
      'failure:report',
      'action:work',
      'action:manage',
      'report:read',
    ],
  },
  technician: {
    description: 'Repairs machines and tools',
    permissions: [
      ...everyone,
      'user:read',
      'downtime:record',
      'repair:write',
      'tool:manage',
      'shots:record',
      'toollog:write',
      'failure:report',
      'action:work',
      'report:read',
    ],
  },
  operator: {
    description: 'Runs the line (the mobile client calls this role worker)',
    permissions: [
      ...everyone,
      'downtime:record',
      'stage:work',
      'shots:record',
      'failure:report',
      'action:work',
    ],
  },
  viewer: { description: 'Reads dashboards', permissions: everyone },
  machine: {
    description: 'A machine or test station sending data with an API key',
    permissions: ['ingest:write'],
  },
};

export function isRoleName(value: string): value is RoleName {
  return (ROLE_NAMES as readonly string[]).includes(value);
}

export function permissionsOf(role: string): ReadonlySet<Permission> {
  return new Set(isRoleName(role) ? ROLES[role].permissions : []);
}
