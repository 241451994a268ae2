import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, QrCode } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { fetchMachine, plantKeys, type PlantMachine } from '../plant/plant-api.ts';
import { StatusBadge } from '../plant/status-dot.tsx';
import { bigButton, FloorMachinePicker } from './floor-machine-picker.tsx';
import { FloorStopPanel } from './floor-stop-panel.tsx';

const QrScanner = lazy(() => import('./qr-scanner.tsx').then((module) => ({ default: module.QrScanner })));
const LINE_KEY = 'hom.floor.line';

function storedLine(): number | null {
  const saved = Number(localStorage.getItem(LINE_KEY));
  return Number.isInteger(saved) && saved > 0 ? saved : null;
}

/** The shop-floor stop screen: find the machine, "Machine down", a reason, "Running again". */
export function FloorPage() {
  const { t } = useTranslation();
  const [lineId, setLineId] = useState<number | null>(storedLine);
  const [machineId, setMachineId] = useState<number | null>(null);
  const [scanning, setScanning] = useState(false);
  const machine = useQuery({
    queryKey: plantKeys.machine(machineId ?? 0),
    queryFn: () => fetchMachine(machineId ?? 0),
    enabled: machineId !== null,
  });

  const chooseLine = (id: number | null) => {
    setLineId(id);
    if (id === null) localStorage.removeItem(LINE_KEY);
    else localStorage.setItem(LINE_KEY, String(id));
  };
  const chooseMachine = (picked: PlantMachine | number) => {
    setScanning(false);
    setMachineId(typeof picked === 'number' ? picked : picked.id);
  };

  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-bold">{t('floor.title')}</h1>
        {machineId === null && !scanning && (
          <button
            type="button"
            onClick={() => setScanning(true)}
            className={`${bigButton} inline-flex items-center gap-3 border-sky-700 bg-sky-700 text-white hover:bg-sky-800 dark:border-sky-400 dark:bg-sky-600`}
          >
            <QrCode aria-hidden className="size-8" />
            {t('floor.scan')}
          </button>
        )}
      </div>

      {scanning && (
        <Suspense fallback={<PageSpinner />}>
          <QrScanner onMachine={chooseMachine} onClose={() => setScanning(false)} />
        </Suspense>
      )}

      {machineId === null ? (
        <FloorMachinePicker lineId={lineId} onLine={chooseLine} onMachine={chooseMachine} />
      ) : machine.isPending ? (
        <PageSpinner />
      ) : machine.isError ? (
        <ErrorState error={machine.error} onRetry={() => void machine.refetch()} />
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-3 rounded-xl border-2 border-slate-300 bg-white p-3 dark:border-slate-600 dark:bg-slate-900">
            <button
              type="button"
              onClick={() => setMachineId(null)}
              className={`${bigButton} inline-flex items-center gap-2 border-slate-300 dark:border-slate-500`}
            >
              <ArrowLeft aria-hidden className="size-6" />
              {t('floor.otherMachine')}
            </button>
            <div className="min-w-0 flex-1">
              <p className="truncate text-2xl font-bold">
                <span className="font-mono">{machine.data.code}</span> {machine.data.name}
              </p>
              <StatusBadge kind="machine" status={machine.data.status} />
            </div>
          </div>
          <FloorStopPanel machine={machine.data} />
        </>
      )}
    </div>
  );
}
