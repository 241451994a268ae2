import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { createIssueType, issueKeys, updateIssueType, type IssueType } from './issues-api.ts';

export function IssueTypeFormDialog({ issueType, onClose }: { issueType?: IssueType; onClose: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(issueType?.code ?? '');
  const [name, setName] = useState(issueType?.name ?? '');
  const [nameRu, setNameRu] = useState(issueType?.name_ru ?? '');
  const [sortOrder, setSortOrder] = useState(String(issueType?.sort_order ?? 100));

  const save = useSaveMutation({
    mutationFn: () => {
      const fields = { name: name.trim(), name_ru: nameRu.trim() || null, sort_order: Number(sortOrder) };
      return issueType
        ? updateIssueType(issueType.code, fields)
        : createIssueType({ ...fields, code: code.trim().toLowerCase() });
    },
    invalidate: [issueKeys.typesAll],
    successText: (saved) =>
      t(issueType ? 'production.issueTypeSaved' : 'production.issueTypeCreated', { code: saved.code }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={
        issueType ? t('production.editIssueType', { code: issueType.code }) : t('production.newIssueType')
      }
      onClose={onClose}
      save={save}
    >
      {!issueType && (
        <Input
          label={t('catalog.code')}
          required
          hint={t('production.issueTypeCodeHint')}
          value={code}
          error={problems.code}
          onChange={(e) => setCode(e.target.value)}
        />
      )}
      <Input
        label={t('catalog.nameEn')}
        required
        value={name}
        error={problems.name}
        onChange={(e) => setName(e.target.value)}
      />
      <Input
        label={t('catalog.nameRu')}
        lang="ru"
        value={nameRu}
        error={problems.name_ru}
        onChange={(e) => setNameRu(e.target.value)}
      />
      <Input
        label={t('production.sortOrder')}
        hint={t('production.sortOrderHint')}
        type="number"
        min="0"
        step="1"
        value={sortOrder}
        error={problems.sort_order}
        onChange={(e) => setSortOrder(e.target.value)}
      />
    </FormDialog>
  );
}
