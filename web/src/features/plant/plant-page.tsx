import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Factory, Plus, Upload } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { Switch } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { LineFormDialog } from './line-form-dialog.tsx';
import { MachineFormDialog } from './machine-form-dialog.tsx';
import { fetchLines, fetchMachines, plantKeys, updateLine, updateMachine } from './plant-api.ts';
import { ExportCsvButton, ImportCsvDialog } from './plant-csv.tsx';
import { LineNode, type PlantAction } from './plant-tree.tsx';

type Dialogs = PlantAction | { kind: 'new-line'; siteId: number } | { kind: 'import'; siteId: number };

/** Sites → lines → machines, with status dots; managers create, edit and retire lines and machines. */
export function PlantPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const user = useCurrentUser().data;
  const canManage = can(user, 'plant:manage');
  const [showInactive, setShowInactive] = useState(false);
  const [dialog, setDialog] = useState<Dialogs | null>(null);
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const lines = useQuery({
    queryKey: plantKeys.lines({ include_inactive: showInactive }),
    queryFn: () => fetchLines({ include_inactive: showInactive }),
  });
  const machines = useQuery({
    queryKey: plantKeys.machines({ include_inactive: showInactive }),
    queryFn: () => fetchMachines({ include_inactive: showInactive }),
  });

  const toggle = useMutation({
    mutationFn: (action: PlantAction): Promise<{ code: string; is_active: boolean }> =>
      action.kind === 'toggle-line'
        ? updateLine(action.line.id, { is_active: !action.line.is_active })
        : action.kind === 'toggle-machine'
          ? updateMachine(action.machine.id, { is_active: !action.machine.is_active })
          : Promise.reject(new Error('not a toggle')),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: plantKeys.all });
      toast.success(t(saved.is_active ? 'plant.activated' : 'plant.deactivated', { code: saved.code }));
      setDialog(null);
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const onAction = (action: PlantAction) => {
    const reactivate =
      (action.kind === 'toggle-line' && !action.line.is_active) ||
      (action.kind === 'toggle-machine' && !action.machine.is_active);
    if (reactivate) toggle.mutate(action);
    else setDialog(action);
  };

  const allLines = lines.data ?? [];
  const deactivating =
    dialog?.kind === 'toggle-line'
      ? dialog.line.code
      : dialog?.kind === 'toggle-machine'
        ? dialog.machine.code
        : null;

  return (
    <>
      <PageHeader
        title={t('plant.title')}
        hint={t('plant.hint')}
        actions={<Switch label={t('plant.showInactive')} checked={showInactive} onChange={setShowInactive} />}
      />
      <QueryState
        query={sites}
        isEmpty={(list) => list.length === 0}
        emptyTitle={t('home.noSites')}
        emptyHint={t('home.noSitesHint')}
      >
        {(siteList) => (
          <div className="space-y-4">
            {siteList.map((site) => {
              const siteLines = allLines.filter((line) => line.site_id === site.id);
              return (
                <section
                  key={site.id}
                  aria-label={site.name}
                  className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
                >
                  <div className="mb-2 flex flex-wrap items-center gap-2 px-2">
                    <Factory aria-hidden className="size-5 text-slate-500" />
                    <h2 className="font-semibold">
                      <span className="font-mono text-sm text-slate-500">{site.code}</span> {site.name}
                    </h2>
                    <span className="ml-auto flex flex-wrap gap-2">
                      {canManage && <ExportCsvButton siteId={site.id} siteCode={site.code} />}
                      {canManage && (
                        <Button
                          tone="secondary"
                          size="sm"
                          onClick={() => setDialog({ kind: 'import', siteId: site.id })}
                        >
                          <Upload aria-hidden className="size-4" />
                          {t('plant.importCsv')}
                        </Button>
                      )}
                      {canManage && (
                        <Button size="sm" onClick={() => setDialog({ kind: 'new-line', siteId: site.id })}>
                          <Plus aria-hidden className="size-4" />
                          {t('plant.newLine')}
                        </Button>
                      )}
                    </span>
                  </div>
                  {lines.isPending || machines.isPending ? (
                    <p className="px-2 text-sm text-slate-500">{t('common.loading')}</p>
                  ) : lines.isError || machines.isError ? (
                    <p role="alert" className="px-2 text-sm text-red-700 dark:text-red-400">
                      {(lines.error ?? machines.error)?.message}
                    </p>
                  ) : siteLines.length === 0 ? (
                    <p className="px-2 text-sm text-slate-500">{t('plant.noLines')}</p>
                  ) : (
                    <ul className="space-y-1">
                      {siteLines.map((line) => (
                        <LineNode
                          key={line.id}
                          line={line}
                          machines={(machines.data ?? []).filter((machine) => machine.line_id === line.id)}
                          canManage={canManage}
                          onAction={onAction}
                        />
                      ))}
                    </ul>
                  )}
                </section>
              );
            })}
          </div>
        )}
      </QueryState>

      {dialog?.kind === 'new-line' && (
        <LineFormDialog siteId={dialog.siteId} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'edit-line' && (
        <LineFormDialog siteId={dialog.line.site_id} line={dialog.line} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'import' && (
        <ImportCsvDialog siteId={dialog.siteId} onClose={() => setDialog(null)} />
      )}
      {(dialog?.kind === 'new-machine' || dialog?.kind === 'edit-machine') && (
        <MachineFormDialog
          lines={allLines.filter(
            (line) =>
              line.site_id === (dialog.kind === 'new-machine' ? dialog.line.site_id : dialog.machine.site_id),
          )}
          lineId={dialog.kind === 'new-machine' ? dialog.line.id : dialog.machine.line_id}
          machine={dialog.kind === 'edit-machine' ? dialog.machine : undefined}
          onClose={() => setDialog(null)}
        />
      )}
      <ConfirmDialog
        open={deactivating !== null}
        title={t('plant.deactivateTitle', { code: deactivating ?? '' })}
        message={t('plant.deactivateMessage', { code: deactivating ?? '' })}
        confirmLabel={t('plant.deactivate')}
        busy={toggle.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => dialog && toggle.mutate(dialog as PlantAction)}
      />
    </>
  );
}
