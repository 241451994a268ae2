import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { fromLocalInput } from '../../lib/format.ts';
import { fetchLines, fetchMachines, plantKeys } from '../plant/plant-api.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { emptyRepairFilter, repairStatuses, repairTypes, type RepairFilter } from './repairs-api.ts';

type Draft = Required<Record<keyof RepairFilter, string>>;
const emptyDraft: Draft = {
  site_id: '',
  line_id: '',
  machine_id: '',
  status: '',
  repair_type: '',
  from: '',
  to: '',
  q: '',
};

export function RepairFilters({ onApply }: { onApply: (filter: RepairFilter) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const lines = useQuery({ queryKey: plantKeys.lines({}), queryFn: () => fetchLines() });
  const machines = useQuery({ queryKey: plantKeys.machines({}), queryFn: () => fetchMachines() });
  const set = (field: keyof Draft) => (value: string) =>
    setDraft((current) => {
      const next = { ...current, [field]: value };
      if (field === 'site_id') Object.assign(next, { line_id: '', machine_id: '' });
      if (field === 'line_id') next.machine_id = '';
      return next;
    });
  const lineList = (lines.data ?? []).filter(
    (line) => !draft.site_id || String(line.site_id) === draft.site_id,
  );
  const machineList = (machines.data ?? []).filter(
    (machine) =>
      (!draft.site_id || String(machine.site_id) === draft.site_id) &&
      (!draft.line_id || String(machine.line_id) === draft.line_id),
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      ...Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== '')),
      from: fromLocalInput(draft.from) ?? undefined,
      to: fromLocalInput(draft.to) ?? undefined,
      q: draft.q.trim() || undefined,
    });
  };

  return (
    <form
      onSubmit={apply}
      aria-label={t('repairs.filters')}
      className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4 2xl:grid-cols-8 dark:border-slate-800 dark:bg-slate-900"
    >
      {(sites.data?.length ?? 0) > 1 && (
        <Select
          label={t('repairs.site')}
          value={draft.site_id}
          onChange={(e) => set('site_id')(e.target.value)}
        >
          <option value="">{t('repairs.any')}</option>
          {sites.data?.map((site) => (
            <option key={site.id} value={site.id}>
              {site.code}
            </option>
          ))}
        </Select>
      )}
      <Select
        label={t('repairs.line')}
        value={draft.line_id}
        onChange={(e) => set('line_id')(e.target.value)}
      >
        <option value="">{t('repairs.any')}</option>
        {lineList.map((line) => (
          <option key={line.id} value={line.id}>
            {line.code} — {line.name}
          </option>
        ))}
      </Select>
      <Select
        label={t('repairs.machine')}
        value={draft.machine_id}
        onChange={(e) => set('machine_id')(e.target.value)}
      >
        <option value="">{t('repairs.any')}</option>
        {machineList.map((machine) => (
          <option key={machine.id} value={machine.id}>
            {machine.code} — {machine.name}
          </option>
        ))}
      </Select>
      <Select
        label={t('repairs.status')}
        value={draft.status}
        onChange={(e) => set('status')(e.target.value)}
      >
        <option value="">{t('repairs.any')}</option>
        {repairStatuses.map((value) => (
          <option key={value} value={value}>
            {t(`repairs.statuses.${value}`)}
          </option>
        ))}
      </Select>
      <Select
        label={t('repairs.type')}
        value={draft.repair_type}
        onChange={(e) => set('repair_type')(e.target.value)}
      >
        <option value="">{t('repairs.any')}</option>
        {repairTypes.map((value) => (
          <option key={value} value={value}>
            {t(`repairs.types.${value}`)}
          </option>
        ))}
      </Select>
      <Input
        label={t('repairs.from')}
        type="datetime-local"
        value={draft.from}
        onChange={(e) => set('from')(e.target.value)}
      />
      <Input
        label={t('repairs.to')}
        type="datetime-local"
        value={draft.to}
        onChange={(e) => set('to')(e.target.value)}
      />
      <Input
        label={t('repairs.search')}
        type="search"
        value={draft.q}
        onChange={(e) => set('q')(e.target.value)}
      />
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4 2xl:col-span-8">
        <Button type="submit">{t('audit.apply')}</Button>
        <Button
          tone="secondary"
          onClick={() => {
            setDraft(emptyDraft);
            onApply(emptyRepairFilter);
          }}
        >
          {t('audit.reset')}
        </Button>
      </div>
    </form>
  );
}
