import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { Input, Select, Switch } from '../../components/ui/field.tsx';
import { fieldProblems } from '../../lib/form-errors.ts';
import { knownRoleNames, useRoleCatalogue } from '../roles/roles-api.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { SiteChecklist } from './site-checklist.tsx';
import { createUser, updateUser, userKeys, type PlantUser } from './users-api.ts';

interface UserFormDialogProps {
  /** The person being edited; absent when adding a new one. */
  person?: PlantUser;
  onClose: () => void;
}

export function UserFormDialog({ person, onClose }: UserFormDialogProps) {
  const { t } = useTranslation();
  const roles = useRoleCatalogue();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [username, setUsername] = useState(person?.username ?? '');
  const [password, setPassword] = useState('');
  const [fullName, setFullName] = useState(person?.full_name ?? '');
  const [email, setEmail] = useState(person?.email ?? '');
  const [role, setRole] = useState(person?.role ?? 'operator');
  const [siteIds, setSiteIds] = useState<number[]>(person?.site_ids ?? []);
  const [active, setActive] = useState(person?.is_active ?? true);

  const save = useSaveMutation({
    mutationFn: () => {
      const contact = { full_name: fullName.trim() || null, email: email.trim() || null };
      if (!person) {
        return createUser({ ...contact, username: username.trim(), password, role, site_ids: siteIds });
      }
      return updateUser(person.id, {
        ...contact,
        role,
        site_ids: siteIds,
        is_active: active,
        password: password || undefined,
      });
    },
    invalidate: [userKeys.all],
    successText: (saved) =>
      person
        ? t('users.saved', { username: saved.username })
        : t('users.created', { username: saved.username }),
    onSaved: onClose,
    // a failed answer does not always mean nothing was stored; show the list as the server has it
    refreshOnError: true,
  });

  const problems = fieldProblems(save.error);
  const roleNames = (roles.data?.roles.map((entry) => entry.name) ?? knownRoleNames).filter(
    (name) => name !== 'machine',
  );

  return (
    <FormDialog
      title={person ? t('users.editTitle', { username: person.username }) : t('users.newTitle')}
      onClose={onClose}
      save={save}
      submitLabel={person ? t('common.save') : t('users.create')}
    >
      {!person && (
        <Input
          label={t('users.username')}
          required
          autoComplete="off"
          value={username}
          error={problems.username}
          onChange={(event) => setUsername(event.target.value)}
        />
      )}
      <Input
        label={person ? t('users.newPassword') : t('users.password')}
        type="password"
        autoComplete="new-password"
        required={!person}
        hint={person ? t('users.newPasswordHint') : t('users.passwordHint')}
        value={password}
        error={problems.password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <Input
        label={t('users.fullName')}
        value={fullName}
        error={problems.full_name}
        onChange={(event) => setFullName(event.target.value)}
      />
      <Input
        label={t('users.email')}
        type="email"
        value={email}
        error={problems.email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <Select
        label={t('users.role')}
        value={role}
        error={problems.role}
        onChange={(event) => setRole(event.target.value)}
      >
        {roleNames.map((name) => (
          <option key={name} value={name}>
            {t(`roles.names.${name}`, name)}
          </option>
        ))}
      </Select>
      <SiteChecklist sites={sites.data ?? []} selected={siteIds} onChange={setSiteIds} />
      {person && <Switch label={t('users.active')} checked={active} onChange={setActive} />}
    </FormDialog>
  );
}
