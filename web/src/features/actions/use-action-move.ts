import { useTranslation } from 'react-i18next';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { actionKeys, moveAction, type ActionStatus } from './actions-api.ts';

/** The button label of each status move (Start, Complete, Cancel, Reopen). */
export const moveLabelKey: Record<ActionStatus, string> = {
  in_progress: 'actions.start',
  completed: 'actions.complete',
  cancelled: 'actions.cancel',
  open: 'actions.reopen',
};

export function useActionMove(onDone?: () => void) {
  const { t } = useTranslation();
  return useSaveMutation({
    mutationFn: ({ id, status, note }: { id: number; status: ActionStatus; note?: string }) =>
      moveAction(id, status, note),
    invalidate: [actionKeys.all],
    refreshOnError: true,
    successText: (saved) => t('actions.moved', { status: t(`actions.statuses.${saved.status}`) }),
    onSaved: () => onDone?.(),
  });
}
