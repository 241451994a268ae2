import { useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { ListTable, Td, Tr } from '../../components/ui/table.tsx';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { UserFormDialog } from './user-form-dialog.tsx';
import { fetchUsers, updateUser, userKeys, type PlantUser } from './users-api.ts';

export function UsersPage() {
  const { t } = useTranslation();
  const users = useQuery({ queryKey: userKeys.all, queryFn: fetchUsers });
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [editing, setEditing] = useState<PlantUser | 'new' | null>(null);
  const [disabling, setDisabling] = useState<PlantUser | null>(null);

  const setActive = useSaveMutation({
    mutationFn: ({ person, active }: { person: PlantUser; active: boolean }) =>
      updateUser(person.id, { is_active: active }),
    invalidate: [userKeys.all],
    successText: (saved) =>
      t(saved.is_active ? 'users.enabled' : 'users.disabled', { username: saved.username }),
    onSaved: () => setDisabling(null),
  });

  const siteCode = (siteId: number) => sites.data?.find((site) => site.id === siteId)?.code ?? `#${siteId}`;

  return (
    <>
      <PageHeader
        title={t('users.title')}
        hint={t('users.hint')}
        actions={
          <Button onClick={() => setEditing('new')}>
            <Plus aria-hidden className="size-4" />
            {t('users.new')}
          </Button>
        }
      />
      <QueryState query={users} isEmpty={(list) => list.length === 0} emptyTitle={t('users.empty')}>
        {(list) => (
          <ListTable
            caption={t('users.title')}
            headers={[
              t('users.username'),
              t('users.fullName'),
              t('users.email'),
              t('users.role'),
              t('users.sites'),
              t('users.active'),
            ]}
          >
            {list.map((person) => (
              <Tr key={person.id} data-testid={`user-row-${person.username}`}>
                <Td className="font-medium">{person.username}</Td>
                <Td>{person.full_name || '—'}</Td>
                <Td>{person.email || '—'}</Td>
                <Td>{t(`roles.names.${person.role}`, person.role)}</Td>
                <Td>
                  <div className="flex flex-wrap gap-1">
                    {person.site_ids.length === 0
                      ? '—'
                      : person.site_ids.map((id) => <Badge key={id}>{siteCode(id)}</Badge>)}
                  </div>
                </Td>
                <Td>
                  <Badge tone={person.is_active ? 'good' : 'bad'}>
                    {person.is_active ? t('common.yes') : t('common.no')}
                  </Badge>
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <Button tone="ghost" size="sm" onClick={() => setEditing(person)}>
                    {t('common.edit')}
                  </Button>
                  {person.is_active ? (
                    <Button tone="ghost" size="sm" onClick={() => setDisabling(person)}>
                      {t('users.disable')}
                    </Button>
                  ) : (
                    <Button tone="ghost" size="sm" onClick={() => setActive.mutate({ person, active: true })}>
                      {t('users.enable')}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </ListTable>
        )}
      </QueryState>
      {editing && (
        <UserFormDialog person={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />
      )}
      <ConfirmDialog
        open={disabling !== null}
        title={t('users.disableTitle')}
        message={t('users.disableMessage', { username: disabling?.username ?? '' })}
        confirmLabel={t('users.disable')}
        busy={setActive.isPending}
        onCancel={() => setDisabling(null)}
        onConfirm={() => disabling && setActive.mutate({ person: disabling, active: false })}
      />
    </>
  );
}
