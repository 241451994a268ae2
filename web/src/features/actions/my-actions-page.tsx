import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Switch } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { ActionCreateDialog } from './action-create-dialog.tsx';
import { ActionListView } from './action-list.tsx';

/** `/actions`: the caller's open and in-progress actions; overdue ones stand out in red. */
export function MyActionsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [showClosed, setShowClosed] = useState(false);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title={t('actions.myTitle')}
        hint={t('actions.myHint')}
        actions={
          can(user.data, 'action:manage') ? (
            <Button onClick={() => setCreating(true)}>{t('actions.create')}</Button>
          ) : undefined
        }
      />
      <div className="mb-4">
        <Switch label={t('actions.showClosed')} checked={showClosed} onChange={setShowClosed} />
      </div>
      <ActionListView
        filter={{ assignee: 'mine', ...(showClosed ? {} : { status: 'open,in_progress' }) }}
        emptyTitle={t('actions.noneMine')}
      />
      {creating && <ActionCreateDialog onClose={() => setCreating(false)} />}
    </>
  );
}
