import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { catalogKeys, fetchFailureCodes, updateFailureCode, type FailureCode } from './catalog-api.ts';
import { ActiveBadge, RowActions } from './catalog-table-parts.tsx';
import { FailureCodeFormDialog } from './failure-code-form-dialog.tsx';

const severityTone = { low: 'neutral', medium: 'info', high: 'warn', critical: 'bad' } as const;

export function FailureCodesPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const codes = useQuery({
    queryKey: catalogKeys.failureCodes(true),
    queryFn: () => fetchFailureCodes(true),
  });
  const [editing, setEditing] = useState<FailureCode | 'new' | null>(null);
  const [retiring, setRetiring] = useState<FailureCode | null>(null);

  const setActive = useMutation({
    mutationFn: ({ code, active }: { code: FailureCode; active: boolean }) =>
      updateFailureCode(code.id, { is_active: active }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: catalogKeys.all });
      toast.success(t(saved.is_active ? 'catalog.activated' : 'catalog.deactivated', { code: saved.code }));
      setRetiring(null);
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
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
          <Table caption={t('catalog.failuresTitle')}>
            <thead>
              <tr>
                <Th>{t('catalog.code')}</Th>
                <Th>{t('catalog.name')}</Th>
                <Th>{t('catalog.description')}</Th>
                <Th>{t('catalog.severity')}</Th>
                <Th>{t('catalog.status')}</Th>
                <Th>
                  <span className="sr-only">{t('common.actions')}</span>
                </Th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </Table>
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
