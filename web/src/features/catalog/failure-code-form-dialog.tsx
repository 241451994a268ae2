import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { Input, Select } from '../../components/ui/field.tsx';
import { fieldProblems } from '../../lib/form-errors.ts';
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
  const [code, setCode] = useState(existing?.code ?? '');
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [severity, setSeverity] = useState<Severity>(existing?.default_severity ?? 'medium');

  const save = useSaveMutation({
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
    invalidate: [catalogKeys.all],
    successText: (saved) =>
      t(existing ? 'catalog.failureSaved' : 'catalog.failureCreated', { code: saved.code }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={existing ? t('catalog.editFailure', { code: existing.code }) : t('catalog.newFailure')}
      onClose={onClose}
      save={save}
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
    </FormDialog>
  );
}
