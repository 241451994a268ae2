import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Input, Switch } from '../../components/ui/field.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import { currentUserKey } from '../auth/auth-api.ts';
import { createSite, siteKeys, updateSite, type PlantSite } from './sites-api.ts';
import { browserTimeZone, TimeZoneField } from './time-zone-field.tsx';

export function SiteFormDialog({ site, onClose }: { site?: PlantSite; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [code, setCode] = useState(site?.code ?? '');
  const [name, setName] = useState(site?.name ?? '');
  const [timeZone, setTimeZone] = useState(site?.time_zone ?? browserTimeZone());
  const [active, setActive] = useState(site?.is_active ?? true);

  const save = useMutation({
    mutationFn: () =>
      site
        ? updateSite(site.id, { name: name.trim(), time_zone: timeZone, is_active: active })
        : createSite({ code: code.trim(), name: name.trim(), time_zone: timeZone }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: siteKeys.all });
      void queryClient.invalidateQueries({ queryKey: currentUserKey });
      toast.success(site ? t('sites.saved', { code: saved.code }) : t('sites.created', { code: saved.code }));
      onClose();
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const problems = fieldProblems(save.error);

  return (
    <Dialog
      open
      title={site ? t('sites.editTitle', { code: site.code }) : t('sites.newTitle')}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      footer={
        <>
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={save.isPending}>
            {site ? t('common.save') : t('sites.create')}
          </Button>
        </>
      }
    >
      {!site && (
        <Input
          label={t('sites.code')}
          required
          hint={t('sites.codeHint')}
          value={code}
          error={problems.code}
          onChange={(event) => setCode(event.target.value)}
        />
      )}
      <Input
        label={t('sites.name')}
        required
        value={name}
        error={problems.name}
        onChange={(event) => setName(event.target.value)}
      />
      <TimeZoneField value={timeZone} onChange={setTimeZone} error={problems.time_zone} />
      {site && <Switch label={t('sites.active')} checked={active} onChange={setActive} />}
      {save.isError && Object.keys(problems).length === 0 && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problemText(save.error, t('common.saveFailed'))}
        </p>
      )}
    </Dialog>
  );
}
