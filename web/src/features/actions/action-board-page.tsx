import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { clsx } from 'clsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Select, Switch } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { formatMoment } from '../../lib/format.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { fetchUsers, userKeys } from '../users/users-api.ts';
import { ActionCreateDialog } from './action-create-dialog.tsx';
import { OverdueBadge, PriorityBadge } from './action-badges.tsx';
import {
  actionKeys,
  actionSources,
  actionStatuses,
  fetchActionPage,
  type ActionFilter,
  type ActionItem,
  type ActionSource,
  type ActionStatus,
} from './actions-api.ts';
import { moveLabelKey, useActionMove } from './use-action-move.ts';

/** Moves a manager may make from each column (the server checks again). */
const boardMoves: Record<ActionStatus, ActionStatus[]> = {
  open: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: ['open'],
  cancelled: [],
};

function BoardCard({ item, manage }: { item: ActionItem; manage: boolean }) {
  const { t } = useTranslation();
  const move = useActionMove();
  return (
    <li
      data-testid="action-card"
      data-action-id={item.id}
      draggable={manage}
      onDragStart={(event) => event.dataTransfer.setData('text/action-id', String(item.id))}
      className={clsx(
        'rounded-md border bg-white p-3 text-sm shadow-sm dark:bg-slate-900',
        item.overdue ? 'border-red-400 dark:border-red-700' : 'border-slate-200 dark:border-slate-800',
      )}
    >
      <Link
        to="/actions/$actionId"
        params={{ actionId: String(item.id) }}
        className="font-medium text-sky-800 hover:underline dark:text-sky-300"
      >
        {item.title}
      </Link>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        <PriorityBadge priority={item.priority} />
        <span className="text-slate-600 dark:text-slate-400">
          {item.assignee_name ?? t('actions.unassigned')}
        </span>
      </div>
      <div className="mt-1 text-xs text-slate-500">
        {item.due_at ? t('actions.dueOn', { when: formatMoment(item.due_at) }) : t('actions.noDue')}
      </div>
      <OverdueBadge item={item} />
      {manage && boardMoves[item.status].length > 0 && (
        <div className="mt-2 flex flex-wrap gap-1">
          {boardMoves[item.status].map((to) => (
            <Button
              key={to}
              size="sm"
              tone="secondary"
              busy={move.isPending}
              onClick={() => move.mutate({ id: item.id, status: to })}
            >
              {t(moveLabelKey[to])}
            </Button>
          ))}
        </div>
      )}
    </li>
  );
}

function BoardColumn({
  status,
  filter,
  manage,
}: {
  status: ActionStatus;
  filter: ActionFilter;
  manage: boolean;
}) {
  const { t } = useTranslation();
  const items = useQuery({
    queryKey: actionKeys.list({ ...filter, status }),
    queryFn: () => fetchActionPage({ ...filter, status }, null, 200),
    refetchInterval: 60_000,
  });
  const move = useActionMove();
  return (
    <section
      aria-label={t(`actions.statuses.${status}`)}
      data-testid={`action-column-${status}`}
      className="min-w-64 flex-1 rounded-lg bg-slate-100 p-3 dark:bg-slate-800/50"
      onDragOver={(event) => manage && event.preventDefault()}
      onDrop={(event) => {
        const id = Number(event.dataTransfer.getData('text/action-id'));
        if (!manage || !id) return;
        move.mutate({ id, status });
      }}
    >
      <h2 className="mb-2 font-semibold">
        {t(`actions.statuses.${status}`)}{' '}
        <span className="text-sm font-normal text-slate-500">{items.data?.items.length ?? ''}</span>
      </h2>
      {items.isPending ? (
        <PageSpinner />
      ) : items.isError ? (
        <ErrorState error={items.error} onRetry={() => void items.refetch()} />
      ) : items.data.items.length === 0 ? (
        <p className="text-sm text-slate-500">{t('actions.columnEmpty')}</p>
      ) : (
        <ul className="space-y-2">
          {items.data.items.map((item) => (
            <BoardCard key={item.id} item={item} manage={manage} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** `/actions/board`: every action of the reader's sites in columns by status, with filters. */
export function ActionBoardPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const manage = can(user.data, 'action:manage');
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const users = useQuery({
    queryKey: userKeys.all,
    queryFn: fetchUsers,
    enabled: can(user.data, 'user:read'),
  });
  const [filter, setFilter] = useState<ActionFilter>({});
  const [creating, setCreating] = useState(false);
  const set = (change: ActionFilter) => setFilter((current) => ({ ...current, ...change }));
  return (
    <>
      <PageHeader
        title={t('actions.boardTitle')}
        hint={t('actions.boardHint')}
        actions={
          manage ? <Button onClick={() => setCreating(true)}>{t('actions.create')}</Button> : undefined
        }
      />
      <div
        role="group"
        aria-label={t('actions.filters')}
        className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4 dark:border-slate-800 dark:bg-slate-900"
      >
        {(sites.data?.length ?? 0) > 1 && (
          <Select
            label={t('actions.site')}
            value={filter.site_id ?? ''}
            onChange={(e) => set({ site_id: Number(e.target.value) || undefined })}
          >
            <option value="">{t('actions.any')}</option>
            {sites.data?.map((site) => (
              <option key={site.id} value={site.id}>
                {site.code}
              </option>
            ))}
          </Select>
        )}
        <Select
          label={t('actions.assignee')}
          value={filter.assignee ?? ''}
          onChange={(e) => {
            const value = e.target.value;
            set({ assignee: value === 'mine' || value === 'none' ? value : Number(value) || undefined });
          }}
        >
          <option value="">{t('actions.any')}</option>
          <option value="mine">{t('actions.mine')}</option>
          <option value="none">{t('actions.unassigned')}</option>
          {(users.data ?? [])
            .filter((person) => person.is_active)
            .map((person) => (
              <option key={person.id} value={person.id}>
                {person.full_name ?? person.username}
              </option>
            ))}
        </Select>
        <Select
          label={t('actions.source')}
          value={filter.source ?? ''}
          onChange={(e) => set({ source: (e.target.value || undefined) as ActionSource | undefined })}
        >
          <option value="">{t('actions.any')}</option>
          {actionSources.map((source) => (
            <option key={source} value={source}>
              {t(`actions.sources.${source}`)}
            </option>
          ))}
        </Select>
        <div className="flex items-end">
          <Switch
            label={t('actions.overdueOnly')}
            checked={filter.overdue === true}
            onChange={(on) => set({ overdue: on || undefined })}
          />
        </div>
      </div>
      <div className="flex gap-3 overflow-x-auto pb-2">
        {actionStatuses.map((status) => (
          <BoardColumn key={status} status={status} filter={filter} manage={manage} />
        ))}
      </div>
      {creating && <ActionCreateDialog onClose={() => setCreating(false)} />}
    </>
  );
}
