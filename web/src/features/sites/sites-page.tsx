import { useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { ListTable, Td, Tr } from '../../components/ui/table.tsx';
import { formatMoment } from '../../lib/format.ts';
import { SiteFormDialog } from './site-form-dialog.tsx';
import { fetchSites, siteKeys, type PlantSite } from './sites-api.ts';

export function SitesPage() {
  const { t } = useTranslation();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [editing, setEditing] = useState<PlantSite | 'new' | null>(null);

  return (
    <>
      <PageHeader
        title={t('sites.title')}
        hint={t('sites.hint')}
        actions={
          <Button onClick={() => setEditing('new')}>
            <Plus aria-hidden className="size-4" />
            {t('sites.new')}
          </Button>
        }
      />
      <QueryState
        query={sites}
        isEmpty={(list) => list.length === 0}
        emptyTitle={t('sites.empty')}
        emptyHint={t('sites.emptyHint')}
      >
        {(list) => (
          <ListTable
            caption={t('sites.title')}
            headers={[
              t('sites.code'),
              t('sites.name'),
              t('sites.timeZone'),
              t('sites.active'),
              t('common.created'),
            ]}
          >
            {list.map((site) => (
              <Tr key={site.id} data-testid={`site-row-${site.code}`}>
                <Td className="font-mono">{site.code}</Td>
                <Td>{site.name}</Td>
                <Td>{site.time_zone}</Td>
                <Td>
                  <Badge tone={site.is_active ? 'good' : 'bad'}>
                    {site.is_active ? t('common.yes') : t('common.no')}
                  </Badge>
                </Td>
                <Td>{formatMoment(site.created_at)}</Td>
                <Td className="text-right">
                  <Button tone="ghost" size="sm" onClick={() => setEditing(site)}>
                    {t('common.edit')}
                  </Button>
                </Td>
              </Tr>
            ))}
          </ListTable>
        )}
      </QueryState>
      {editing && (
        <SiteFormDialog site={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
