import { useTranslation } from 'react-i18next';
import { Select } from '../../components/ui/field.tsx';
import { categoriesOf, categoryLabel, reasonLabel, type DowntimeReason } from '../catalog/catalog-api.ts';

/** The reason catalog as a select, grouped by category; the empty choice means "no reason yet". */
export function ReasonSelect({
  reasons,
  value,
  onChange,
  label,
  error,
  allowNone,
  testId,
}: {
  reasons: DowntimeReason[];
  value: number | null;
  onChange: (reasonId: number | null) => void;
  label: string;
  error?: string;
  allowNone?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={label}
      value={value ?? ''}
      error={error}
      required={!allowNone}
      data-testid={testId}
      onChange={(event) => onChange(event.target.value ? Number(event.target.value) : null)}
    >
      <option value="">{allowNone ? t('unexplained.noReasonYet') : t('unexplained.pickReason')}</option>
      {categoriesOf(reasons).map((category) => (
        <optgroup
          key={category.id}
          label={categoryLabel({ category_name: category.name, category_name_ru: category.name_ru })}
        >
          {reasons
            .filter((reason) => reason.category_id === category.id)
            .map((reason) => (
              <option key={reason.id} value={reason.id}>
                {reasonLabel(reason)}
              </option>
            ))}
        </optgroup>
      ))}
    </Select>
  );
}
