import { TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { issueStatusTone, type IssueStatus } from './issues-api.ts';
import { progressTone, type StageStatus } from './production-api.ts';

/** Planned / in progress / done, for a work order or a stage. */
export function ProgressBadge({ status }: { status: StageStatus }) {
  const { t } = useTranslation();
  return <Badge tone={progressTone[status] ?? 'neutral'}>{t(`production.statuses.${status}`)}</Badge>;
}

export function IssueStatusBadge({ status }: { status: IssueStatus }) {
  const { t } = useTranslation();
  return <Badge tone={issueStatusTone[status] ?? 'neutral'}>{t(`production.issueStatuses.${status}`)}</Badge>;
}

/** The count of open issues; nothing when there are none. */
export function OpenIssuesBadge({ count, testId }: { count: number; testId?: string }) {
  const { t } = useTranslation();
  if (count <= 0) return null;
  return (
    <span data-testid={testId}>
      <Badge tone="bad">
        <TriangleAlert aria-hidden className="mr-1 size-3" />
        {t('production.openIssues', { count })}
      </Badge>
    </span>
  );
}
