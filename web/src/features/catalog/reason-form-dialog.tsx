import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { Input, Select } from '../../components/ui/field.tsx';
import { fieldProblems } from '../../lib/form-errors.ts';
import { localName } from '../../lib/format.ts';
import {
  catalogKeys,
  createReason,
  updateReason,
  type DowntimeReason,
  type ReasonCategory,
} from './catalog-api.ts';

interface ReasonFormDialogProps {
  reason?: DowntimeReason;
  categories: ReasonCategory[];
  onClose: () => void;
}

export function ReasonFormDialog({ reason, categories, onClose }: ReasonFormDialogProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState(reason?.code ?? '');
  const [name, setName] = useState(reason?.name ?? '');
  const [nameRu, setNameRu] = useState(reason?.name_ru ?? '');
  const [categoryId, setCategoryId] = useState(reason?.category_id ?? categories[0]?.id ?? 0);

  const save = useSaveMutation({
    mutationFn: () => {
      const fields = { category_id: categoryId, name: name.trim(), name_ru: nameRu.trim() || null };
      return reason
        ? updateReason(reason.id, fields)
        : createReason({ ...fields, code: code.trim().toUpperCase() });
    },
    invalidate: [catalogKeys.all],
    successText: (saved) => t(reason ? 'catalog.reasonSaved' : 'catalog.reasonCreated', { code: saved.code }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={reason ? t('catalog.editReason', { code: reason.code }) : t('catalog.newReason')}
      onClose={onClose}
      save={save}
    >
      {!reason && (
        <Input
          label={t('catalog.code')}
          required
          hint={t('catalog.reasonCodeHint')}
          value={code}
          error={problems.code}
          onChange={(e) => setCode(e.target.value)}
        />
      )}
      <Select
        label={t('catalog.category')}
        value={categoryId}
        error={problems.category_id}
        onChange={(e) => setCategoryId(Number(e.target.value))}
      >
        {categories.map((category) => (
          <option key={category.id} value={category.id}>
            {localName(category.name, category.name_ru)}
            {category.is_failure ? ` (${t('catalog.failure')})` : ''}
          </option>
        ))}
      </Select>
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
    </FormDialog>
  );
}
