import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input } from '../../components/ui/field.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { RouteStepsEditor, newStepRow, type StepRow } from './route-steps-editor.tsx';
import { routeKeys, saveRoute, type ProductionRoute } from './routes-api.ts';

interface RouteFormDialogProps {
  siteId: number;
  /** The route being edited (the built-in one too); absent for a new route. */
  route?: ProductionRoute;
  onClose: () => void;
}

/** Create or replace a route: the product it is for (empty: the site default), its name and steps. */
export function RouteFormDialog({ siteId, route, onClose }: RouteFormDialogProps) {
  const { t } = useTranslation();
  const [productCode, setProductCode] = useState(route?.product_code ?? '');
  const [name, setName] = useState(route ? route.name : '');
  const [rows, setRows] = useState<StepRow[]>(() =>
    route ? route.steps.map((step) => newStepRow(step.stage_name, String(step.weight))) : [newStepRow()],
  );
  /** The product code is what identifies a stored route: saving under another code would make a second one. */
  const productFixed = route !== undefined;

  const save = useSaveMutation({
    mutationFn: () =>
      saveRoute({
        site_id: siteId,
        product_code: productCode.trim() || null,
        name: name.trim(),
        steps: rows.map((row) => ({ stage_name: row.stageName.trim(), weight: Number(row.weight) })),
      }),
    invalidate: [routeKeys.site(siteId)],
    successText: (saved) => t('production.routeSaved', { name: saved.name }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);

  return (
    <FormDialog
      title={route ? t('production.editRoute', { name: route.name }) : t('production.newRoute')}
      onClose={onClose}
      save={save}
    >
      <Input
        label={t('production.productCode')}
        hint={productFixed ? undefined : t('production.routeProductHint')}
        placeholder={t('production.siteDefault')}
        disabled={productFixed}
        value={productCode}
        error={problems.product_code}
        onChange={(e) => setProductCode(e.target.value)}
      />
      <Input
        label={t('production.routeName')}
        required
        value={name}
        error={problems.name}
        onChange={(e) => setName(e.target.value)}
      />
      <RouteStepsEditor rows={rows} onChange={setRows} problems={problems} />
    </FormDialog>
  );
}
