import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { formatDecimal } from '../../lib/format.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { RouteFormDialog } from './route-form-dialog.tsx';
import { deleteRoute, fetchRoutes, routeKeys, type ProductionRoute } from './routes-api.ts';

function RouteCard({
  route,
  onEdit,
  onDelete,
}: {
  route: ProductionRoute;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const title = route.product_code ?? t('production.siteDefault');
  return (
    <li
      data-testid={`route-${route.product_code ?? 'default'}`}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="flex flex-wrap items-center gap-2 font-semibold">
            <span className={route.product_code ? 'font-mono' : undefined}>{title}</span>
            {route.built_in && <Badge tone="info">{t('production.builtIn')}</Badge>}
          </p>
          <p className="text-sm text-slate-600 dark:text-slate-400">{route.name}</p>
        </div>
        <div className="flex gap-1">
          <Button
            tone="ghost"
            size="sm"
            aria-label={t('production.editRoute', { name: title })}
            onClick={onEdit}
          >
            <Pencil aria-hidden className="size-4" />
            {t('common.edit')}
          </Button>
          {route.id !== null && !route.built_in && (
            <Button
              tone="ghost"
              size="sm"
              aria-label={t('production.deleteRoute', { name: title })}
              onClick={onDelete}
            >
              <Trash2 aria-hidden className="size-4" />
            </Button>
          )}
        </div>
      </div>
      <ol className="flex flex-wrap gap-2 text-sm">
        {route.steps.map((step, index) => (
          <li key={step.stage_name} className="rounded-md bg-slate-100 px-2 py-1 dark:bg-slate-800">
            {index + 1}. {step.stage_name}{' '}
            <span className="text-xs text-slate-500">
              ×{formatDecimal(step.weight, step.weight % 1 ? 1 : 0)}
            </span>
          </li>
        ))}
      </ol>
    </li>
  );
}

/** Per site, the stage routes new work orders are planned from. */
export function RoutesPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [chosen, setChosen] = useState<number | null>(null);
  const [editing, setEditing] = useState<ProductionRoute | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ProductionRoute | null>(null);
  const siteList = (sites.data ?? []).filter((site) => site.is_active);
  const site = siteList.find((entry) => entry.id === chosen) ?? siteList[0];
  const siteId = site?.id ?? 0;
  const routes = useQuery({
    queryKey: routeKeys.site(siteId),
    queryFn: () => fetchRoutes(siteId),
    enabled: siteId > 0,
  });
  const remove = useMutation({
    mutationFn: (route: ProductionRoute) => deleteRoute(route.id ?? 0),
    onSuccess: (_, route) => {
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: routeKeys.site(siteId) });
      toast.success(t('production.routeDeleted', { name: route.name }));
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });

  return (
    <>
      <PageHeader
        title={t('production.routesTitle')}
        hint={t('production.routesHint')}
        actions={
          site && (
            <Button onClick={() => setEditing('new')}>
              <Plus aria-hidden className="size-4" />
              {t('production.newRoute')}
            </Button>
          )
        }
      />
      {sites.isPending ? (
        <PageSpinner />
      ) : !site ? (
        <EmptyState title={t('home.noSites')} hint={t('home.noSitesHint')} />
      ) : (
        <>
          {siteList.length > 1 && (
            <div className="mb-4 w-64">
              <Select
                label={t('production.site')}
                value={siteId}
                onChange={(e) => setChosen(Number(e.target.value))}
              >
                {siteList.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.code} — {entry.name}
                  </option>
                ))}
              </Select>
            </div>
          )}
          <QueryState
            query={routes}
            isEmpty={(list) => list.length === 0}
            emptyTitle={t('production.noRoutes')}
          >
            {(list) => (
              <ul className="space-y-3">
                {list.map((route) => (
                  <RouteCard
                    key={route.id ?? `built-in-${route.product_code ?? ''}`}
                    route={route}
                    onEdit={() => setEditing(route)}
                    onDelete={() => setDeleting(route)}
                  />
                ))}
              </ul>
            )}
          </QueryState>
        </>
      )}
      {editing && site && (
        <RouteFormDialog
          siteId={site.id}
          route={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t('production.deleteRouteTitle')}
        message={t('production.deleteRouteMessage', { name: deleting?.name ?? '' })}
        confirmLabel={t('production.delete')}
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      />
    </>
  );
}
