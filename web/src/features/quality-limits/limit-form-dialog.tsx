import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { createLimit, limitKeys, type SpecLimit } from './limits-api.ts';

const numberText = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);
/**
 * The field's number, null when blank; a comma decimal (80,5) is read as a point. Text that is no
 * number goes as it is, so the server names the field ("a number").
 */
const numberOf = (text: string): number | null => {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : (text as unknown as number);
};

/**
 * A new version of the limits of a product × test step. From an existing row the product and step
 * are fixed and the current values are the starting point; versions are never edited in place.
 */
export function LimitFormDialog({
  siteId,
  basis,
  onClose,
}: {
  siteId: number;
  /** The version to start from (a new version of its product and step); absent: a new product × step. */
  basis?: SpecLimit;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [productId, setProductId] = useState(basis?.product_id ?? '');
  const [testStep, setTestStep] = useState(basis?.test_step ?? '');
  const [lower, setLower] = useState(numberText(basis?.lower_limit));
  const [upper, setUpper] = useState(numberText(basis?.upper_limit));
  const [target, setTarget] = useState(numberText(basis?.target));
  const [unit, setUnit] = useState(basis?.unit ?? '');
  const [when, setWhen] = useState<'now' | 'at'>('now');
  const [effectiveFrom, setEffectiveFrom] = useState(() => toLocalInput(new Date().toISOString()));

  const save = useSaveMutation({
    mutationFn: () =>
      createLimit({
        site_id: siteId,
        product_id: productId.trim(),
        test_step: testStep.trim(),
        lower_limit: numberOf(lower),
        upper_limit: numberOf(upper),
        target: numberOf(target),
        unit: unit.trim() || null,
        ...(when === 'at' ? { effective_from: fromLocalInput(effectiveFrom) ?? effectiveFrom } : {}),
      }),
    invalidate: [limitKeys.all],
    successText: (saved) => t('qualityLimits.created', { product: saved.product_id, step: saved.test_step }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);
  const numberField = (label: string, value: string, set: (value: string) => void, error?: string) => (
    <Input
      label={label}
      inputMode="decimal"
      pattern="[+\-]?[0-9]*[.,]?[0-9]*([eE][+\-]?[0-9]+)?"
      value={value}
      error={error}
      onChange={(e) => set(e.target.value)}
    />
  );

  return (
    <FormDialog
      title={
        basis
          ? t('qualityLimits.newVersionOf', { product: basis.product_id, step: basis.test_step })
          : t('qualityLimits.newLimit')
      }
      submitLabel={t('qualityLimits.saveVersion')}
      onClose={onClose}
      save={save}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label={t('qualityLimits.product')}
          required
          disabled={basis !== undefined}
          placeholder="PROD-A"
          pattern="[A-Za-z0-9][A-Za-z0-9_.\/\-]{0,59}"
          value={productId}
          error={problems.product_id}
          onChange={(e) => setProductId(e.target.value)}
        />
        <Input
          label={t('qualityLimits.testStep')}
          required
          disabled={basis !== undefined}
          placeholder="voltage_test"
          value={testStep}
          error={problems.test_step}
          onChange={(e) => setTestStep(e.target.value)}
        />
        {numberField(t('qualityLimits.lower'), lower, setLower, problems.lower_limit)}
        {numberField(t('qualityLimits.upper'), upper, setUpper, problems.upper_limit)}
        {numberField(t('qualityLimits.target'), target, setTarget, problems.target)}
        <Input
          label={t('qualityLimits.unit')}
          maxLength={20}
          placeholder="V"
          value={unit}
          error={problems.unit}
          onChange={(e) => setUnit(e.target.value)}
        />
      </div>
      <p className="text-xs text-slate-500">{t('qualityLimits.limitsHint')}</p>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">
          {t('qualityLimits.effectiveFrom')}
        </legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="when" checked={when === 'now'} onChange={() => setWhen('now')} />
          {t('qualityLimits.fromNow')}
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="when" checked={when === 'at'} onChange={() => setWhen('at')} />
          {t('qualityLimits.fromChosenTime')}
        </label>
        {when === 'at' && (
          <Input
            label={t('qualityLimits.effectiveFromTime')}
            type="datetime-local"
            step={1}
            required
            value={effectiveFrom}
            error={problems.effective_from}
            hint={t('qualityLimits.effectiveFromHint')}
            onChange={(e) => setEffectiveFrom(e.target.value)}
          />
        )}
        {when === 'now' && problems.effective_from && (
          <p className="text-xs text-red-700 dark:text-red-400">{problems.effective_from}</p>
        )}
      </fieldset>
    </FormDialog>
  );
}
