import { useQuery } from '@tanstack/react-query';
import { Plus, Trash2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { controlClass, Select } from '../../components/ui/field.tsx';
import { formatDuration, formatMoment } from '../../lib/format.ts';
import { downtimeKeys, fetchDowntimes } from '../downtime/downtime-api.ts';
import { fetchUsers, userKeys } from '../users/users-api.ts';

export interface PartRow {
  key: number;
  part: string;
  quantity: string;
}

let nextPartKey = 1;
export const newPartRow = (part = '', quantity = '1'): PartRow => ({ key: nextPartKey++, part, quantity });

/** Spare parts used: one row each, added and removed freely. */
export function PartsEditor({
  rows,
  onChange,
  error,
}: {
  rows: PartRow[];
  onChange: (rows: PartRow[]) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const update = (key: number, change: Partial<PartRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('repairs.parts')}</legend>
      {rows.length === 0 && <p className="text-sm text-slate-500">{t('repairs.noParts')}</p>}
      {rows.map((row, index) => (
        <div key={row.key} className="flex gap-2">
          <input
            aria-label={t('repairs.partName', { n: index + 1 })}
            className={controlClass}
            value={row.part}
            onChange={(e) => update(row.key, { part: e.target.value })}
          />
          <input
            aria-label={t('repairs.partQuantity', { n: index + 1 })}
            className={`${controlClass} w-24`}
            type="number"
            min="0"
            step="any"
            value={row.quantity}
            onChange={(e) => update(row.key, { quantity: e.target.value })}
          />
          <Button
            tone="ghost"
            aria-label={t('repairs.removePart', { n: index + 1 })}
            onClick={() => onChange(rows.filter((entry) => entry.key !== row.key))}
          >
            <Trash2 aria-hidden className="size-4" />
          </Button>
        </div>
      ))}
      <Button tone="secondary" size="sm" onClick={() => onChange([...rows, newPartRow()])}>
        <Plus aria-hidden className="size-4" />
        {t('repairs.addPart')}
      </Button>
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error}</p>}
    </fieldset>
  );
}

/** Technicians and managers of the plant, as checkboxes. */
export function TechnicianPicker({
  selected,
  onChange,
  error,
}: {
  selected: number[];
  onChange: (ids: number[]) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const people = useQuery({ queryKey: userKeys.all, queryFn: fetchUsers });
  const candidates = (people.data ?? []).filter(
    (person) =>
      (person.is_active && (person.role === 'technician' || person.role === 'manager')) ||
      selected.includes(person.id),
  );
  const toggle = (id: number) =>
    onChange(selected.includes(id) ? selected.filter((entry) => entry !== id) : [...selected, id]);
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {t('repairs.technicians')}
      </legend>
      {people.isPending && <p className="text-sm text-slate-500">{t('common.loading')}</p>}
      {people.isError && <p className="text-sm text-red-700 dark:text-red-400">{people.error.message}</p>}
      {people.data && candidates.length === 0 && (
        <p className="text-sm text-slate-500">{t('repairs.noTechnicians')}</p>
      )}
      <div className="grid gap-1 sm:grid-cols-2">
        {candidates.map((person) => (
          <label key={person.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={selected.includes(person.id)}
              onChange={() => toggle(person.id)}
            />
            {person.full_name || person.username}
            <span className="text-xs text-slate-500">{t(`roles.names.${person.role}`, person.role)}</span>
          </label>
        ))}
      </div>
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error}</p>}
    </fieldset>
  );
}

/** The stop this repair answers, from the machine's recent stops. */
export function DowntimeSelect({
  machineId,
  value,
  error,
  onChange,
}: {
  machineId: number | null;
  value: number | null;
  error?: string;
  onChange: (id: number | null) => void;
}) {
  const { t } = useTranslation();
  const filter = { machine_id: machineId ?? 0, limit: 30 };
  const stops = useQuery({
    queryKey: downtimeKeys.list(filter),
    queryFn: () => fetchDowntimes(filter),
    enabled: machineId !== null,
  });
  const items = stops.data?.items ?? [];
  return (
    <Select
      label={t('repairs.linkedDowntime')}
      value={value ?? ''}
      error={error}
      onChange={(e) => onChange(Number(e.target.value) || null)}
    >
      <option value="">{t('repairs.noDowntime')}</option>
      {items.map((stop) => (
        <option key={stop.id} value={stop.id}>
          {`#${stop.id} · ${formatMoment(stop.start_datetime)} · ${formatDuration(stop.duration_seconds)}${
            stop.reason_name ? ` · ${stop.reason_name}` : ''
          }`}
        </option>
      ))}
      {value !== null && !items.some((stop) => stop.id === value) && <option value={value}>#{value}</option>}
    </Select>
  );
}
