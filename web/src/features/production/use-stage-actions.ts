import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useToast } from '../../components/ui/toast.tsx';
import { ApiError } from '../../lib/api.ts';
import { problemText } from '../../lib/form-errors.ts';
import type { CurrentUser } from '../auth/auth-api.ts';
import { can } from '../auth/use-current-user.ts';
import { finishStage, productionKeys, startStage, type Stage } from './production-api.ts';

const stageStatuses = ['planned', 'in_progress', 'done'];

/** The server's refusal of a start or finish, in the reader's language when it says which state blocked it. */
export function stageActionProblem(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && error.code === 'INVALID_STAGE_TRANSITION') {
    const from = error.details?.from;
    if (typeof from === 'string' && stageStatuses.includes(from)) {
      return t('production.errors.invalidTransition', { status: t(`production.statuses.${from}`) });
    }
  }
  return problemText(error, t('common.saveFailed'));
}

/** A planner may act on any stage; a worker on the stages assigned to them. */
export function canWorkOn(user: CurrentUser | undefined, stage: Stage): boolean {
  if (can(user, 'workorder:plan')) return true;
  return can(user, 'stage:work') && stage.assignees.some((person) => person.user_id === user?.id);
}

/** Start and Done for a stage, with toasts, refreshing every production query afterwards. */
export function useStageActions() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: productionKeys.all });
  const onError = (error: unknown) => {
    refresh();
    toast.error(stageActionProblem(t, error));
  };
  const start = useMutation({
    mutationFn: (stage: Stage) => startStage(stage.id),
    onSuccess: (saved) => {
      refresh();
      toast.success(t('production.stageStarted', { stage: saved.stage_name }));
    },
    onError,
  });
  const finish = useMutation({
    mutationFn: (stage: Stage) => finishStage(stage.id),
    onSuccess: (saved) => {
      refresh();
      toast.success(t('production.stageFinished', { stage: saved.stage_name }));
    },
    onError,
  });
  return { start, finish };
}
