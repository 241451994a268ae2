import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { apiKeyKeys, issueApiKey } from './api-keys-api.ts';
import { IssuedKeyPanel } from './issued-key-panel.tsx';

/** Issue a key for a machine or line controller at one site; the plain key is shown once. */
export function ApiKeyIssueDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [siteId, setSiteId] = useState('');
  const [name, setName] = useState('');

  const issue = useMutation({
    mutationFn: () => issueApiKey(Number(siteId), name.trim()),
    onSuccess: (issued) => {
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all });
      toast.success(t('apiKeys.created', { name: issued.name }));
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const problems = fieldProblems(issue.error);
  const activeSites = (sites.data ?? []).filter((site) => site.is_active);

  if (issue.data) {
    return (
      <Dialog
        open
        title={t('apiKeys.issuedTitle', { name: issue.data.name })}
        onClose={onClose}
        footer={<Button onClick={onClose}>{t('apiKeys.done')}</Button>}
      >
        <IssuedKeyPanel plainKey={issue.data.key} />
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      title={t('apiKeys.newTitle')}
      onClose={onClose}
      onSubmit={() => issue.mutate()}
      footer={
        <>
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={issue.isPending}>
            {t('apiKeys.create')}
          </Button>
        </>
      }
    >
      <Select
        label={t('apiKeys.site')}
        required
        value={siteId}
        error={problems.site_id}
        onChange={(event) => setSiteId(event.target.value)}
      >
        <option value="" disabled>
          {sites.isPending ? t('common.loading') : t('apiKeys.pickSite')}
        </option>
        {activeSites.map((site) => (
          <option key={site.id} value={site.id}>
            {site.code} — {site.name}
          </option>
        ))}
      </Select>
      <Input
        label={t('apiKeys.name')}
        required
        hint={t('apiKeys.nameHint')}
        value={name}
        error={problems.name}
        onChange={(event) => setName(event.target.value)}
      />
    </Dialog>
  );
}
