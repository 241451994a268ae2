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
import { catalogKeys, fetchFailureCodes, updateFailureCode, type FailureCode } from './catalog-api.ts';
import { ActiveBadge, RowActions } from './catalog-table-parts.tsx';
import { FailureCodeFormDialog } from './failure-code-form-dialog.tsx';

const severityTone = { low: 'neutral', medium: 'info', high: 'warn', critical: 'bad' } as const;

export function FailureCodesPage() {
  const { t } = useTranslation();
  const codes = useQuery({
    queryKey: catalogKeys.failureCodes(true),
    queryFn: () => fetchFailureCodes(true),
  });
  const [editing, setEditing] = useState<FailureCode | 'new' | null>(null);
  const [retiring, setRetiring] = useState<FailureCode | null>(null);

  const setActive = useSaveMutation({
    mutationFn: ({ code, active }: { code: FailureCode; active: boolean }) =>
      updateFailureCode(code.id, { is_active: active }),
    invalidate: [catalogKeys.all],
    successText: (saved) =>
      t(saved.is_active ? 'catalog.activated' : 'catalog.deactivated', { code: saved.code }),
    onSaved: () => setRetiring(null),
  });

  return (
    <>
      <PageHeader
        title={t('catalog.failuresTitle')}
        hint={t('catalog.failuresHint')}
        actions={
          <Button onClick={() => setEditing('new')}>
            <Plus aria-hidden className="size-4" />
            {t('catalog.newFailure')}
          </Button>
        }
      />
      <QueryState query={codes} isEmpty={(list) => list.length === 0} emptyTitle={t('catalog.noFailures')}>
        {(list) => (
          <ListTable
            caption={t('catalog.failuresTitle')}
            headers={[
              t('catalog.code'),
              t('catalog.name'),
              t('catalog.description'),
              t('catalog.severity'),
              t('catalog.status'),
            ]}
          >
            {list.map((code) => (
              <Tr key={code.id} data-testid={`failure-row-${code.code}`}>
                <Td className="font-mono text-xs">{code.code}</Td>
                <Td>{code.name}</Td>
                <Td className="max-w-md text-slate-600 dark:text-slate-400">{code.description || '—'}</Td>
                <Td>
                  <Badge tone={severityTone[code.default_severity] ?? 'neutral'}>
                    {t(`catalog.severities.${code.default_severity}`, code.default_severity)}
                  </Badge>
                </Td>
                <Td>
                  <ActiveBadge active={code.is_active} />
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <RowActions
                    active={code.is_active}
                    onEdit={() => setEditing(code)}
                    onToggle={() =>
                      code.is_active ? setRetiring(code) : setActive.mutate({ code, active: true })
                    }
                  />
                </Td>
              </Tr>
            ))}
          </ListTable>
        )}
      </QueryState>
      {editing && (
        <FailureCodeFormDialog
          code={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={retiring !== null}
        title={t('catalog.deactivateTitle', { code: retiring?.code ?? '' })}
        message={t('catalog.deactivateFailureMessage')}
        confirmLabel={t('catalog.deactivate')}
        busy={setActive.isPending}
        onCancel={() => setRetiring(null)}
        onConfirm={() => retiring && setActive.mutate({ code: retiring, active: false })}
      />
    </>
  );
}
