import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Switch } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { api } from '../../lib/api.ts';
import { problemText } from '../../lib/form-errors.ts';

interface PlantSettings {
  self_registration_enabled: boolean;
}

const settingsKey = ['settings'] as const;

export function SettingsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => api.get<PlantSettings>('/settings') });

  const save = useMutation({
    mutationFn: (changes: PlantSettings) => api.patch<PlantSettings>('/settings', changes),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKey, saved);
      toast.success(t('settings.saved'));
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });

  return (
    <>
      <PageHeader title={t('settings.title')} hint={t('settings.hint')} />
      <QueryState query={settings}>
        {(current) => (
          <section className="max-w-2xl space-y-2 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
            <Switch
              label={t('settings.selfRegistration')}
              checked={
                save.isPending
                  ? (save.variables?.self_registration_enabled ?? false)
                  : current.self_registration_enabled
              }
              disabled={save.isPending}
              onChange={(checked) => save.mutate({ self_registration_enabled: checked })}
            />
            <p className="text-sm text-slate-600 dark:text-slate-400">{t('settings.selfRegistrationHint')}</p>
          </section>
        )}
      </QueryState>
    </>
  );
}
