import { CircleCheckBig, Pencil, Play } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import type { Stage } from './production-api.ts';
import { formatWindow } from './production-format.ts';
import { StageAssignees } from './stage-assignees.tsx';
import { StageFormDialog } from './stage-form-dialog.tsx';
import { OpenIssuesBadge, ProgressBadge } from './status-badges.tsx';
import { canWorkOn, useStageActions } from './use-stage-actions.ts';

/** The stages of a work order: windows, status, people, and Start / Done where the reader may act. */
export function StageTable({ stages }: { stages: Stage[] }) {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const planner = can(user, 'workorder:plan');
  const { start, finish } = useStageActions();
  const [editing, setEditing] = useState<Stage | null>(null);

  return (
    <>
      <Table caption={t('production.stages')}>
        <thead>
          <tr>
            <Th>#</Th>
            <Th>{t('production.stage')}</Th>
            <Th>{t('production.planned')}</Th>
            <Th>{t('production.actual')}</Th>
            <Th>{t('production.status')}</Th>
            <Th>{t('production.assignees')}</Th>
            <Th>
              <span className="sr-only">{t('common.actions')}</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {stages.map((stage) => {
            const mayWork = canWorkOn(user, stage);
            return (
              <Tr key={stage.id} data-testid={`stage-row-${stage.id}`} data-status={stage.status}>
                <Td className="tabular-nums">{stage.position}</Td>
                <Td>
                  <p className="font-medium">{stage.stage_name}</p>
                  {stage.machine_code && (
                    <p className="font-mono text-xs text-slate-500">{stage.machine_code}</p>
                  )}
                  <OpenIssuesBadge count={stage.open_issues} />
                </Td>
                <Td className="min-w-36">{formatWindow(stage.planned_start, stage.planned_end)}</Td>
                <Td className="min-w-36">
                  {stage.actual_start ? formatWindow(stage.actual_start, stage.actual_end) : '—'}
                </Td>
                <Td className="whitespace-nowrap">
                  <ProgressBadge status={stage.status} />
                </Td>
                <Td className="min-w-44">
                  <StageAssignees stage={stage} canAssign={planner} />
                </Td>
                <Td className="text-right whitespace-nowrap">
                  {mayWork && stage.status === 'planned' && (
                    <Button
                      size="sm"
                      aria-label={t('production.startStage', { stage: stage.stage_name })}
                      busy={start.isPending && start.variables?.id === stage.id}
                      onClick={() => start.mutate(stage)}
                    >
                      <Play aria-hidden className="size-4" />
                      {t('production.start')}
                    </Button>
                  )}
                  {mayWork && stage.status === 'in_progress' && (
                    <Button
                      size="sm"
                      aria-label={t('production.finishStage', { stage: stage.stage_name })}
                      busy={finish.isPending && finish.variables?.id === stage.id}
                      onClick={() => finish.mutate(stage)}
                    >
                      <CircleCheckBig aria-hidden className="size-4" />
                      {t('production.done')}
                    </Button>
                  )}
                  {planner && (
                    <Button
                      tone="ghost"
                      size="sm"
                      aria-label={t('production.editStage', { stage: stage.stage_name })}
                      onClick={() => setEditing(stage)}
                    >
                      <Pencil aria-hidden className="size-4" />
                    </Button>
                  )}
                </Td>
              </Tr>
            );
          })}
        </tbody>
      </Table>
      {editing && <StageFormDialog stage={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
