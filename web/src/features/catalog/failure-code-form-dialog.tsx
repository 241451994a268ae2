import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import {
  catalogKeys,
  createFailureCode,
  severities,
  updateFailureCode,
  type FailureCode,
  type Severity,
} from './catalog-api.ts';

export function FailureCodeFormDialog({
  code: existing,
  onClose,
}: {
  code?: FailureCode;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [code, setCode] = useState(existing?.code ?? '');
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [severity, setSeverity] = useState<Severity>(existing?.default_severity ?? 'medium');

  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        description: description.trim() || null,
        default_severity: severity,
      };
      return existing
        ? updateFailureCode(existing.id, fields)
        : createFailureCode({ ...fields, code: code.trim().toUpperCase() });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: catalogKeys.all });
      toast.success(t(existing ? 'catalog.failureSaved' : 'catalog.failureCreated', { code: saved.code }));
      onClose();
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const problems = fieldProblems(save.error);

  return (
    <Dialog
      open
      title={existing ? t('catalog.editFailure', { code: existing.code }) : t('catalog.newFailure')}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      footer={
        <>
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={save.isPending}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      {!existing && (
        <Input
          label={t('catalog.code')}
          required
          placeholder="FL-001"
          pattern="[A-Za-z]{2,5}-[0-9]{3,5}"
          hint={t('catalog.failureCodeHint')}
          value={code}
          error={problems.code}
          onChange={(e) => setCode(e.target.value)}
        />
      )}
      <Input
        label={t('catalog.name')}
        required
        value={name}
        error={problems.name}
        onChange={(e) => setName(e.target.value)}
      />
      <Input
        label={t('catalog.description')}
        value={description}
        error={problems.description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <Select
        label={t('catalog.severity')}
        value={severity}
        error={problems.default_severity}
        onChange={(e) => setSeverity(e.target.value as Severity)}
      >
        {severities.map((value) => (
          <option key={value} value={value}>
            {t(`catalog.severities.${value}`)}
          </option>
        ))}
      </Select>
      {save.isError && Object.keys(problems).length === 0 && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problemText(save.error, t('common.saveFailed'))}
        </p>
      )}
    </Dialog>
  );
}
