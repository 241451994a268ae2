import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { FolderTree } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Input, Select, Switch } from '../../components/ui/field.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import { fetchMachine, plantKeys } from '../plant/plant-api.ts';
import {
  DEFAULT_STATE_MAP,
  NODE_ROLES,
  SECURITY_MODES,
  SECURITY_POLICIES,
  fetchOpcuaConnection,
  opcuaKeys,
  removeOpcuaConnection,
  saveOpcuaConnection,
  testOpcua,
  type EndpointSettings,
  type NodeRole,
  type OpcuaConnection,
  type SecurityMode,
  type SecurityPolicy,
  type TestResult,
} from './opcua-api.ts';
import { OpcuaBrowser } from './opcua-browser.tsx';
import { OpcuaCertificates } from './opcua-certificates.tsx';
import { OpcuaStatus } from './opcua-status.tsx';
import { mapOf, rowsOf, StateMapEditor, type StateMapRow } from './state-map-editor.tsx';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';

/** The machine's OPC-UA connection: endpoint, security, credentials, nodes picked by browsing, state map. */
export function OpcuaConnectionPage() {
  const { t } = useTranslation();
  const params = useParams({ strict: false });
  const machineId = Number(params.machineId);
  const machine = useQuery({
    queryKey: plantKeys.machine(machineId),
    queryFn: () => fetchMachine(machineId),
  });
  const connection = useQuery({
    queryKey: opcuaKeys.connection(machineId),
    queryFn: () => fetchOpcuaConnection(machineId),
  });
  if (connection.isPending || machine.isPending) return <PageSpinner />;
  if (connection.isError)
    return <ErrorState error={connection.error} onRetry={() => void connection.refetch()} />;
  if (machine.isError) return <ErrorState error={machine.error} />;
  return (
    <div className="space-y-5">
      <div>
        <p className="text-sm text-slate-500">
          <Link to="/machines/$machineId" params={{ machineId: String(machineId) }} className="underline">
            {machine.data.code} {machine.data.name}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">{t('connectivity.title')}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t('connectivity.hint')}</p>
      </div>
      {connection.data && (
        <section className={cardClass} aria-label={t('connectivity.status.title')}>
          <OpcuaStatus machineId={machineId} />
        </section>
      )}
      <ConnectionForm
        key={connection.data?.updated_at ?? 'new'}
        machineId={machineId}
        stored={connection.data}
      />
      <section className={cardClass} aria-label={t('connectivity.certificates.title')}>
        <OpcuaCertificates />
      </section>
    </div>
  );
}

interface FormState {
  endpoint_url: string;
  security_mode: SecurityMode;
  security_policy: SecurityPolicy;
  username: string;
  password: string;
  nodes: Record<NodeRole, string>;
  publishing_interval_ms: string;
  enabled: boolean;
  stateMap: StateMapRow[];
}

function initialState(stored: OpcuaConnection | null): FormState {
  return {
    endpoint_url: stored?.endpoint_url ?? 'opc.tcp://',
    security_mode: stored?.security_mode ?? 'None',
    security_policy: stored?.security_policy ?? 'None',
    username: stored?.username ?? '',
    password: '',
    nodes: {
      cycle: stored?.cycle_node_id ?? '',
      state: stored?.state_node_id ?? '',
      good: stored?.good_node_id ?? '',
      reject: stored?.reject_node_id ?? '',
    },
    publishing_interval_ms: String(stored?.publishing_interval_ms ?? 1000),
    enabled: stored?.enabled ?? true,
    stateMap: rowsOf(stored?.state_map ?? DEFAULT_STATE_MAP),
  };
}

function ConnectionForm({ machineId, stored }: { machineId: number; stored: OpcuaConnection | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form, setForm] = useState<FormState>(() => initialState(stored));
  const [browsing, setBrowsing] = useState<NodeRole | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const set = (patch: Partial<FormState>) => setForm((current) => ({ ...current, ...patch }));

  const endpoint: EndpointSettings = {
    endpoint_url: form.endpoint_url.trim(),
    security_mode: form.security_mode,
    security_policy: form.security_policy,
    username: form.username.trim() === '' ? null : form.username.trim(),
    ...(form.password !== '' ? { password: form.password } : {}),
  };
  const nodeOrNull = (role: NodeRole) => (form.nodes[role].trim() === '' ? null : form.nodes[role].trim());

  const save = useSaveMutation({
    mutationFn: () =>
      saveOpcuaConnection(machineId, {
        ...endpoint,
        cycle_node_id: nodeOrNull('cycle'),
        state_node_id: nodeOrNull('state'),
        good_node_id: nodeOrNull('good'),
        reject_node_id: nodeOrNull('reject'),
        state_map: mapOf(form.stateMap),
        publishing_interval_ms: Number(form.publishing_interval_ms),
        enabled: form.enabled,
      }),
    invalidate: [opcuaKeys.connection(machineId)],
    successText: () => t('connectivity.saved'),
  });
  const remove = useSaveMutation({
    mutationFn: () => removeOpcuaConnection(machineId),
    invalidate: [opcuaKeys.connection(machineId)],
    successText: () => t('connectivity.removed'),
    onSaved: () => void navigate({ to: '/machines/$machineId', params: { machineId: String(machineId) } }),
  });
  const test = useMutation<TestResult>({
    mutationFn: () =>
      testOpcua(machineId, {
        endpoint,
        cycle_node_id: nodeOrNull('cycle'),
        state_node_id: nodeOrNull('state'),
        good_node_id: nodeOrNull('good'),
        reject_node_id: nodeOrNull('reject'),
        state_map: mapOf(form.stateMap),
      }),
  });
  const problems = fieldProblems(save.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <section className={`${cardClass} space-y-4`} aria-labelledby="opcua-endpoint">
        <h2 id="opcua-endpoint" className="font-semibold">
          {t('connectivity.endpoint')}
        </h2>
        <Input
          label={t('connectivity.fields.endpoint_url')}
          hint={t('connectivity.hints.endpoint_url')}
          value={form.endpoint_url}
          onChange={(event) => set({ endpoint_url: event.target.value })}
          error={problems.endpoint_url}
          required
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Select
            label={t('connectivity.fields.security_mode')}
            value={form.security_mode}
            onChange={(event) => {
              const mode = event.target.value as SecurityMode;
              set({
                security_mode: mode,
                security_policy:
                  mode === 'None'
                    ? 'None'
                    : form.security_policy === 'None'
                      ? 'Basic256Sha256'
                      : form.security_policy,
              });
            }}
            error={problems.security_mode}
          >
            {SECURITY_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {mode}
              </option>
            ))}
          </Select>
          <Select
            label={t('connectivity.fields.security_policy')}
            value={form.security_policy}
            onChange={(event) => set({ security_policy: event.target.value as SecurityPolicy })}
            error={problems.security_policy}
          >
            {SECURITY_POLICIES.filter(
              (policy) => (form.security_mode === 'None') === (policy === 'None'),
            ).map((policy) => (
              <option key={policy} value={policy}>
                {policy}
              </option>
            ))}
          </Select>
          <Input
            label={t('connectivity.fields.username')}
            hint={t('connectivity.hints.username')}
            autoComplete="off"
            value={form.username}
            onChange={(event) => set({ username: event.target.value })}
            error={problems.username}
          />
          <Input
            label={t('connectivity.fields.password')}
            type="password"
            autoComplete="new-password"
            placeholder={stored?.has_password ? t('connectivity.hints.passwordKept') : ''}
            value={form.password}
            onChange={(event) => set({ password: event.target.value })}
            error={problems.password}
          />
        </div>
      </section>

      <section className={`${cardClass} space-y-4`} aria-labelledby="opcua-nodes">
        <h2 id="opcua-nodes" className="font-semibold">
          {t('connectivity.nodes')}
        </h2>
        {NODE_ROLES.map((role) => (
          <div key={role} className="flex items-end gap-2">
            <div className="flex-1">
              <Input
                label={t(`connectivity.fields.${role}_node_id`)}
                hint={role === 'cycle' ? t('connectivity.hints.node_id') : undefined}
                className="font-mono"
                value={form.nodes[role]}
                onChange={(event) => set({ nodes: { ...form.nodes, [role]: event.target.value } })}
                error={problems[`${role}_node_id`]}
              />
            </div>
            <Button
              tone="secondary"
              onClick={() => setBrowsing(role)}
              disabled={!/^opc\.tcp:\/\/.+/.test(form.endpoint_url.trim())}
              aria-label={t('connectivity.browse.for', { field: t(`connectivity.fields.${role}_node_id`) })}
              className={problems[`${role}_node_id`] ? 'mb-5' : role === 'cycle' ? 'mb-5' : undefined}
            >
              <FolderTree aria-hidden className="size-4" /> {t('connectivity.browse.button')}
            </Button>
          </div>
        ))}
        <div className="grid gap-4 sm:grid-cols-2">
          <Input
            label={t('connectivity.fields.publishing_interval_ms')}
            type="number"
            min={50}
            max={60000}
            value={form.publishing_interval_ms}
            onChange={(event) => set({ publishing_interval_ms: event.target.value })}
            error={problems.publishing_interval_ms}
          />
          <div className="flex items-end pb-2">
            <Switch
              label={t('connectivity.fields.enabled')}
              checked={form.enabled}
              onChange={(enabled) => set({ enabled })}
            />
          </div>
        </div>
        <StateMapEditor
          rows={form.stateMap}
          onChange={(stateMap) => set({ stateMap })}
          error={problems.state_map}
        />
      </section>

      {(test.data || test.error) && (
        <section className={cardClass} aria-labelledby="opcua-test" aria-live="polite">
          <h2 id="opcua-test" className="mb-2 font-semibold">
            {t('connectivity.test.title')}
          </h2>
          {test.error ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {problemText(test.error, t('connectivity.test.failed'))}
            </p>
          ) : (
            test.data && <TestTable result={test.data} />
          )}
        </section>
      )}

      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={save.isPending}>
          {t('common.save')}
        </Button>
        <Button tone="secondary" busy={test.isPending} onClick={() => test.mutate()}>
          {t('connectivity.test.button')}
        </Button>
        {stored && (
          <Button tone="danger" onClick={() => setConfirmRemove(true)}>
            {t('connectivity.remove')}
          </Button>
        )}
      </div>

      <OpcuaBrowser
        open={browsing !== null}
        title={
          browsing
            ? t('connectivity.browse.title', { field: t(`connectivity.fields.${browsing}_node_id`) })
            : ''
        }
        machineId={machineId}
        endpoint={endpoint}
        onClose={() => setBrowsing(null)}
        onPick={(child) => {
          if (browsing) set({ nodes: { ...form.nodes, [browsing]: child.node_id } });
          setBrowsing(null);
        }}
      />
      <ConfirmDialog
        open={confirmRemove}
        title={t('connectivity.remove')}
        message={t('connectivity.removeConfirm')}
        confirmLabel={t('connectivity.remove')}
        onConfirm={() => {
          setConfirmRemove(false);
          remove.mutate();
        }}
        onCancel={() => setConfirmRemove(false)}
      />
    </form>
  );
}

function TestTable({ result }: { result: TestResult }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-2 text-sm">
      <p className="text-slate-600 dark:text-slate-400">
        {t('connectivity.test.connected', { url: result.endpoint_url, ms: result.duration_ms })}
      </p>
      <table className="w-full text-left">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-normal">{t('connectivity.test.role')}</th>
            <th className="py-1 pr-3 font-normal">{t('connectivity.test.node')}</th>
            <th className="py-1 pr-3 font-normal">{t('connectivity.test.value')}</th>
            <th className="py-1 font-normal">{t('connectivity.test.result')}</th>
          </tr>
        </thead>
        <tbody>
          {result.nodes.map((node) => (
            <tr key={node.role} className="border-t border-slate-200 dark:border-slate-700">
              <td className="py-1 pr-3">{t(`connectivity.fields.${node.role}_node_id`)}</td>
              <td className="py-1 pr-3 font-mono text-xs">{node.node_id}</td>
              <td className="py-1 pr-3 font-mono">
                {node.value === null ? '—' : String(node.value)}
                {node.state && ` → ${t(`connectivity.states.${node.state}`)}`}
              </td>
              <td
                className={
                  node.ok
                    ? 'py-1 text-emerald-700 dark:text-emerald-400'
                    : 'py-1 text-red-700 dark:text-red-400'
                }
              >
                {node.ok ? t('connectivity.test.ok') : (node.message ?? node.status)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
