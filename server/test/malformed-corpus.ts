/**
 * A corpus of malformed requests, built as generators × write endpoints (see malformed-requests.test.ts).
 * Every case must be refused with a 4xx; none may reach a service with input it could write.
 */
export interface MalformedCase {
  category: string;
  name: string;
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  payload?: string | Buffer;
  /** Defaults to application/json when there is a payload; null sends no Content-Type at all. */
  contentType?: string | null;
  headers?: Record<string, string>;
  anonymous?: boolean;
  /** The exact status, where the category pins it down (otherwise any 4xx). */
  status?: number;
}

/** One write endpoint: a body that is valid but for the field under test, and wrong values per field (raw JSON). */
export interface Target {
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  anonymous?: boolean;
  base: Record<string, unknown>;
  fields: Record<string, string[]>;
  /** The fields a `{}` body lacks (empty when the body may be `{}` or is not read). */
  required: string[];
  /** The route has a `:id` parameter: `url` with the id replaced by `ID`. */
  idPath?: string;
  strict?: boolean;
  /** The route's own body limit, when it differs from the server's 1 MiB. */
  bodyLimitBytes?: number;
  /** The route reads multipart/form-data too: a malformed form is any 4xx there, not 415. */
  multipart?: boolean;
}

export interface CorpusIds {
  adminId: number;
  siteId: number;
  missingId: number;
}

const LONG = `"${'x'.repeat(100_000)}"`;
const HUGE_NUMBERS = ['1e400', '-1e400', '18446744073709551616', '9007199254740993'];
const TEXT = ['42', 'true', '[]', '{}', '["a"]', ...HUGE_NUMBERS];
const REQUIRED_TEXT = [...TEXT, 'null'];
const OPTIONAL_TEXT = [...TEXT, `"${'y'.repeat(300)}"`];
const BOOLEAN = ['"true"', '1', '0', 'null', '[]', '{}', '"yes"', '1e400'];
const ID = [...HUGE_NUMBERS, '-1', '0', '1.5', '-0', '"abc"', '""', '"1e400"', 'null', '{}', '[]', '"NaN"'];
const IDS = [
  '5',
  '"1"',
  'null',
  '{}',
  '[1e400]',
  '[-1]',
  '[0]',
  '[1.5]',
  '[9007199254740993]',
  '["abc"]',
  '[null]',
  `[${'7,'.repeat(500)}7]`,
];
const ROLE = [
  '"superuser"',
  '"root"',
  '""',
  '"owner"',
  '"admin\\u0000"',
  '"admin\'--"',
  '42',
  'null',
  '["admin"]',
];
const TIME_ZONE = [
  '"Mars/Olympus"',
  '"UTC+25"',
  '""',
  '"../../etc/passwd"',
  `"${'Europe/Berlin'.repeat(6)}"`,
  '42',
  'null',
];
const EMAIL = ['"not-an-email"', '"a@"', '"@b.example"', `"${'a'.repeat(300)}@example.com"`, '42', '[]'];
const USERNAME = ['""', '" "', '"-leading"', '"a"', '"has space"', '"semi;colon"', ...REQUIRED_TEXT];
const PASSWORD = ['"short"', '""', `"${'p'.repeat(257)}"`, ...REQUIRED_TEXT];
const INSTANT = ['42', 'true', 'null', '[]', '{}', '""', '"yesterday"', '"2026-13-45T00:00:00Z"', LONG];
const TOKEN = ['"short"', `"${'t'.repeat(201)}"`, ...REQUIRED_TEXT];

export function targets({ adminId, siteId, missingId }: CorpusIds): Target[] {
  const user = { full_name: OPTIONAL_TEXT, email: EMAIL, phone: OPTIONAL_TEXT };
  const newUser = { username: 'corpus-user', password: 'corpus-password-1' };
  const query = 'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }';
  return [
    {
      method: 'POST',
      url: '/auth/login',
      anonymous: true,
      base: { username: 'corpus-nobody', password: 'corpus-pass' },
      fields: { username: REQUIRED_TEXT, password: REQUIRED_TEXT },
      required: ['username', 'password'],
    },
    {
      method: 'POST',
      url: '/auth/refresh',
      anonymous: true,
      base: { refresh_token: 'r'.repeat(40) },
      fields: { refresh_token: TOKEN },
      required: ['refresh_token'],
    },
    // Anonymous on purpose: an admin's logout with a valid-looking body would end the admin's session.
    {
      method: 'POST',
      url: '/auth/logout',
      anonymous: true,
      base: { refresh_token: 'r'.repeat(40) },
      fields: { refresh_token: TOKEN },
      required: [],
    },
    {
      method: 'POST',
      url: '/auth/register',
      anonymous: true,
      base: newUser,
      fields: { username: USERNAME, password: PASSWORD, ...user },
      required: ['username', 'password'],
    },
    {
      method: 'POST',
      url: '/auth/users',
      base: { ...newUser, role: 'viewer' },
      fields: { username: USERNAME, password: PASSWORD, role: ROLE, ...user, site_ids: IDS },
      required: ['username', 'password', 'role'],
    },
    {
      method: 'PATCH',
      url: `/auth/users/${adminId}`,
      idPath: '/auth/users/ID',
      strict: true,
      base: {},
      fields: {
        ...user,
        role: ROLE,
        is_active: BOOLEAN,
        site_ids: IDS,
        password: PASSWORD.filter((v) => v !== 'null'),
      },
      required: [],
    },
    {
      method: 'PATCH',
      url: `/auth/users/${adminId}/role`,
      idPath: '/auth/users/ID/role',
      base: {},
      fields: { role: ROLE },
      required: ['role'],
    },
    {
      method: 'POST',
      url: '/sites',
      base: { code: 'CORPUS1', name: 'Corpus', time_zone: 'Europe/Berlin' },
      fields: {
        code: ['"-x"', '"has space"', `"${'c'.repeat(33)}"`, ...REQUIRED_TEXT],
        name: ['""', '"  "', ...REQUIRED_TEXT],
        time_zone: TIME_ZONE,
      },
      required: ['code', 'name', 'time_zone'],
    },
    {
      method: 'PATCH',
      url: `/sites/${siteId}`,
      idPath: '/sites/ID',
      strict: true,
      base: {},
      fields: { name: ['""', ...REQUIRED_TEXT], time_zone: TIME_ZONE, is_active: BOOLEAN },
      required: [],
    },
    {
      method: 'POST',
      url: '/api-keys',
      base: { site_id: siteId, name: 'corpus' },
      fields: { site_id: ID, name: ['""', ...REQUIRED_TEXT] },
      required: ['site_id', 'name'],
    },
    {
      method: 'POST',
      url: `/api-keys/${missingId}/revoke`,
      idPath: '/api-keys/ID/revoke',
      base: {},
      fields: {},
      required: [],
    },
    {
      method: 'PATCH',
      url: '/settings',
      strict: true,
      base: {},
      fields: { self_registration_enabled: BOOLEAN },
      required: ['self_registration_enabled'],
    },
    {
      method: 'POST',
      url: `/notifications/${missingId}/read`,
      idPath: '/notifications/ID/read',
      base: {},
      fields: {},
      required: [],
    },
    {
      method: 'POST',
      url: '/workorders/',
      base: {
        product_code: 'CORPUS-1',
        lot_no: 'L1',
        qty: 10,
        planned_start: '2026-01-05T06:00:00Z',
        planned_end: '2026-01-05T14:00:00Z',
        site_id: siteId,
      },
      fields: {
        product_code: ['""', '"has space"', `"${'p'.repeat(61)}"`, ...REQUIRED_TEXT],
        lot_no: ['""', `"${'l'.repeat(61)}"`, ...REQUIRED_TEXT],
        qty: ['0', '-1', '1.5', '"10"', 'true', 'null', ...HUGE_NUMBERS],
        planned_start: INSTANT,
        planned_end: [...INSTANT, '"2026-01-05T05:00:00Z"'],
        site_id: ID,
        line_id: ID.filter((value) => value !== 'null'),
        stages: [
          '[]',
          '{}',
          '"moulding"',
          '[{}]',
          '[{"stage_name":""}]',
          `[${'{"stage_name":"s"},'.repeat(50)}{"stage_name":"s"}]`,
        ],
      },
      required: ['product_code', 'lot_no', 'qty', 'planned_start', 'planned_end'],
    },
    {
      method: 'POST',
      url: `/stages/${missingId}/start`,
      idPath: '/stages/ID/start',
      strict: true,
      base: {},
      fields: { actual_start: INSTANT },
      required: [],
    },
    {
      method: 'POST',
      url: `/stages/${missingId}/issue`,
      idPath: '/stages/ID/issue',
      base: { type: 'other', description: 'corpus' },
      fields: {
        type: ['""', `"${'t'.repeat(41)}"`, ...REQUIRED_TEXT],
        description: ['""', '"   "', `"${'d'.repeat(4001)}"`, ...REQUIRED_TEXT],
        machine_id: ID.filter((value) => value !== 'null'),
      },
      required: ['type', 'description'],
    },
    {
      method: 'POST',
      url: `/machines/${missingId}/readings`,
      idPath: '/machines/ID/readings',
      base: { reading_type: 'temperature', value: 21.5 },
      fields: {
        reading_type: ['""', '"Has Space"', '"1abc"', `"${'r'.repeat(41)}"`, ...REQUIRED_TEXT],
        value: ['"21.5"', 'null', 'true', '[]', '{}', '1e400', '"NaN"'],
        unit: ['42', '[]', `"${'u'.repeat(21)}"`],
        timestamp: INSTANT,
      },
      required: ['reading_type', 'value'],
    },
    {
      method: 'PUT',
      url: `/machines/${missingId}/thresholds/temperature`,
      idPath: '/machines/ID/thresholds/temperature',
      strict: true,
      base: { low: 10, high: 90, stale_after_seconds: 60 },
      fields: {
        low: ['"10"', 'true', '[]', '{}', '95', ...HUGE_NUMBERS.slice(0, 2)],
        high: ['"90"', 'true', '[]', '{}', '5', ...HUGE_NUMBERS.slice(0, 2)],
        stale_after_seconds: ['5', '1.5', '-1', '604801', '"60"', 'true', '[]', ...HUGE_NUMBERS],
      },
      required: ['low', 'high', 'stale_after_seconds'],
    },
    {
      method: 'POST',
      url: '/ingest',
      bodyLimitBytes: 16 * 1024 * 1024,
      base: {
        barcode: 'SN-CORPUS',
        machine_id: 'NO-SUCH-MACHINE',
        product_id: 'PROD-A',
        test_step: 'voltage_test',
        measured_value: 85.5,
        timestamp: '2026-10-27T10:00:00',
      },
      fields: {
        barcode: ['""', '"has space"', `"${'b'.repeat(101)}"`, '"\\u0000"', ...REQUIRED_TEXT],
        machine_id: ['""', '"-x"', `"${'m'.repeat(61)}"`, ...REQUIRED_TEXT],
        product_id: ['""', '"has space"', ...REQUIRED_TEXT],
        test_step: ['""', `"${'s'.repeat(81)}"`, ...REQUIRED_TEXT],
        measured_value: ['"85.5"', 'null', 'true', '[]', '{}', '1e400', '-1e400', '"NaN"'],
        timestamp: [...INSTANT, '"2023-10-27"', '"10:00:00"', '"2023-10-27T25:00:00"'],
        unit: ['42', '[]', '{}', `"${'u'.repeat(21)}"`],
      },
      required: ['barcode', 'machine_id', 'product_id', 'test_step', 'measured_value', 'timestamp'],
    },
    {
      method: 'POST',
      url: '/quality/limits',
      base: {
        site_id: siteId,
        product_id: 'CORPUS-P',
        test_step: 'voltage_test',
        lower_limit: 1,
        upper_limit: 2,
      },
      fields: {
        site_id: ID,
        product_id: ['""', '"has space"', `"${'p'.repeat(61)}"`, ...REQUIRED_TEXT],
        test_step: ['""', `"${'s'.repeat(81)}"`, ...REQUIRED_TEXT],
        lower_limit: ['"1"', 'true', '[]', '{}', '1e400', '3'],
        upper_limit: ['"2"', 'true', '[]', '{}', '-1e400', '0'],
        effective_from: INSTANT,
      },
      required: ['site_id', 'product_id', 'test_step'],
    },
    {
      method: 'PUT',
      url: `/quality/alert-rules/${siteId}`,
      idPath: '/quality/alert-rules/ID',
      strict: true,
      base: { consecutive_fails: 3, min_pass_rate: 90, min_sample: 20 },
      fields: {
        consecutive_fails: ['0', '-1', '1.5', '"3"', 'null', '1001', ...HUGE_NUMBERS],
        min_pass_rate: ['-1', '101', '"90"', 'null', '1e400'],
        min_sample: ['0', '1.5', 'null', '100001'],
      },
      required: ['consecutive_fails', 'min_pass_rate', 'min_sample'],
    },
    {
      method: 'POST',
      url: '/graphql',
      base: { query, variables: { id: String(missingId) } },
      fields: {
        query: [
          '42',
          'true',
          '[]',
          '{}',
          '""',
          '"{"',
          '"{ nope }"',
          '"mutation { nope }"',
          '"query { me { id } } query { me { id } }"',
          LONG,
        ],
        variables: [
          '"str"',
          '42',
          '[]',
          'true',
          '{}',
          '{"id":{}}',
          '{"id":[1]}',
          '{"id":null}',
          '{"id":1e400}',
        ],
        operationName: ['42', '{}', '[]', '"Nope"'],
      },
      required: ['query'],
    },
    {
      method: 'POST',
      url: '/tools',
      base: { site_id: siteId, asset_number: 'CORPUS-T1', name: 'Corpus mould' },
      fields: {
        site_id: ID,
        asset_number: ['""', '"has space"', `"${'a'.repeat(41)}"`, ...REQUIRED_TEXT],
        name: ['""', `"${'n'.repeat(201)}"`, ...REQUIRED_TEXT],
        kind: ['"hammer"', '""', '42', 'null', '["mould"]'],
        cavity_count: ['0', '-1', '1.5', '"4"', '1025', ...HUGE_NUMBERS],
        status: ['"retired"', '"broken"', '42'],
        life_limit_shots: ['0', '-1', '1.5', '"100"', ...HUGE_NUMBERS],
        counter_max: ['0', '-1', '1.5', '"999999"', ...HUGE_NUMBERS],
        ideal_cycle_seconds: ['0', '-1', '1.2345', '86400.5', '"12"', 'true', ...HUGE_NUMBERS],
        manufacturer: OPTIONAL_TEXT,
      },
      required: ['asset_number', 'name'],
      strict: true,
    },
    {
      method: 'POST',
      url: '/failure-reports',
      multipart: true,
      base: { machine_id: missingId, failure_code_id: 1, description: 'Corpus failure' },
      fields: {
        machine_id: ID.filter((value) => value !== 'null'),
        tool_id: ID.filter((value) => value !== 'null'),
        failure_code_id: ID,
        severity: ['"fatal"', '"HIGH"', '""', '42', 'null', '["high"]'],
        description: ['""', '"   "', `"${'d'.repeat(4001)}"`, ...REQUIRED_TEXT],
        occurred_at: [...INSTANT, '"2999-01-01T00:00:00Z"'],
        containment_action: ['42', '[]', '{}', `"${'c'.repeat(4001)}"`],
        assignee_id: ID.filter((value) => value !== 'null'),
        due_at: INSTANT.filter((value) => value !== 'null'),
      },
      required: ['failure_code_id', 'description'],
      strict: true,
    },
    {
      method: 'POST',
      url: `/failure-reports/${missingId}/photos`,
      idPath: '/failure-reports/ID/photos',
      multipart: true,
      base: {},
      fields: {},
      required: [],
    },
    {
      method: 'POST',
      url: `/tools/${missingId}/shots`,
      idPath: '/tools/ID/shots',
      strict: true,
      base: { kind: 'counter', counter_value: 100 },
      fields: {
        kind: ['"both"', '""', '42', 'null', '[]'],
        counter_value: ['-1', '1.5', '"100"', 'null', 'true', ...HUGE_NUMBERS],
        taken_at: INSTANT,
        note: ['42', '[]', `"${'n'.repeat(1001)}"`],
      },
      required: ['kind'],
    },
    {
      method: 'POST',
      url: `/tools/${missingId}/mount`,
      idPath: '/tools/ID/mount',
      strict: true,
      base: { machine_id: missingId, position: 'main' },
      fields: {
        machine_id: ID,
        position: ['""', '"Has Space"', `"${'p'.repeat(41)}"`, '42', 'null', '[]'],
        at: INSTANT,
      },
      required: ['machine_id'],
    },
    {
      method: 'POST',
      url: '/checklist-templates',
      strict: true,
      base: { name: 'Corpus checklist', items: [{ text: 'Corpus step' }] },
      fields: {
        site_id: ID.filter((value) => value !== 'null'),
        name: ['""', '"   "', `"${'n'.repeat(201)}"`, ...REQUIRED_TEXT],
        description: ['42', '[]', `"${'d'.repeat(2001)}"`],
        applies_to: ['"hammer"', '""', '42', 'null', '["mould"]'],
        items: [
          '[]',
          '{}',
          '"step"',
          'null',
          '[{"text":""}]',
          '[{"text":"a","required":"yes"}]',
          '[{"text":"a","extra":1}]',
          '[{"text":"a"},{"text":"A"}]',
          `[${'{"text":"s"},'.repeat(200)}{"text":"t"}]`,
        ],
      },
      required: ['name', 'items'],
    },
    {
      method: 'PATCH',
      url: `/checklist-templates/${missingId}`,
      idPath: '/checklist-templates/ID',
      strict: true,
      base: { name: 'Corpus checklist' },
      fields: {
        name: ['""', '"   "', `"${'n'.repeat(201)}"`, ...REQUIRED_TEXT],
        is_active: BOOLEAN,
        items: ['[]', '{}', 'null', '[{"text":""}]', '[{"text":"a"},{"text":"a"}]'],
      },
      required: [],
    },
    {
      method: 'POST',
      url: `/tools/${missingId}/pm-plans`,
      idPath: '/tools/ID/pm-plans',
      strict: true,
      base: { name: 'Corpus PM', every_shots: 1000 },
      fields: {
        name: ['""', `"${'n'.repeat(201)}"`, ...REQUIRED_TEXT],
        every_shots: ['0', '-1', '1.5', '"100"', 'true', ...HUGE_NUMBERS],
        every_days: ['0', '-1', '1.5', '"7"', '3651', ...HUGE_NUMBERS],
        warn_at_share: ['0.49', '1.01', '"0.9"', 'null', '[]', ...HUGE_NUMBERS],
        checklist_template_id: ID,
        responsible_user_id: ID,
        last_done_at: INSTANT,
        shots_at_last_done: ['-1', '1.5', '"5"', ...HUGE_NUMBERS],
      },
      required: ['name'],
    },
    {
      method: 'PATCH',
      url: `/pm-plans/${missingId}`,
      idPath: '/pm-plans/ID',
      strict: true,
      base: { name: 'Corpus PM' },
      fields: {
        name: ['""', `"${'n'.repeat(201)}"`, ...REQUIRED_TEXT],
        every_shots: ['0', '-1', '1.5', '"100"', ...HUGE_NUMBERS],
        warn_at_share: ['0.49', '1.01', '"0.9"', 'null'],
        is_active: BOOLEAN,
      },
      required: [],
    },
    {
      method: 'POST',
      url: '/maintenance-logs',
      strict: true,
      base: {
        tool_id: missingId,
        kind: 'inspection',
        started_at: '2026-01-05T08:00:00Z',
        duration_minutes: 30,
      },
      fields: {
        tool_id: ID,
        machine_id: ID,
        pm_plan_id: ID,
        kind: ['"fix"', '""', '42', 'null', '["pm"]'],
        performed_by: ID,
        started_at: INSTANT,
        duration_minutes: ['0', '-1', '1.5', '"30"', '100001', 'null', ...HUGE_NUMBERS],
        findings: ['42', '[]', `"${'f'.repeat(8001)}"`],
        follow_up_required: BOOLEAN,
        checklist_template_id: ID.filter((value) => value !== 'null'),
        checks: [
          '{}',
          '"ok"',
          'null',
          '[{"item_id":1}]',
          '[{"item_id":1,"result":"maybe"}]',
          '[{"item_id":1,"result":"not_ok"}]',
          '[{"item_id":"x","result":"ok"}]',
          '[{"item_id":1,"result":"ok","extra":true}]',
        ],
      },
      required: ['started_at', 'duration_minutes'],
    },
    {
      method: 'POST',
      url: '/action-items',
      strict: true,
      base: { site_id: siteId, title: 'Corpus action' },
      fields: {
        site_id: ID,
        title: ['""', '"   "', `"${'t'.repeat(201)}"`, ...REQUIRED_TEXT],
        description: ['42', '[]', '{}', `"${'d'.repeat(4001)}"`],
        priority: ['"urgent"', '""', '42', 'null', '["high"]'],
        assignee_id: ID.filter((value) => value !== 'null'),
        due_at: INSTANT.filter((value) => value !== 'null'),
        machine_id: ID.filter((value) => value !== 'null'),
        tool_id: ID.filter((value) => value !== 'null'),
      },
      required: ['title'],
    },
    {
      method: 'PATCH',
      url: `/action-items/${missingId}`,
      idPath: '/action-items/ID',
      strict: true,
      base: { title: 'Corpus action' },
      fields: {
        title: ['""', '"   "', `"${'t'.repeat(201)}"`, '42', '[]'],
        priority: ['"urgent"', '""', '42', '["high"]'],
        assignee_id: ID.filter((value) => value !== 'null'),
        due_at: INSTANT.filter((value) => value !== 'null'),
        note: ['""', '42', '[]', `"${'n'.repeat(4001)}"`],
      },
      required: [],
    },
    {
      method: 'POST',
      url: `/action-items/${missingId}/status`,
      idPath: '/action-items/ID/status',
      strict: true,
      base: { status: 'in_progress' },
      fields: {
        status: ['"done"', '""', '["open"]', ...REQUIRED_TEXT],
        note: ['""', '42', '[]', `"${'n'.repeat(4001)}"`],
      },
      required: ['status'],
    },
    {
      method: 'POST',
      url: `/action-items/${missingId}/comments`,
      idPath: '/action-items/ID/comments',
      strict: true,
      base: { note: 'Corpus comment' },
      fields: { note: ['""', '"   "', `"${'n'.repeat(4001)}"`, ...REQUIRED_TEXT] },
      required: ['note'],
    },
    {
      method: 'POST',
      url: '/reports/weekly',
      strict: true,
      base: { site_id: siteId, week: '2026-11-16' },
      fields: {
        site_id: ID,
        week: ['""', '"16.11.2026"', '"2026-13-01"', '"2026-11-16T00:00:00Z"', '42', 'null', '[]', '{}'],
      },
      required: ['site_id'],
    },
    {
      method: 'POST',
      url: `/downtimes/${missingId}/explain`,
      idPath: '/downtimes/ID/explain',
      strict: true,
      base: { reason_id: 1 },
      fields: { reason_id: ID, comment: ['42', '[]', '{}', `"${'c'.repeat(2001)}"`] },
      required: ['reason_id'],
    },
    {
      method: 'POST',
      url: `/downtimes/${missingId}/split`,
      idPath: '/downtimes/ID/split',
      strict: true,
      base: { parts: [{ until: '2026-01-01T00:10:00Z', reason_id: null }, { reason_id: null }] },
      fields: {
        parts: [
          'null',
          '{}',
          '[]',
          '"two"',
          '[1, 2]',
          '[{"reason_id": null}]',
          '[{"until": "soon", "reason_id": null}, {"reason_id": null}]',
          '[{"reason_id": -1, "until": "2026-01-01T00:10:00Z"}, {"reason_id": null}]',
          '[{"until": "2026-01-01T00:10:00Z"}, {"reason_id": null}]',
          '[{"extra": 1, "until": "2026-01-01T00:10:00Z", "reason_id": null}, {"reason_id": null}]',
          `[${'{"reason_id": null},'.repeat(20)}{"reason_id": null}]`,
        ],
      },
      required: ['parts'],
    },
    {
      method: 'PUT',
      url: `/machines/${missingId}/downtime-settings`,
      idPath: '/machines/ID/downtime-settings',
      strict: true,
      base: { stop_threshold_seconds: 120, no_cycle_factor: 3, ideal_cycle_seconds: null },
      fields: {
        stop_threshold_seconds: ['4', '86401', '1.5', '"120"', 'null', '[]', ...HUGE_NUMBERS],
        no_cycle_factor: ['0.5', '1001', '"3"', 'null', '{}', ...HUGE_NUMBERS],
        ideal_cycle_seconds: ['0', '-1', '"10"', '86401', 'true', ...HUGE_NUMBERS],
      },
      required: ['stop_threshold_seconds', 'no_cycle_factor', 'ideal_cycle_seconds'],
    },
    {
      method: 'PUT',
      url: `/machines/${missingId}/opcua`,
      idPath: '/machines/ID/opcua',
      strict: true,
      base: { endpoint_url: 'opc.tcp://127.0.0.1:4840', cycle_node_id: 'ns=2;s=Press1.Cycles' },
      fields: {
        endpoint_url: [
          '"http://plc:4840"',
          '"opc.tcp://"',
          '"opc.tcp://plc:99999"',
          `"opc.tcp://${'h'.repeat(500)}"`,
          ...REQUIRED_TEXT,
        ],
        security_mode: ['"Encrypt"', '"none"', '1', 'null', '[]'],
        security_policy: ['"Basic256Sha256"', '"RSA"', '1', 'null'],
        username: ['""', '42', '[]', `"${'u'.repeat(201)}"`],
        password: ['""', '42', 'null', '{}'],
        cycle_node_id: [
          '"ns=2;x=1"',
          '"i=-1"',
          '"i=99999999999"',
          '"ns=70000;i=1"',
          '""',
          '42',
          '[]',
          `"s=${'n'.repeat(500)}"`,
        ],
        state_node_id: ['"Press1.State"', '"ns=;s=x"', '42', '{}'],
        state_map: ['[]', '"running"', '{"1": "busy"}', '{"1": 1}', 'null'],
        publishing_interval_ms: ['10', '60001', '1.5', '"1000"', 'null', ...HUGE_NUMBERS],
        enabled: BOOLEAN,
      },
      required: ['endpoint_url'],
    },
    {
      method: 'POST',
      url: `/machines/${missingId}/opcua/browse`,
      idPath: '/machines/ID/opcua/browse',
      strict: true,
      base: { node_id: 'i=85' },
      fields: {
        node_id: ['"i=x"', '""', '42', '[]', 'null', '"ns=1"'],
        endpoint: ['"opc.tcp://plc:4840"', '[]', '42', '{}', '{"endpoint_url": "http://plc"}'],
      },
      required: [],
    },
    {
      method: 'POST',
      url: `/machines/${missingId}/opcua/test`,
      idPath: '/machines/ID/opcua/test',
      strict: true,
      base: { cycle_node_id: 'i=2258' },
      fields: {
        cycle_node_id: ['"i=x"', '42', '[]'],
        endpoint: [
          '"opc.tcp://plc:4840"',
          '[]',
          '{"endpoint_url": "opc.tcp://plc", "security_mode": "Sign"}',
        ],
        state_map: ['[]', '{"1": "busy"}'],
      },
      required: [],
    },
  ];
}

const BROKEN_JSON = [
  '{',
  '{"a":1,}',
  "{'a':1}",
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":-Infinity}',
  '{"a":undefined}',
  '{"a":1 /* comment */}',
  '// comment\n{}',
  '{"a":1}}',
  '{"a":1}{"b":2}',
  '[1,2',
  '"unterminated',
  '{"a":01}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{a:1}',
  '{"a":"raw\u0001control"}',
  'nul',
  '{"a":.5}',
];

const nest = (depth: number, open: string, close: string, inner = '1') =>
  open.repeat(depth) + inner + close.repeat(depth);

/** JSON text of `base` with `field` set to the raw JSON fragment `raw`. */
export function withField(base: Record<string, unknown>, field: string, raw: string): string {
  const rest = Object.entries(base)
    .filter(([key]) => key !== field)
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{${[...rest, `${JSON.stringify(field)}:${raw}`].join(',')}}`;
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

type Generated = Omit<MalformedCase, 'category' | 'method' | 'url' | 'anonymous'> & { url?: string };
type Generator = (target: Target) => Generated[];

const GENERATORS: Record<string, Generator> = {
  'broken JSON': () => BROKEN_JSON.map((text) => ({ name: JSON.stringify(text), payload: text })),
  'wrong types and values': ({ base, fields, url }) =>
    Object.entries(fields).flatMap(([field, values]) =>
      values.map((raw, i) => {
        // One GraphQL document per case: a repeated one is JIT-compiled, which has its own known gap (see the test).
        const body = url === '/graphql' ? { ...base, query: `${String(base.query)} # ${field} ${i}` } : base;
        return { name: `${field}=${raw.slice(0, 40)}`, payload: withField(body, field, raw) };
      }),
    ),
  'huge strings': ({ base, fields }) =>
    Object.keys(fields).map((field) => ({
      name: `${field}=100k chars`,
      payload: withField(base, field, LONG),
    })),
  'deep nesting': ({ base, fields }) => {
    const field = Object.keys(fields)[0] ?? 'a';
    return [
      { name: 'arrays depth 100', payload: nest(100, '[', ']') },
      { name: 'arrays depth 10000', payload: nest(10_000, '[', ']') },
      { name: 'objects depth 100', payload: nest(100, '{"a":', '}') },
      { name: 'objects depth 10000', payload: nest(10_000, '{"a":', '}') },
      { name: `${field} nested depth 100`, payload: withField(base, field, nest(100, '[{"b":', '}]')) },
    ];
  },
  'prototype keys': ({ base, fields }) => {
    const field = Object.keys(fields)[0] ?? 'a';
    return [
      { name: '__proto__ at top', payload: withField(base, '__proto__', '{"is_admin":true}') },
      { name: '__proto__ nested', payload: withField(base, field, '{"__proto__":{"x":1}}') },
      {
        name: '__proto__ escaped',
        payload: withField(base, '\\u005f_proto__', '{"x":1}').replace('"\\\\u005f', '"\\u005f'),
      },
      { name: '__proto__ in array', payload: `[${withField(base, '__proto__', '{}')}]` },
      {
        name: 'constructor.prototype at top',
        payload: withField(base, 'constructor', '{"prototype":{"x":1}}'),
      },
      {
        name: 'constructor.prototype nested',
        payload: withField(base, field, '{"constructor":{"prototype":{"x":1}}}'),
      },
    ];
  },
  'oversize body': ({ base, bodyLimitBytes = 1_048_576 }) => [
    {
      name: `${((bodyLimitBytes * 1.1) / 1_048_576).toFixed(1)} MiB of JSON`,
      payload: withField(base, 'pad', `"${'x'.repeat(Math.ceil(bodyLimitBytes * 1.1))}"`),
    },
  ],
  'invalid UTF-8': ({ base, fields }) => {
    const field = Object.keys(fields)[0] ?? 'a';
    const [head] = withField(base, field, '"@"').split('@') as [string];
    const tail = '"}';
    return [
      { name: '0xff 0xfe', payload: bytes(head, [0xff, 0xfe], tail) },
      { name: 'overlong "/"', payload: bytes(head, [0xc0, 0xaf], tail) },
      { name: 'CESU lone surrogate', payload: bytes(head, [0xed, 0xa0, 0x80], tail) },
      { name: 'truncated sequence', payload: bytes(head, [0xe2, 0x82], tail) },
      { name: 'lone continuation byte', payload: bytes(head, [0x80], tail) },
      { name: 'UTF-16LE body', payload: Buffer.from(withField(base, field, '"x"'), 'utf16le') },
      {
        name: 'latin1 declared as charset',
        payload: bytes(head, [0xe9], tail),
        contentType: 'application/json; charset=latin1',
      },
    ];
  },
  'wrong content type': ({ base, url, multipart }) => [
    { name: 'text/plain', payload: JSON.stringify(base), contentType: 'text/plain', status: 415 },
    { name: 'application/xml', payload: '<a>1</a>', contentType: 'application/xml', status: 415 },
    {
      name: 'multipart/form-data',
      payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
      contentType: 'multipart/form-data; boundary=x',
      ...(multipart ? {} : { status: 415 }),
    },
    { name: 'no content type', payload: JSON.stringify(base), contentType: null, status: 415 },
    {
      name: 'application/jsonx',
      payload: JSON.stringify(base),
      contentType: 'application/jsonx',
      status: 415,
    },
    {
      name: 'application/octet-stream',
      payload: Buffer.from([0, 1, 2]),
      contentType: 'application/octet-stream',
      status: 415,
    },
    url === '/graphql'
      ? { name: 'application/graphql, bad query', payload: '{ nope', contentType: 'application/graphql' }
      : {
          name: 'form, invalid fields',
          payload: 'refresh_token=short&unknown_field=1&self_registration_enabled=maybe&role=superuser',
          contentType: 'application/x-www-form-urlencoded',
        },
  ],
  'empty and wrong top-level': ({ base, required, method }) => [
    { name: 'empty JSON body', payload: '' },
    { name: 'null', payload: 'null' },
    { name: 'array', payload: '[]' },
    { name: 'array of the object', payload: `[${JSON.stringify(base)}]` },
    { name: 'number', payload: '42' },
    { name: 'string', payload: '"body"' },
    { name: 'true', payload: 'true' },
    ...(required.length > 0 || method === 'PATCH' ? [{ name: 'no body at all', contentType: null }] : []),
    ...(required.length > 0 ? [{ name: 'missing required fields', payload: '{}' }] : []),
  ],
  'unknown fields on strict PATCH': ({ strict, base }) =>
    strict
      ? ['"is_admin":true', '"id":5', '"username":"x"', '"code":"X"', '"created_at":"2020-01-01"'].map(
          (pair) => ({
            name: `{${pair}}`,
            payload: withField(base, pair.split(':')[0]!.slice(1, -1), pair.split(':').slice(1).join(':')),
          }),
        )
      : [],
  'path params that are not ids': ({ idPath, method }) =>
    idPath
      ? [
          'abc',
          '-1',
          '0',
          '1.5',
          '1e3',
          '0x3e8',
          'NaN',
          'Infinity',
          '99999999999999999999',
          '%00',
          '1%3Bdrop',
          '%20',
        ].map((id) => ({
          name: id,
          url: idPath.replace('ID', id),
          // A body that is invalid too, so an id that happens to coerce can never meet a valid input.
          payload: method === 'PATCH' ? '{"role":"superuser","unknown_field":1}' : undefined,
        }))
      : [],
};

/** Categories refused by the body parser (or its size limit) whatever the endpoint. */
const STATUS: Record<string, number> = {
  'broken JSON': 400,
  'deep nesting': 400,
  'prototype keys': 400,
  'invalid UTF-8': 400,
  'oversize body': 413,
};

export const CATEGORIES = [...Object.keys(GENERATORS), 'unauthenticated', 'GraphQL documents'];

export function buildCorpus(ids: CorpusIds): MalformedCase[] {
  const all = targets(ids);
  const cases: MalformedCase[] = all.flatMap((target) =>
    Object.entries(GENERATORS).flatMap(([category, generate]) =>
      generate(target).map((c) => {
        const url = c.url ?? target.url;
        const name = `${target.method} ${url} ${c.name}`;
        return {
          status: STATUS[category],
          ...c,
          category,
          method: target.method,
          url,
          anonymous: target.anonymous,
          name,
        };
      }),
    ),
  );
  // Unauthenticated callers: refused before the body matters, and garbage credentials get the same answer.
  const guarded = all.filter((target) => !target.anonymous && target.url !== '/graphql');
  for (const target of guarded) {
    const payload = JSON.stringify(target.base);
    cases.push(
      {
        category: 'unauthenticated',
        method: target.method,
        url: target.url,
        payload,
        anonymous: true,
        name: `${target.method} ${target.url} no token`,
      },
      {
        category: 'unauthenticated',
        method: target.method,
        url: target.url,
        payload,
        anonymous: true,
        headers: { authorization: 'Bearer garbage' },
        name: `${target.method} ${target.url} bad token`,
      },
      {
        category: 'unauthenticated',
        method: target.method,
        url: target.url,
        payload,
        anonymous: true,
        headers: { 'x-api-key': 'hom_garbage' },
        name: `${target.method} ${target.url} bad API key`,
      },
    );
  }
  const query = (depth: number) => `{ ${'me { sites { '.repeat(depth)}id${' } }'.repeat(depth)} }`;
  for (const [name, text] of [
    ['query depth 100', query(50)],
    ['query depth 10000', query(5000)],
    ['batched queries', '[{"query":"{ __typename }"},{"query":"{ __typename }"}]'],
    [
      '1000 aliases',
      JSON.stringify({
        query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
      }),
    ],
  ] as const) {
    const payload = text.startsWith('[') || text.startsWith('{"') ? text : JSON.stringify({ query: text });
    cases.push({
      category: 'GraphQL documents',
      method: 'POST',
      url: '/graphql',
      payload,
      name: `POST /graphql ${name}`,
    });
  }
  return cases;
}
