import { useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { ListTable, Td, Tr } from '../../components/ui/table.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { ActiveBadge, RowActions } from '../catalog/catalog-table-parts.tsx';
import { IssueTypeFormDialog } from './issue-type-form-dialog.tsx';
import { fetchIssueTypes, issueKeys, updateIssueType, type IssueType } from './issues-api.ts';

/** The kinds of production issue workers pick from when they report one. */
export function IssueTypesPage() {
  const { t } = useTranslation();
  const types = useQuery({ queryKey: issueKeys.types(true), queryFn: () => fetchIssueTypes(true) });
  const [editing, setEditing] = useState<IssueType | 'new' | null>(null);
  const [retiring, setRetiring] = useState<IssueType | null>(null);

  const setActive = useSaveMutation({
    mutationFn: ({ type, active }: { type: IssueType; active: boolean }) =>
      updateIssueType(type.code, { is_active: active }),
    invalidate: [issueKeys.typesAll],
    successText: (saved) =>
      t(saved.is_active ? 'catalog.activated' : 'catalog.deactivated', { code: saved.code }),
    onSaved: () => setRetiring(null),
  });

  return (
    <>
      <PageHeader
        title={t('production.issueTypesTitle')}
        hint={t('production.issueTypesHint')}
        actions={
          <Button onClick={() => setEditing('new')}>
            <Plus aria-hidden className="size-4" />
            {t('production.newIssueType')}
          </Button>
        }
      />
      <QueryState
        query={types}
        isEmpty={(list) => list.length === 0}
        emptyTitle={t('production.noIssueTypes')}
      >
        {(list) => (
          <ListTable
            caption={t('production.issueTypesTitle')}
            headers={[
              t('catalog.code'),
              t('catalog.nameEn'),
              t('catalog.nameRu'),
              t('production.sortOrder'),
              t('catalog.status'),
            ]}
          >
            {[...list]
              .sort((a, b) => a.sort_order - b.sort_order || a.code.localeCompare(b.code))
              .map((type) => (
                <Tr key={type.code} data-testid={`issue-type-row-${type.code}`}>
                  <Td className="font-mono text-xs">{type.code}</Td>
                  <Td>{type.name}</Td>
                  <Td lang="ru">{type.name_ru || '—'}</Td>
                  <Td className="tabular-nums">{type.sort_order}</Td>
                  <Td>
                    <ActiveBadge active={type.is_active} />
                  </Td>
                  <Td className="text-right whitespace-nowrap">
                    <RowActions
                      active={type.is_active}
                      onEdit={() => setEditing(type)}
                      onToggle={() =>
                        type.is_active ? setRetiring(type) : setActive.mutate({ type, active: true })
                      }
                    />
                  </Td>
                </Tr>
              ))}
          </ListTable>
        )}
      </QueryState>
      {editing && (
        <IssueTypeFormDialog
          issueType={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={retiring !== null}
        title={t('catalog.deactivateTitle', { code: retiring?.code ?? '' })}
        message={t('production.deactivateIssueTypeMessage')}
        confirmLabel={t('catalog.deactivate')}
        busy={setActive.isPending}
        onCancel={() => setRetiring(null)}
        onConfirm={() => retiring && setActive.mutate({ type: retiring, active: false })}
      />
    </>
  );
}
