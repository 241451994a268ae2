import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input, Select, TextArea } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fromLocalInput } from '../../lib/format.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { fetchUsers, userKeys } from '../users/users-api.ts';
import { actionKeys, actionPriorities, createAction, type ActionPriority } from './actions-api.ts';

/** A manual action: title, what to do, site, assignee, due date, priority. */
export function ActionCreateDialog({
  onClose,
  toolId,
  machineId,
}: {
  onClose: () => void;
  toolId?: number;
  machineId?: number;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const users = useQuery({ queryKey: userKeys.all, queryFn: fetchUsers });
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [siteId, setSiteId] = useState<number | undefined>();
  const [assigneeId, setAssigneeId] = useState<number | undefined>();
  const [due, setDue] = useState('');
  const [priority, setPriority] = useState<ActionPriority>('medium');
  const site = siteId ?? (sites.data?.length === 1 ? sites.data[0]?.id : undefined);
  const people = (users.data ?? []).filter(
    (user) =>
      user.is_active &&
      user.role !== 'viewer' &&
      (site === undefined || user.site_ids.includes(site) || user.role === 'admin'),
  );
  const save = useSaveMutation({
    mutationFn: () =>
      createAction({
        ...(site ? { site_id: site } : {}),
        title: title.trim(),
        description: description.trim() || null,
        priority,
        assignee_id: assigneeId ?? null,
        due_at: due ? fromLocalInput(due) : null,
        ...(toolId ? { tool_id: toolId } : {}),
        ...(machineId ? { machine_id: machineId } : {}),
      }),
    invalidate: [actionKeys.all],
    successText: () => t('actions.created'),
    onSaved: (saved) => {
      onClose();
      void navigate({ to: '/actions/$actionId', params: { actionId: String(saved.id) } });
    },
  });
  const problems = fieldProblems(save.error);
  return (
    <FormDialog
      title={t('actions.createTitle')}
      onClose={onClose}
      save={save}
      submitLabel={t('actions.create')}
    >
      <Input
        label={t('actions.title')}
        value={title}
        required
        maxLength={200}
        error={problems.title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <TextArea
        label={t('actions.description')}
        value={description}
        error={problems.description}
        onChange={(e) => setDescription(e.target.value)}
      />
      {(sites.data?.length ?? 0) > 1 && (
        <Select
          label={t('actions.site')}
          value={siteId ?? ''}
          error={problems.site_id}
          onChange={(e) => setSiteId(Number(e.target.value) || undefined)}
        >
          <option value="">{t('actions.choose')}</option>
          {sites.data?.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.code}
            </option>
          ))}
        </Select>
      )}
      <Select
        label={t('actions.assignee')}
        value={assigneeId ?? ''}
        error={problems.assignee_id}
        onChange={(e) => setAssigneeId(Number(e.target.value) || undefined)}
      >
        <option value="">{t('actions.unassigned')}</option>
        {people.map((user) => (
          <option key={user.id} value={user.id}>
            {user.full_name ?? user.username}
          </option>
        ))}
      </Select>
      <Input
        label={t('actions.due')}
        type="datetime-local"
        value={due}
        error={problems.due_at}
        onChange={(e) => setDue(e.target.value)}
      />
      <Select
        label={t('actions.priority')}
        value={priority}
        onChange={(e) => setPriority(e.target.value as ActionPriority)}
      >
        {actionPriorities.map((entry) => (
          <option key={entry} value={entry}>
            {t(`actions.priorities.${entry}`)}
          </option>
        ))}
      </Select>
    </FormDialog>
  );
}
