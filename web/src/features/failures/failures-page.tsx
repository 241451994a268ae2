import { Link } from '@tanstack/react-router';
import { Plus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { FailureList } from './failure-list.tsx';

export function FailuresPage() {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  return (
    <>
      <PageHeader
        title={t('failures.title')}
        hint={t('failures.hint')}
        actions={
          can(user, 'failure:report') && (
            <Link
              to="/failures/new"
              className="inline-flex items-center gap-2 rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500"
            >
              <Plus aria-hidden className="size-4" />
              {t('failures.new')}
            </Link>
          )
        }
      />
      <FailureList />
    </>
  );
}
