import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Button } from '../../components/ui/button.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Input } from '../../components/ui/field.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatNumber } from '../../lib/format.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import {
  downtimeSettingsKeys,
  fetchDowntimeSettings,
  saveDowntimeSettings,
  type DowntimeSettings,
} from './downtime-settings-api.ts';

const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';
const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));
const text = (value: number | null) => (value === null ? '' : String(value));

/**
 * The machine page's "Automatic downtime & OEE" card: stop threshold, no-cycle factor and ideal
 * cycle time. People with telemetry:manage edit them; everyone else reads them.
 */
export function DowntimeSettingsCard({ machineId }: { machineId: number }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const settings = useQuery({
    queryKey: downtimeSettingsKeys.of(machineId),
    queryFn: () => fetchDowntimeSettings(machineId),
  });
  const manage = can(me.data, 'telemetry:manage');
  return (
    <section aria-labelledby="machine-downtime-settings" className={cardClass}>
      <h2 id="machine-downtime-settings" className="mb-1 font-semibold">
        {t('machineSettings.title')}
      </h2>
      <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">{t('machineSettings.hint')}</p>
      {settings.isPending ? (
        <Spinner />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <>
          {manage ? (
            // Keyed on the stored values, so a save (or another person's) resets the form to them.
            <SettingsForm key={JSON.stringify(settings.data)} settings={settings.data} />
          ) : (
            <SettingsFacts settings={settings.data} />
          )}
          <EffectiveCycle settings={settings.data} />
        </>
      )}
    </section>
  );
}

function seconds(t: TFunction, value: number | null) {
  return value === null
    ? t('machineSettings.notSet')
    : t('machineSettings.seconds', { value: formatNumber(value) });
}

function SettingsFacts({ settings }: { settings: DowntimeSettings }) {
  const { t } = useTranslation();
  const facts = [
    ['stopThreshold', seconds(t, settings.stop_threshold_seconds), 'stopThresholdHint'],
    ['noCycleFactor', `× ${formatNumber(settings.no_cycle_factor)}`, 'noCycleFactorHint'],
    ['idealCycle', seconds(t, settings.ideal_cycle_seconds), 'idealCycleHint'],
  ] as const;
  return (
    <dl className="grid gap-4 text-sm sm:grid-cols-3">
      {facts.map(([key, value, hint]) => (
        <div key={key}>
          <dt className="text-slate-500 dark:text-slate-400">{t(`machineSettings.${key}`)}</dt>
          <dd className="font-medium">{value}</dd>
          <dd className="text-xs text-slate-500 dark:text-slate-400">{t(`machineSettings.${hint}`)}</dd>
        </div>
      ))}
    </dl>
  );
}

function SettingsForm({ settings }: { settings: DowntimeSettings }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    stop_threshold_seconds: text(settings.stop_threshold_seconds),
    no_cycle_factor: text(settings.no_cycle_factor),
    ideal_cycle_seconds: text(settings.ideal_cycle_seconds),
  });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [key]: event.target.value }));
  const save = useSaveMutation({
    mutationFn: () =>
      saveDowntimeSettings(settings.machine_id, {
        stop_threshold_seconds: numberOrNull(form.stop_threshold_seconds),
        no_cycle_factor: numberOrNull(form.no_cycle_factor),
        ideal_cycle_seconds: numberOrNull(form.ideal_cycle_seconds),
      }),
    invalidate: [downtimeSettingsKeys.of(settings.machine_id)],
    successText: () => t('machineSettings.saved'),
  });
  const problems = fieldProblems(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <div className="grid gap-4 sm:grid-cols-3">
        <Input
          label={t('machineSettings.stopThreshold')}
          hint={t('machineSettings.stopThresholdHint')}
          type="number"
          min={5}
          max={86_400}
          step={1}
          required
          value={form.stop_threshold_seconds}
          onChange={set('stop_threshold_seconds')}
          error={problems.stop_threshold_seconds}
        />
        <Input
          label={t('machineSettings.noCycleFactor')}
          hint={t('machineSettings.noCycleFactorHint')}
          type="number"
          min={1}
          max={1000}
          step="any"
          required
          value={form.no_cycle_factor}
          onChange={set('no_cycle_factor')}
          error={problems.no_cycle_factor}
        />
        <Input
          label={t('machineSettings.idealCycle')}
          hint={t('machineSettings.idealCycleHint')}
          type="number"
          min={0.001}
          max={86_400}
          step={0.001}
          value={form.ideal_cycle_seconds}
          onChange={set('ideal_cycle_seconds')}
          error={problems.ideal_cycle_seconds}
        />
      </div>
      <Button type="submit" busy={save.isPending}>
        {t('machineSettings.save')}
      </Button>
    </form>
  );
}

/** Which ideal cycle time OEE and the no-cycle rule use now: the mounted tool's, else the machine's. */
function EffectiveCycle({ settings }: { settings: DowntimeSettings }) {
  const { t } = useTranslation();
  const tool = settings.mounted_tool;
  const fromTool = tool !== null && tool.ideal_cycle_seconds !== null;
  return (
    <p className="mt-3 text-sm text-slate-600 dark:text-slate-300">
      {t('machineSettings.effective', { value: seconds(t, settings.effective_ideal_cycle_seconds) })}{' '}
      {fromTool ? (
        <>
          {t('machineSettings.fromTool')}{' '}
          <Link
            to="/tools/$toolId"
            params={{ toolId: String(tool.tool_id) }}
            className="text-sky-700 underline dark:text-sky-400"
          >
            {tool.asset_number} · {tool.name}
          </Link>
        </>
      ) : settings.effective_ideal_cycle_seconds !== null ? (
        t('machineSettings.fromMachine')
      ) : (
        t('machineSettings.noIdealCycle')
      )}
    </p>
  );
}
