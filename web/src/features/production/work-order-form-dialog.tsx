import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input, Select, TextArea } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { fetchLines, plantKeys } from '../plant/plant-api.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { createWorkOrder, productionKeys, updateWorkOrder, type WorkOrder } from './production-api.ts';

/** The next full hour and eight hours later, as `datetime-local` values. */
function defaultWindow() {
  const start = new Date();
  start.setMinutes(0, 0, 0);
  start.setHours(start.getHours() + 1);
  const end = new Date(start.getTime() + 8 * 3600_000);
  return { start: toLocalInput(start.toISOString()), end: toLocalInput(end.toISOString()) };
}

interface WorkOrderFormDialogProps {
  /** The work order being edited; absent when planning a new one. */
  workOrder?: WorkOrder;
  onClose: () => void;
}

export function WorkOrderFormDialog({ workOrder, onClose }: WorkOrderFormDialogProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const siteList = (sites.data ?? []).filter((site) => site.is_active);
  const [defaults] = useState(defaultWindow);
  const [siteId, setSiteId] = useState<number | null>(workOrder?.site_id ?? null);
  const chosenSite = siteId ?? siteList[0]?.id ?? null;
  const [productCode, setProductCode] = useState(workOrder?.product_code ?? '');
  const [lotNo, setLotNo] = useState(workOrder?.lot_no ?? '');
  const [qty, setQty] = useState(workOrder ? String(workOrder.qty) : '');
  const [start, setStart] = useState(workOrder ? toLocalInput(workOrder.planned_start) : defaults.start);
  const [end, setEnd] = useState(workOrder ? toLocalInput(workOrder.planned_end) : defaults.end);
  const [lineId, setLineId] = useState<number | null>(workOrder?.line_id ?? null);
  const [notes, setNotes] = useState(workOrder?.notes ?? '');
  const lines = useQuery({
    queryKey: plantKeys.lines({ site_id: chosenSite ?? 0 }),
    queryFn: () => fetchLines({ site_id: chosenSite ?? 0 }),
    enabled: chosenSite !== null,
  });

  const save = useSaveMutation({
    mutationFn: () => {
      const fields = {
        product_code: productCode.trim(),
        lot_no: lotNo.trim(),
        qty: Number(qty),
        planned_start: fromLocalInput(start) ?? '',
        planned_end: fromLocalInput(end) ?? '',
        line_id: lineId,
        notes: notes.trim() || null,
      };
      return workOrder
        ? updateWorkOrder(workOrder.id, fields)
        : createWorkOrder({ ...fields, site_id: chosenSite ?? undefined });
    },
    invalidate: [productionKeys.all],
    successText: (saved) =>
      t(workOrder ? 'production.workOrderSaved' : 'production.workOrderCreated', { lot: saved.lot_no }),
    onSaved: (saved) => {
      onClose();
      if (!workOrder)
        void navigate({ to: '/production/work-orders/$woId', params: { woId: String(saved.id) } });
    },
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={
        workOrder ? t('production.editWorkOrder', { lot: workOrder.lot_no }) : t('production.newWorkOrder')
      }
      onClose={onClose}
      save={save}
      submitLabel={workOrder ? undefined : t('production.createWorkOrder')}
    >
      {!workOrder && siteList.length > 1 && (
        <Select
          label={t('production.site')}
          value={chosenSite ?? ''}
          error={problems.site_id}
          onChange={(e) => {
            setSiteId(Number(e.target.value));
            setLineId(null);
          }}
        >
          {siteList.map((site) => (
            <option key={site.id} value={site.id}>
              {site.code} — {site.name}
            </option>
          ))}
        </Select>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label={t('production.productCode')}
          required
          autoFocus
          value={productCode}
          error={problems.product_code}
          onChange={(e) => setProductCode(e.target.value)}
        />
        <Input
          label={t('production.lotNo')}
          required
          value={lotNo}
          error={problems.lot_no}
          onChange={(e) => setLotNo(e.target.value)}
        />
        <Input
          label={t('production.qty')}
          required
          type="number"
          min="1"
          step="1"
          inputMode="numeric"
          value={qty}
          error={problems.qty}
          onChange={(e) => setQty(e.target.value)}
        />
        <Select
          label={t('production.line')}
          value={lineId ?? ''}
          error={problems.line_id}
          onChange={(e) => setLineId(Number(e.target.value) || null)}
        >
          <option value="">{t('production.noLine')}</option>
          {(lines.data ?? []).map((line) => (
            <option key={line.id} value={line.id}>
              {line.code} — {line.name}
            </option>
          ))}
        </Select>
        <Input
          label={t('production.plannedStart')}
          required
          type="datetime-local"
          value={start}
          error={problems.planned_start}
          onChange={(e) => setStart(e.target.value)}
        />
        <Input
          label={t('production.plannedEnd')}
          required
          type="datetime-local"
          value={end}
          error={problems.planned_end}
          onChange={(e) => setEnd(e.target.value)}
        />
      </div>
      <TextArea
        label={t('production.notes')}
        value={notes}
        error={problems.notes}
        onChange={(e) => setNotes(e.target.value)}
      />
      {!workOrder && <p className="text-xs text-slate-500">{t('production.stagesFromRoute')}</p>}
    </FormDialog>
  );
}
