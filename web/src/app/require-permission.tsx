import { ShieldCheck } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageSpinner } from '../components/ui/spinner.tsx';
import { can, useCurrentUser, type Permission } from '../features/auth/use-current-user.ts';

/** Shows the page only to users whose role carries the permission; the server checks again. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  if (me.isPending) return <PageSpinner />;
  if (!can(me.data, permission)) {
    return (
      <div role="alert" className="flex flex-col items-center gap-2 py-16 text-center">
        <ShieldCheck aria-hidden className="size-10 text-slate-400" />
        <p className="text-lg font-medium">{t('common.noAccess')}</p>
        <p className="text-sm text-slate-500">{t('common.noAccessHint', { permission })}</p>
      </div>
    );
  }
  return <>{children}</>;
}
