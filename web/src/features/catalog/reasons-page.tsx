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
import { ActiveBadge, RowActions } from './catalog-table-parts.tsx';
import {
  catalogKeys,
  categoriesOf,
  categoryLabel,
  fetchReasons,
  updateReason,
  type DowntimeReason,
} from './catalog-api.ts';
import { ReasonFormDialog } from './reason-form-dialog.tsx';

export function ReasonsPage() {
  const { t } = useTranslation();
  const reasons = useQuery({ queryKey: catalogKeys.reasons(true), queryFn: () => fetchReasons(true) });
  const [editing, setEditing] = useState<DowntimeReason | 'new' | null>(null);
  const [retiring, setRetiring] = useState<DowntimeReason | null>(null);

  const setActive = useSaveMutation({
    mutationFn: ({ reason, active }: { reason: DowntimeReason; active: boolean }) =>
      updateReason(reason.id, { is_active: active }),
    invalidate: [catalogKeys.all],
    successText: (saved) =>
      t(saved.is_active ? 'catalog.activated' : 'catalog.deactivated', { code: saved.code }),
    onSaved: () => setRetiring(null),
  });
  const categories = categoriesOf(reasons.data ?? []);

  return (
    <>
      <PageHeader
        title={t('catalog.reasonsTitle')}
        hint={t('catalog.reasonsHint')}
        actions={
          <Button onClick={() => setEditing('new')} disabled={categories.length === 0}>
            <Plus aria-hidden className="size-4" />
            {t('catalog.newReason')}
          </Button>
        }
      />
      <QueryState query={reasons} isEmpty={(list) => list.length === 0} emptyTitle={t('catalog.noReasons')}>
        {(list) => (
          <ListTable
            caption={t('catalog.reasonsTitle')}
            headers={[
              t('catalog.code'),
              t('catalog.nameEn'),
              t('catalog.nameRu'),
              t('catalog.category'),
              t('catalog.status'),
            ]}
          >
            {list.map((reason) => (
              <Tr key={reason.id} data-testid={`reason-row-${reason.code}`}>
                <Td className="font-mono text-xs">{reason.code}</Td>
                <Td>{reason.name}</Td>
                <Td lang="ru">{reason.name_ru || '—'}</Td>
                <Td>
                  {categoryLabel(reason)}{' '}
                  {reason.is_failure && <Badge tone="bad">{t('catalog.failure')}</Badge>}
                </Td>
                <Td>
                  <ActiveBadge active={reason.is_active} />
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <RowActions
                    active={reason.is_active}
                    onEdit={() => setEditing(reason)}
                    onToggle={() =>
                      reason.is_active ? setRetiring(reason) : setActive.mutate({ reason, active: true })
                    }
                  />
                </Td>
              </Tr>
            ))}
          </ListTable>
        )}
      </QueryState>
      {editing && (
        <ReasonFormDialog
          reason={editing === 'new' ? undefined : editing}
          categories={categories}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={retiring !== null}
        title={t('catalog.deactivateTitle', { code: retiring?.code ?? '' })}
        message={t('catalog.deactivateReasonMessage')}
        confirmLabel={t('catalog.deactivate')}
        busy={setActive.isPending}
        onCancel={() => setRetiring(null)}
        onConfirm={() => retiring && setActive.mutate({ reason: retiring, active: false })}
      />
    </>
  );
}
