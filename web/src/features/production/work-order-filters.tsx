import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { fetchLines, plantKeys } from '../plant/plant-api.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { workOrderStatuses, type WorkOrderFilter, type WorkOrderStatus } from './production-api.ts';
import { dayRange } from './production-format.ts';

interface Draft {
  site_id: string;
  line_id: string;
  status: string;
  fromDay: string;
  toDay: string;
  q: string;
}
const emptyDraft: Draft = { site_id: '', line_id: '', status: '', fromDay: '', toDay: '', q: '' };

/** Status, line, planned-date range and a search over product and lot. */
export function WorkOrderFilters({ onApply }: { onApply: (filter: WorkOrderFilter) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const lines = useQuery({ queryKey: plantKeys.lines({}), queryFn: () => fetchLines() });
  const set = (field: keyof Draft) => (value: string) =>
    setDraft((current) => ({ ...current, [field]: value, ...(field === 'site_id' ? { line_id: '' } : {}) }));
  const lineList = (lines.data ?? []).filter(
    (line) => !draft.site_id || String(line.site_id) === draft.site_id,
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      site_id: Number(draft.site_id) || undefined,
      line_id: Number(draft.line_id) || undefined,
      status: (draft.status || undefined) as WorkOrderStatus | undefined,
      q: draft.q.trim() || undefined,
      ...dayRange(draft.fromDay, draft.toDay),
    });
  };

  return (
    <form
      onSubmit={apply}
      aria-label={t('production.filters')}
      className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6 dark:border-slate-800 dark:bg-slate-900"
    >
      {(sites.data?.length ?? 0) > 1 && (
        <Select
          label={t('production.site')}
          value={draft.site_id}
          onChange={(e) => set('site_id')(e.target.value)}
        >
          <option value="">{t('production.any')}</option>
          {sites.data?.map((site) => (
            <option key={site.id} value={site.id}>
              {site.code}
            </option>
          ))}
        </Select>
      )}
      <Select
        label={t('production.status')}
        value={draft.status}
        onChange={(e) => set('status')(e.target.value)}
      >
        <option value="">{t('production.any')}</option>
        {workOrderStatuses.map((status) => (
          <option key={status} value={status}>
            {t(`production.statuses.${status}`)}
          </option>
        ))}
      </Select>
      <Select
        label={t('production.line')}
        value={draft.line_id}
        onChange={(e) => set('line_id')(e.target.value)}
      >
        <option value="">{t('production.any')}</option>
        {lineList.map((line) => (
          <option key={line.id} value={line.id}>
            {line.code} — {line.name}
          </option>
        ))}
      </Select>
      <Input
        label={t('production.fromDay')}
        type="date"
        value={draft.fromDay}
        onChange={(e) => set('fromDay')(e.target.value)}
      />
      <Input
        label={t('production.toDay')}
        type="date"
        value={draft.toDay}
        onChange={(e) => set('toDay')(e.target.value)}
      />
      <Input
        label={t('production.search')}
        type="search"
        placeholder={t('production.searchHint')}
        value={draft.q}
        onChange={(e) => set('q')(e.target.value)}
      />
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-3 xl:col-span-6">
        <Button type="submit">{t('production.apply')}</Button>
        <Button
          tone="secondary"
          onClick={() => {
            setDraft(emptyDraft);
            onApply({});
          }}
        >
          {t('production.reset')}
        </Button>
      </div>
    </form>
  );
}
