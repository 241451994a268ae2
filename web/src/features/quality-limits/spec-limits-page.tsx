import { useQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, Plus, Upload } from 'lucide-react';
import { Fragment, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { ListTable, Td, Tr } from '../../components/ui/table.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatMoment } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchSites, siteKeys, type PlantSite } from '../sites/sites-api.ts';
import { LimitFormDialog } from './limit-form-dialog.tsx';
import { formatLimit } from './limit-format.ts';
import { LimitHistory } from './limit-history.tsx';
import {
  deleteLimit,
  fetchLimitHistory,
  groupLimits,
  limitKeys,
  type LimitGroup,
  type SpecLimit,
} from './limits-api.ts';
import { ExportLimitsButton, ImportLimitsDialog } from './limits-csv.tsx';

type Dialogs = { kind: 'new'; basis?: SpecLimit } | { kind: 'import' };

/**
 * Spec limits per product × test step of one site: the version in force, the next one if planned,
 * and the whole history per row. Managers add versions (now or from a chosen time), delete versions
 * still to come, and import or export the lot as CSV.
 */
export function SpecLimitsPage() {
  const { t } = useTranslation();
  const canManage = can(useCurrentUser().data, 'quality:manage');
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [siteId, setSiteId] = useState<number | null>(null);
  const site = sites.data?.find((candidate) => candidate.id === siteId) ?? sites.data?.[0];

  return (
    <>
      <PageHeader
        title={t('qualityLimits.title')}
        hint={t('qualityLimits.hint')}
        actions={
          (sites.data?.length ?? 0) > 1 && (
            <Select
              label={t('qualityLimits.site')}
              value={site?.id ?? ''}
              onChange={(event) => setSiteId(Number(event.target.value))}
            >
              {sites.data?.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.code} — {candidate.name}
                </option>
              ))}
            </Select>
          )
        }
      />
      <QueryState
        query={sites}
        isEmpty={(list) => list.length === 0}
        emptyTitle={t('home.noSites')}
        emptyHint={t('home.noSitesHint')}
      >
        {() => site && <SiteLimits key={site.id} site={site} canManage={canManage} />}
      </QueryState>
    </>
  );
}

function SiteLimits({ site, canManage }: { site: PlantSite; canManage: boolean }) {
  const { t } = useTranslation();
  const limits = useQuery({
    queryKey: limitKeys.history(site.id),
    queryFn: () => fetchLimitHistory(site.id),
  });
  // The server marks in_force as of its answer: "upcoming" is judged from then on, never earlier.
  const now = Math.max(useNow(60_000), limits.dataUpdatedAt);
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<Dialogs | null>(null);
  const [deleting, setDeleting] = useState<SpecLimit | null>(null);

  const groups = useMemo(() => groupLimits(limits.data ?? [], now), [limits.data, now]);
  const wanted = search.trim().toLowerCase();
  const shown = wanted
    ? groups.filter((group) => `${group.product_id} ${group.test_step}`.toLowerCase().includes(wanted))
    : groups;

  const remove = useSaveMutation({
    mutationFn: (limit: SpecLimit) => deleteLimit(limit.id),
    invalidate: [limitKeys.all],
    successText: () => t('qualityLimits.deleted'),
    onSaved: () => setDeleting(null),
  });
  const toggle = (key: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const headers = [
    t('qualityLimits.product'),
    t('qualityLimits.testStep'),
    t('qualityLimits.lower'),
    t('qualityLimits.target'),
    t('qualityLimits.upper'),
    t('qualityLimits.unit'),
    t('qualityLimits.inForceSince'),
    t('qualityLimits.nextChange'),
  ];

  return (
    <section aria-label={site.name} className="space-y-4">
      <div className="flex flex-wrap items-end gap-2">
        <div className="w-full sm:w-72">
          <Input
            label={t('qualityLimits.search')}
            type="search"
            placeholder={t('qualityLimits.searchPlaceholder')}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <span className="ml-auto flex flex-wrap gap-2">
          <ExportLimitsButton siteId={site.id} siteCode={site.code} />
          {canManage && (
            <Button tone="secondary" onClick={() => setDialog({ kind: 'import' })}>
              <Upload aria-hidden className="size-4" />
              {t('qualityLimits.importCsv')}
            </Button>
          )}
          {canManage && (
            <Button onClick={() => setDialog({ kind: 'new' })}>
              <Plus aria-hidden className="size-4" />
              {t('qualityLimits.newLimit')}
            </Button>
          )}
        </span>
      </div>

      <QueryState
        query={limits}
        isEmpty={(list) => list.length === 0}
        emptyTitle={t('qualityLimits.empty')}
        emptyHint={canManage ? t('qualityLimits.emptyHint') : undefined}
      >
        {() =>
          shown.length === 0 ? (
            <p className="text-sm text-slate-500">{t('qualityLimits.noMatch')}</p>
          ) : (
            <ListTable caption={t('qualityLimits.tableCaption', { site: site.code })} headers={headers}>
              {shown.map((group) => (
                <GroupRows
                  key={group.key}
                  group={group}
                  now={now}
                  open={expanded.has(group.key)}
                  columns={headers.length + 1}
                  canManage={canManage}
                  onToggle={() => toggle(group.key)}
                  onNewVersion={() => setDialog({ kind: 'new', basis: group.current ?? group.versions[0] })}
                  onDelete={setDeleting}
                />
              ))}
            </ListTable>
          )
        }
      </QueryState>

      {dialog?.kind === 'new' && (
        <LimitFormDialog siteId={site.id} basis={dialog.basis} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'import' && <ImportLimitsDialog siteId={site.id} onClose={() => setDialog(null)} />}
      <ConfirmDialog
        open={deleting !== null}
        title={t('qualityLimits.deleteTitle', {
          product: deleting?.product_id ?? '',
          step: deleting?.test_step ?? '',
        })}
        message={t('qualityLimits.deleteMessage', { at: formatMoment(deleting?.effective_from) })}
        confirmLabel={t('qualityLimits.delete')}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </section>
  );
}

function GroupRows({
  group,
  now,
  open,
  columns,
  canManage,
  onToggle,
  onNewVersion,
  onDelete,
}: {
  group: LimitGroup;
  now: number;
  open: boolean;
  columns: number;
  canManage: boolean;
  onToggle: () => void;
  onNewVersion: () => void;
  onDelete: (limit: SpecLimit) => void;
}) {
  const { t } = useTranslation();
  // Before its first version takes effect, the row shows that version as what is coming.
  const shown = group.current ?? group.next ?? group.versions[0]!;
  const historyId = `limit-history-${group.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const Chevron = open ? ChevronDown : ChevronRight;
  return (
    <Fragment>
      <Tr data-testid={`limit-row-${group.product_id}-${group.test_step}`}>
        <Td>
          <button
            type="button"
            aria-expanded={open}
            aria-controls={historyId}
            aria-label={`${group.product_id} / ${group.test_step}: ${t('qualityLimits.history', { count: group.versions.length })}`}
            title={t('qualityLimits.history', { count: group.versions.length })}
            onClick={onToggle}
            className="inline-flex items-center gap-1 rounded font-mono text-xs whitespace-nowrap hover:underline focus-visible:outline-2 focus-visible:outline-sky-500"
          >
            <Chevron aria-hidden className="size-4 shrink-0" />
            {group.product_id}
            <span className="rounded-full bg-slate-200 px-1.5 font-sans text-[10px] text-slate-700 dark:bg-slate-700 dark:text-slate-200">
              {group.versions.length}
            </span>
          </button>
        </Td>
        <Td>{group.test_step}</Td>
        <Td className="tabular-nums">{formatLimit(shown.lower_limit)}</Td>
        <Td className="tabular-nums text-slate-500">{formatLimit(shown.target)}</Td>
        <Td className="tabular-nums">{formatLimit(shown.upper_limit)}</Td>
        <Td>{shown.unit ?? '—'}</Td>
        <Td className="whitespace-nowrap">
          {group.current ? (
            formatMoment(group.current.effective_from)
          ) : (
            <Badge tone="warn">{t('qualityLimits.notYetInForce')}</Badge>
          )}
        </Td>
        <Td className="whitespace-nowrap text-sky-800 dark:text-sky-300" data-testid="limit-next">
          {group.next ? formatMoment(group.next.effective_from) : '—'}
        </Td>
        <Td className="text-right whitespace-nowrap">
          {canManage && (
            <Button tone="ghost" size="sm" onClick={onNewVersion}>
              {t('qualityLimits.newVersion')}
            </Button>
          )}
        </Td>
      </Tr>
      {open && (
        <tr id={historyId} className="bg-slate-50 dark:bg-slate-950/40">
          <td colSpan={columns} className="px-3">
            <LimitHistory group={group} now={now} canManage={canManage} onDelete={onDelete} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
