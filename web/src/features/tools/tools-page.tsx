import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { clsx } from 'clsx';
import { Plus, Upload } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Input, Select, Switch } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { LifeBar } from './life-bar.tsx';
import { ShotsCsvDialog } from './shots-csv-dialog.tsx';
import { ToolFormDialog } from './tool-form-dialog.tsx';
import {
  fetchToolPage,
  toolKeys,
  toolKinds,
  toolStatuses,
  toolStatusTone,
  type ToolFilter,
} from './tools-api.ts';

const linkClass = 'text-sky-700 underline dark:text-sky-400';

/** The tool list: filters, status, life used (near-limit rows stand out), new tool, CSV of readings. */
export function ToolsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const [filter, setFilter] = useState<ToolFilter>({});
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const tools = useInfiniteQuery({
    queryKey: toolKeys.list(filter),
    queryFn: ({ pageParam }) => fetchToolPage(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const list = tools.data?.pages.flatMap((page) => page.items) ?? [];
  const update = (key: keyof ToolFilter) => (event: { target: { value: string } }) =>
    setFilter((current) => ({ ...current, [key]: event.target.value }));

  return (
    <>
      <PageHeader
        title={t('tools.title')}
        hint={t('tools.hint')}
        actions={
          <>
            {can(user, 'shots:record') && (
              <Button tone="secondary" onClick={() => setImporting(true)}>
                <Upload className="size-4" aria-hidden /> {t('tools.importCsv')}
              </Button>
            )}
            {can(user, 'tool:manage') && (
              <Button onClick={() => setCreating(true)}>
                <Plus className="size-4" aria-hidden /> {t('tools.new')}
              </Button>
            )}
          </>
        }
      />
      <div className="mb-4 grid gap-3 sm:grid-cols-4">
        <Input label={t('tools.search')} value={filter.q ?? ''} onChange={update('q')} type="search" />
        <Select label={t('tools.kind')} value={filter.kind ?? ''} onChange={update('kind')}>
          <option value="">{t('tools.any')}</option>
          {toolKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`tools.kinds.${kind}`)}
            </option>
          ))}
        </Select>
        <Select label={t('tools.status')} value={filter.status ?? ''} onChange={update('status')}>
          <option value="">{t('tools.inUse')}</option>
          {toolStatuses.map((status) => (
            <option key={status} value={status}>
              {t(`tools.statuses.${status}`)}
            </option>
          ))}
        </Select>
        <div className="flex items-end pb-2">
          <Switch
            label={t('tools.nearLimitOnly')}
            checked={filter.near_limit === 'true'}
            onChange={(checked: boolean) =>
              setFilter((current) => ({ ...current, near_limit: checked ? 'true' : '' }))
            }
          />
        </div>
      </div>
      {tools.isPending ? (
        <PageSpinner />
      ) : tools.isError ? (
        <ErrorState error={tools.error} onRetry={() => void tools.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title={t('tools.empty')} hint={t('tools.emptyHint')} />
      ) : (
        <Table caption={t('tools.title')}>
          <thead>
            <tr>
              <Th>{t('tools.assetNumber')}</Th>
              <Th>{t('tools.name')}</Th>
              <Th>{t('tools.kind')}</Th>
              <Th>{t('tools.status')}</Th>
              <Th>{t('tools.mountedOn')}</Th>
              <Th>{t('tools.lifeUsed')}</Th>
            </tr>
          </thead>
          <tbody>
            {list.map((tool) => (
              <Tr
                key={tool.id}
                data-testid="tool-row"
                className={clsx(tool.near_life_limit && 'bg-amber-50 dark:bg-amber-950/40')}
              >
                <Td>
                  <Link to="/tools/$toolId" params={{ toolId: String(tool.id) }} className={linkClass}>
                    {tool.asset_number}
                  </Link>
                </Td>
                <Td>{tool.name}</Td>
                <Td>{t(`tools.kinds.${tool.kind}`)}</Td>
                <Td>
                  <Badge tone={toolStatusTone[tool.status]}>{t(`tools.statuses.${tool.status}`)}</Badge>
                  {tool.near_life_limit && (
                    <span className="ml-2">
                      <Badge tone="warn">{t('tools.nearLimit')}</Badge>
                    </span>
                  )}
                </Td>
                <Td>{tool.mounted ? `${tool.mounted.machine_code} · ${tool.mounted.position}` : '—'}</Td>
                <Td>
                  <LifeBar tool={tool} />
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      {tools.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button tone="secondary" busy={tools.isFetchingNextPage} onClick={() => void tools.fetchNextPage()}>
            {t('tools.more')}
          </Button>
        </div>
      )}
      {creating && <ToolFormDialog onClose={() => setCreating(false)} />}
      {importing && <ShotsCsvDialog onClose={() => setImporting(false)} />}
    </>
  );
}
