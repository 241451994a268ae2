import { useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { ArrowLeft } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/ui/query-state.tsx';
import { fetchLines, fetchMachines, plantKeys, type PlantMachine } from '../plant/plant-api.ts';
import { StatusDot } from '../plant/status-dot.tsx';

export const bigButton =
  'min-h-16 rounded-xl border-2 px-4 py-3 text-left text-lg font-semibold transition-colors focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-sky-500 disabled:opacity-60';
const pickButton = clsx(
  bigButton,
  'border-slate-300 bg-white text-slate-900 hover:border-sky-600 hover:bg-sky-50',
  'dark:border-slate-500 dark:bg-slate-900 dark:text-white dark:hover:border-sky-400 dark:hover:bg-slate-800',
);

interface PickerProps {
  lineId: number | null;
  onLine: (lineId: number | null) => void;
  onMachine: (machine: PlantMachine) => void;
}

/** Line → machine with big buttons, for a gloved finger on a tablet. */
export function FloorMachinePicker({ lineId, onLine, onMachine }: PickerProps) {
  const { t } = useTranslation();
  const lines = useQuery({ queryKey: plantKeys.lines({}), queryFn: () => fetchLines() });
  const machines = useQuery({
    queryKey: plantKeys.machines({ line_id: lineId ?? 0 }),
    queryFn: () => fetchMachines({ line_id: lineId ?? 0 }),
    enabled: lineId !== null,
  });

  if (lineId === null) {
    return (
      <section aria-labelledby="floor-lines" className="space-y-3">
        <h2 id="floor-lines" className="text-xl font-semibold">
          {t('floor.pickLine')}
        </h2>
        <QueryState query={lines} isEmpty={(list) => list.length === 0} emptyTitle={t('floor.noLines')}>
          {(list) => (
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {list.map((line) => (
                <button
                  key={line.id}
                  type="button"
                  data-testid={`floor-line-${line.code}`}
                  className={pickButton}
                  onClick={() => onLine(line.id)}
                >
                  <span className="flex items-center gap-2">
                    <StatusDot kind="line" status={line.status} />
                    <span className="font-mono">{line.code}</span>
                  </span>
                  <span className="block text-base font-normal text-slate-600 dark:text-slate-300">
                    {line.name}
                  </span>
                </button>
              ))}
            </div>
          )}
        </QueryState>
      </section>
    );
  }

  const line = lines.data?.find((entry) => entry.id === lineId);
  return (
    <section aria-labelledby="floor-machines" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => onLine(null)}
          className={clsx(pickButton, 'inline-flex items-center gap-2')}
        >
          <ArrowLeft aria-hidden className="size-6" />
          {t('floor.otherLine')}
        </button>
        <h2 id="floor-machines" className="text-xl font-semibold">
          {t('floor.pickMachine', { line: line ? `${line.code} ${line.name}` : '' })}
        </h2>
      </div>
      <QueryState query={machines} isEmpty={(list) => list.length === 0} emptyTitle={t('floor.noMachines')}>
        {(list) => (
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {list.map((machine) => (
              <button
                key={machine.id}
                type="button"
                data-testid={`floor-machine-${machine.code}`}
                className={clsx(
                  pickButton,
                  machine.status === 'broken' && 'border-red-500 dark:border-red-500',
                )}
                onClick={() => onMachine(machine)}
              >
                <span className="flex items-center gap-2">
                  <StatusDot kind="machine" status={machine.status} />
                  <span className="font-mono">{machine.code}</span>
                </span>
                <span className="block text-base font-normal text-slate-600 dark:text-slate-300">
                  {machine.name}
                </span>
              </button>
            ))}
          </div>
        )}
      </QueryState>
    </section>
  );
}
