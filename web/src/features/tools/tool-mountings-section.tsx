import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { formatMoment, fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchMachines, plantKeys } from '../plant/plant-api.ts';
import { sectionClass, type ToolSectionProps } from './tool-section-kit.ts';
import { fetchMountings, mountTool, toolKeys, unmountTool, type Tool } from './tools-api.ts';

const linkClass = 'text-sky-700 underline dark:text-sky-400';

function MountDialog({ tool, onClose }: { tool: Tool; onClose: () => void }) {
  const { t } = useTranslation();
  const machines = useQuery({
    queryKey: plantKeys.machines({ site_id: tool.site_id }),
    queryFn: () => fetchMachines({ site_id: tool.site_id }),
  });
  const [machineId, setMachineId] = useState('');
  const [position, setPosition] = useState('main');
  const [at, setAt] = useState(toLocalInput(new Date().toISOString()));
  const save = useSaveMutation({
    mutationFn: () =>
      mountTool(tool.id, {
        machine_id: Number(machineId),
        position: position.trim() || 'main',
        ...(fromLocalInput(at) ? { at: fromLocalInput(at) as string } : {}),
      }),
    invalidate: [toolKeys.all],
    successText: (mounting) => t('tools.mounting.mounted', { machine: mounting.machine_code }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);
  return (
    <FormDialog
      title={t('tools.mounting.mount')}
      onClose={onClose}
      save={save}
      submitLabel={t('tools.mounting.mount')}
    >
      <Select
        label={t('tools.mounting.machine')}
        value={machineId}
        required
        onChange={(event) => setMachineId(event.target.value)}
        error={problems.machine_id}
      >
        <option value="">{machines.isPending ? '…' : t('tools.mounting.chooseMachine')}</option>
        {(machines.data ?? []).map((machine) => (
          <option key={machine.id} value={machine.id}>
            {machine.code} · {machine.name}
          </option>
        ))}
      </Select>
      <Input
        label={t('tools.mounting.position')}
        hint={t('tools.mounting.positionHint')}
        value={position}
        onChange={(event) => setPosition(event.target.value)}
        error={problems.position}
      />
      <Input
        label={t('tools.mounting.at')}
        type="datetime-local"
        value={at}
        onChange={(event) => setAt(event.target.value)}
        error={problems.at}
      />
    </FormDialog>
  );
}

function UnmountDialog({ tool, onClose }: { tool: Tool; onClose: () => void }) {
  const { t } = useTranslation();
  const [at, setAt] = useState(toLocalInput(new Date().toISOString()));
  const save = useSaveMutation({
    mutationFn: () => unmountTool(tool.id, fromLocalInput(at) ? { at: fromLocalInput(at) as string } : {}),
    invalidate: [toolKeys.all],
    successText: (mounting) => t('tools.mounting.unmounted', { machine: mounting.machine_code }),
    onSaved: onClose,
  });
  return (
    <FormDialog
      title={t('tools.mounting.unmount')}
      onClose={onClose}
      save={save}
      submitLabel={t('tools.mounting.unmount')}
    >
      <Input
        label={t('tools.mounting.removedAt')}
        type="datetime-local"
        value={at}
        onChange={(event) => setAt(event.target.value)}
        error={fieldProblems(save.error).at}
      />
    </FormDialog>
  );
}

/** Where the tool is now and where it has been; mount it on a machine or take it off. */
export function ToolMountingsSection({ tool }: ToolSectionProps) {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const [dialog, setDialog] = useState<'mount' | 'unmount' | null>(null);
  const history = useQuery({ queryKey: toolKeys.mountings(tool.id), queryFn: () => fetchMountings(tool.id) });
  const manage = can(user, 'tool:manage') && tool.status !== 'retired';
  return (
    <section className={sectionClass} aria-labelledby="tool-mountings">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="tool-mountings" className="text-lg font-semibold">
          {t('tools.mounting.title')}
        </h2>
        {manage &&
          (tool.mounted ? (
            <Button tone="secondary" onClick={() => setDialog('unmount')}>
              {t('tools.mounting.unmount')}
            </Button>
          ) : (
            <Button onClick={() => setDialog('mount')}>{t('tools.mounting.mount')}</Button>
          ))}
      </div>
      {history.isPending ? (
        <Spinner />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <p className="text-sm text-slate-500">{t('tools.mounting.never')}</p>
      ) : (
        <Table caption={t('tools.mounting.title')}>
          <thead>
            <tr>
              <Th>{t('tools.mounting.machine')}</Th>
              <Th>{t('tools.mounting.position')}</Th>
              <Th>{t('tools.mounting.at')}</Th>
              <Th>{t('tools.mounting.removedAt')}</Th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((mounting) => (
              <Tr key={mounting.id} data-testid="mounting-row">
                <Td>
                  <Link
                    to="/machines/$machineId"
                    params={{ machineId: String(mounting.machine_id) }}
                    className={linkClass}
                  >
                    {mounting.machine_code}
                  </Link>{' '}
                  {mounting.machine_name}
                </Td>
                <Td>{mounting.position}</Td>
                <Td>{formatMoment(mounting.mounted_at)}</Td>
                <Td>{mounting.removed_at ? formatMoment(mounting.removed_at) : t('tools.mounting.now')}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      {dialog === 'mount' && <MountDialog tool={tool} onClose={() => setDialog(null)} />}
      {dialog === 'unmount' && <UnmountDialog tool={tool} onClose={() => setDialog(null)} />}
    </section>
  );
}
