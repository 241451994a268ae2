import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { qualityKeys, saveAlertRule, type AlertRule } from './quality-api.ts';

/** When the site's alerts are raised: N FAILs in a row, or a pass rate under a threshold over the last hour. */
export function AlertRulesDialog({ rule, onClose }: { rule: AlertRule; onClose: () => void }) {
  const { t } = useTranslation();
  const [consecutive, setConsecutive] = useState(String(rule.consecutive_fails));
  const [minRate, setMinRate] = useState(String(rule.min_pass_rate));
  const [minSample, setMinSample] = useState(String(rule.min_sample));

  const save = useSaveMutation({
    mutationFn: () =>
      saveAlertRule(rule.site_id, {
        consecutive_fails: Number(consecutive),
        min_pass_rate: Number(minRate),
        min_sample: Number(minSample),
      }),
    // the threshold also colours the machine tiles
    invalidate: [qualityKeys.rule(rule.site_id), qualityKeys.live],
    successText: () => t('quality.rules.saved'),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog title={t('quality.rules.title')} onClose={onClose} save={save}>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('quality.rules.hint')}</p>
      <Input
        label={t('quality.rules.consecutiveFails')}
        hint={t('quality.rules.consecutiveFailsHint')}
        type="number"
        inputMode="numeric"
        required
        min="1"
        max="1000"
        step="1"
        value={consecutive}
        error={problems.consecutive_fails}
        onChange={(e) => setConsecutive(e.target.value)}
      />
      <Input
        label={t('quality.rules.minPassRate')}
        hint={t('quality.rules.minPassRateHint')}
        type="number"
        inputMode="decimal"
        required
        min="0"
        max="100"
        step="0.1"
        value={minRate}
        error={problems.min_pass_rate}
        onChange={(e) => setMinRate(e.target.value)}
      />
      <Input
        label={t('quality.rules.minSample')}
        hint={t('quality.rules.minSampleHint')}
        type="number"
        inputMode="numeric"
        required
        min="1"
        max="100000"
        step="1"
        value={minSample}
        error={problems.min_sample}
        onChange={(e) => setMinSample(e.target.value)}
      />
    </FormDialog>
  );
}
