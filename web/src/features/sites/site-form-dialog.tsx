import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { Input, Switch } from '../../components/ui/field.tsx';
import { fieldProblems } from '../../lib/form-errors.ts';
import { currentUserKey } from '../auth/auth-api.ts';
import { createSite, siteKeys, updateSite, type PlantSite } from './sites-api.ts';
import { browserTimeZone, TimeZoneField } from './time-zone-field.tsx';

export function SiteFormDialog({ site, onClose }: { site?: PlantSite; onClose: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(site?.code ?? '');
  const [name, setName] = useState(site?.name ?? '');
  const [timeZone, setTimeZone] = useState(site?.time_zone ?? browserTimeZone());
  const [active, setActive] = useState(site?.is_active ?? true);

  const save = useSaveMutation({
    mutationFn: () =>
      site
        ? updateSite(site.id, { name: name.trim(), time_zone: timeZone, is_active: active })
        : createSite({ code: code.trim(), name: name.trim(), time_zone: timeZone }),
    invalidate: [siteKeys.all, currentUserKey],
    successText: (saved) =>
      site ? t('sites.saved', { code: saved.code }) : t('sites.created', { code: saved.code }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={site ? t('sites.editTitle', { code: site.code }) : t('sites.newTitle')}
      onClose={onClose}
      save={save}
      submitLabel={site ? t('common.save') : t('sites.create')}
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
    </FormDialog>
  );
}
