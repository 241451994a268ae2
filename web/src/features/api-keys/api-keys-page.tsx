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
import { formatMoment } from '../../lib/format.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { apiKeyKeys, fetchApiKeys, revokeApiKey, type MachineApiKey } from './api-keys-api.ts';
import { ApiKeyIssueDialog } from './api-key-issue-dialog.tsx';

export function ApiKeysPage() {
  const { t } = useTranslation();
  const keys = useQuery({ queryKey: apiKeyKeys.all, queryFn: fetchApiKeys });
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [issuing, setIssuing] = useState(false);
  const [revoking, setRevoking] = useState<MachineApiKey | null>(null);

  const revoke = useSaveMutation({
    mutationFn: (key: MachineApiKey) => revokeApiKey(key.id),
    invalidate: [apiKeyKeys.all],
    successText: (key) => t('apiKeys.revoked', { name: key.name }),
    onSaved: () => setRevoking(null),
  });

  const siteCode = (siteId: number) => sites.data?.find((site) => site.id === siteId)?.code ?? `#${siteId}`;

  return (
    <>
      <PageHeader
        title={t('apiKeys.title')}
        hint={t('apiKeys.hint')}
        actions={
          <Button onClick={() => setIssuing(true)}>
            <Plus aria-hidden className="size-4" />
            {t('apiKeys.new')}
          </Button>
        }
      />
      <QueryState query={keys} isEmpty={(list) => list.length === 0} emptyTitle={t('apiKeys.empty')}>
        {(list) => (
          <ListTable
            caption={t('apiKeys.title')}
            headers={[
              t('apiKeys.name'),
              t('apiKeys.site'),
              t('apiKeys.prefix'),
              t('common.created'),
              t('apiKeys.lastUsed'),
              t('apiKeys.status'),
            ]}
          >
            {list.map((key) => (
              <Tr key={key.id}>
                <Td className="font-medium">{key.name}</Td>
                <Td>{siteCode(key.site_id)}</Td>
                <Td className="font-mono text-xs">{key.prefix}…</Td>
                <Td>{formatMoment(key.created_at)}</Td>
                <Td>{key.last_used_at ? formatMoment(key.last_used_at) : t('apiKeys.neverUsed')}</Td>
                <Td>
                  {key.revoked_at ? (
                    <Badge tone="bad">{t('apiKeys.revokedAt', { at: formatMoment(key.revoked_at) })}</Badge>
                  ) : (
                    <Badge tone="good">{t('apiKeys.active')}</Badge>
                  )}
                </Td>
                <Td className="text-right">
                  {!key.revoked_at && (
                    <Button tone="ghost" size="sm" onClick={() => setRevoking(key)}>
                      {t('apiKeys.revoke')}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </ListTable>
        )}
      </QueryState>
      {issuing && <ApiKeyIssueDialog onClose={() => setIssuing(false)} />}
      <ConfirmDialog
        open={revoking !== null}
        title={t('apiKeys.revokeTitle')}
        message={t('apiKeys.revokeMessage', { name: revoking?.name ?? '' })}
        confirmLabel={t('apiKeys.revoke')}
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      />
    </>
  );
}
