import { Check } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { useRoleCatalogue } from './roles-api.ts';

/** Read-only matrix: which role carries which permission. */
export function RolesPage() {
  const { t } = useTranslation();
  const catalogue = useRoleCatalogue();
  return (
    <>
      <PageHeader title={t('roles.title')} hint={t('roles.hint')} />
      <QueryState query={catalogue} isEmpty={(data) => data.roles.length === 0} emptyTitle={t('roles.empty')}>
        {({ roles, permissions }) => (
          <Table caption={t('roles.title')}>
            <thead>
              <tr>
                <Th>{t('roles.permission')}</Th>
                {roles.map((role) => (
                  <Th key={role.name} className="text-center" title={role.description}>
                    {t(`roles.names.${role.name}`, role.name)}
                  </Th>
                ))}
              </tr>
            </thead>
            <tbody>
              {permissions.map((permission) => (
                <Tr key={permission.name}>
                  <Td>
                    <p className="font-mono text-xs">{permission.name}</p>
                    <p className="text-xs text-slate-500">{permission.description}</p>
                  </Td>
                  {roles.map((role) => {
                    const granted = role.permissions.includes(permission.name);
                    return (
                      <Td key={role.name} className="text-center">
                        {granted ? (
                          <Check aria-label={t('roles.granted')} className="inline size-4 text-emerald-600" />
                        ) : (
                          <span
                            aria-label={t('roles.notGranted')}
                            className="text-slate-300 dark:text-slate-600"
                          >
                            ·
                          </span>
                        )}
                      </Td>
                    );
                  })}
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
