import { Plus, Trash2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { controlClass } from '../../components/ui/field.tsx';
import { DEFAULT_STATE_MAP, MACHINE_STATES, type MachineState } from './opcua-api.ts';

export interface StateMapRow {
  raw: string;
  state: MachineState;
}

export const rowsOf = (map: Record<string, MachineState>): StateMapRow[] =>
  Object.entries(map).map(([raw, state]) => ({ raw, state }));

export const mapOf = (rows: StateMapRow[]): Record<string, MachineState> =>
  Object.fromEntries(rows.filter((row) => row.raw.trim() !== '').map((row) => [row.raw.trim(), row.state]));

/** Raw values of the machine's state node → HOM states; unmapped values become "unknown". */
export function StateMapEditor({
  rows,
  onChange,
  error,
}: {
  rows: StateMapRow[];
  onChange: (rows: StateMapRow[]) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const update = (index: number, patch: Partial<StateMapRow>) =>
    onChange(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {t('connectivity.stateMap.title')}
      </legend>
      <p className="text-xs text-slate-500">{t('connectivity.stateMap.hint')}</p>
      <table className="text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="pr-2 font-normal">{t('connectivity.stateMap.raw')}</th>
            <th className="pr-2 font-normal">{t('connectivity.stateMap.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              <td className="py-1 pr-2">
                <input
                  aria-label={t('connectivity.stateMap.rawOf', { index: index + 1 })}
                  className={`${controlClass} w-32 font-mono`}
                  value={row.raw}
                  onChange={(event) => update(index, { raw: event.target.value })}
                />
              </td>
              <td className="py-1 pr-2">
                <select
                  aria-label={t('connectivity.stateMap.stateOf', { index: index + 1 })}
                  className={`${controlClass} w-36`}
                  value={row.state}
                  onChange={(event) => update(index, { state: event.target.value as MachineState })}
                >
                  {MACHINE_STATES.map((state) => (
                    <option key={state} value={state}>
                      {t(`connectivity.states.${state}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td className="py-1">
                <Button
                  tone="ghost"
                  size="sm"
                  aria-label={t('connectivity.stateMap.remove', { raw: row.raw })}
                  onClick={() => onChange(rows.filter((_row, at) => at !== index))}
                >
                  <Trash2 aria-hidden className="size-4" />
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error}</p>}
      <div className="flex gap-2">
        <Button tone="secondary" size="sm" onClick={() => onChange([...rows, { raw: '', state: 'running' }])}>
          <Plus aria-hidden className="size-4" /> {t('connectivity.stateMap.add')}
        </Button>
        <Button tone="ghost" size="sm" onClick={() => onChange(rowsOf(DEFAULT_STATE_MAP))}>
          {t('connectivity.stateMap.reset')}
        </Button>
      </div>
    </fieldset>
  );
}
