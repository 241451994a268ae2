import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { historyKeys } from '../machines/history-api.ts';
import { kpiKeys } from '../kpi/kpi-api.ts';
import { plantKeys } from '../plant/plant-api.ts';
import { downtimeKeys, endDowntime, fetchDowntimes, startDowntime, updateDowntime } from './downtime-api.ts';

/** The open stop of one machine and the three things one does with it: start, give a reason, end. */
export function useMachineStop(machineId: number | null) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const filter = { machine_id: machineId ?? 0, open: true, limit: 1 };
  const openStop = useQuery({
    queryKey: downtimeKeys.list(filter),
    queryFn: () => fetchDowntimes(filter),
    enabled: machineId !== null,
    refetchInterval: 15_000,
    select: (page) => page.items[0] ?? null,
  });

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: downtimeKeys.all });
    void queryClient.invalidateQueries({ queryKey: plantKeys.all });
    void queryClient.invalidateQueries({ queryKey: kpiKeys.all });
    if (machineId !== null) void queryClient.invalidateQueries({ queryKey: historyKeys.machine(machineId) });
  };
  const onError = (error: unknown) => {
    refresh();
    toast.error(problemText(error, t('common.saveFailed')));
  };

  const start = useMutation({
    mutationFn: () => startDowntime({ machine_id: machineId ?? 0 }),
    onSuccess: (stop) => {
      queryClient.setQueryData(downtimeKeys.list(filter), { items: [stop], next_cursor: null });
      refresh();
      toast.success(t('downtime.started', { machine: stop.machine_code }));
    },
    onError,
  });
  const setReason = useMutation({
    mutationFn: ({ id, reasonId }: { id: number; reasonId: number }) =>
      updateDowntime(id, { reason_id: reasonId }),
    onSuccess: (stop) => {
      queryClient.setQueryData(downtimeKeys.list(filter), { items: [stop], next_cursor: null });
      refresh();
      toast.success(t('downtime.reasonSaved'));
    },
    onError,
  });
  const end = useMutation({
    mutationFn: (id: number) => endDowntime(id),
    onSuccess: (stop) => {
      queryClient.setQueryData(downtimeKeys.list(filter), { items: [], next_cursor: null });
      refresh();
      toast.success(t('downtime.ended', { machine: stop.machine_code }));
    },
    onError,
  });

  return { openStop, start, setReason, end };
}
