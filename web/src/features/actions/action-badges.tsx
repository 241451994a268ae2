import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import {
  lateness,
  priorityTone,
  statusTone,
  type ActionItem,
  type ActionPriority,
  type ActionStatus,
} from './actions-api.ts';

export function ActionStatusBadge({ status }: { status: ActionStatus }) {
  const { t } = useTranslation();
  return <Badge tone={statusTone[status]}>{t(`actions.statuses.${status}`)}</Badge>;
}

export function PriorityBadge({ priority }: { priority: ActionPriority }) {
  const { t } = useTranslation();
  return <Badge tone={priorityTone[priority]}>{t(`actions.priorities.${priority}`)}</Badge>;
}

/** "Overdue by 3 days" in red, or nothing. */
export function OverdueBadge({ item }: { item: Pick<ActionItem, 'due_at' | 'overdue'> }) {
  const { t } = useTranslation();
  const late = lateness(item);
  if (!late) return null;
  return (
    <span data-testid="action-overdue" className="text-sm font-semibold text-red-700 dark:text-red-400">
      {late.days >= 1
        ? t('actions.overdueDays', { count: late.days })
        : t('actions.overdueHours', { count: late.hours })}
    </span>
  );
}
