import { useQuery } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { Input, Select, Switch } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { ListTable, Td, Tr } from '../../components/ui/table.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import {
  appliesToValues,
  createTemplate,
  deleteTemplate,
  fetchTemplates,
  maintenanceKeys,
  updateTemplate,
  type ChecklistTemplate,
} from './maintenance-api.ts';

/** Admin: checklist templates (shared by all sites, or one site's), their ordered steps; used ones are deactivated. */
export function ChecklistTemplatesPage() {
  const { t } = useTranslation();
  const templates = useQuery({
    queryKey: maintenanceKeys.templates(null, true),
    queryFn: () => fetchTemplates(null, true),
  });
  const [editing, setEditing] = useState<ChecklistTemplate | 'new' | null>(null);
  const toggle = useSaveMutation({
    mutationFn: (template: ChecklistTemplate) =>
      updateTemplate(template.id, { is_active: !template.is_active }),
    invalidate: [maintenanceKeys.all],
    successText: (saved) =>
      t(saved.is_active ? 'toolMaintenance.templates.activated' : 'toolMaintenance.templates.deactivated', {
        name: saved.name,
      }),
  });
  const remove = useSaveMutation({
    mutationFn: async (template: ChecklistTemplate) => {
      await deleteTemplate(template.id);
      return template;
    },
    invalidate: [maintenanceKeys.all],
    successText: (removed) => t('toolMaintenance.templates.deleted', { name: removed.name }),
  });
  return (
    <>
      <PageHeader
        title={t('toolMaintenance.templates.title')}
        hint={t('toolMaintenance.templates.hint')}
        actions={
          <Button onClick={() => setEditing('new')}>
            <Plus aria-hidden className="size-4" />
            {t('toolMaintenance.templates.new')}
          </Button>
        }
      />
      <QueryState
        query={templates}
        isEmpty={(list) => list.length === 0}
        emptyTitle={t('toolMaintenance.templates.none')}
      >
        {(list) => (
          <ListTable
            caption={t('toolMaintenance.templates.title')}
            headers={[
              t('toolMaintenance.templates.name'),
              t('toolMaintenance.templates.appliesTo'),
              t('toolMaintenance.templates.steps'),
              t('toolMaintenance.templates.used'),
              t('toolMaintenance.templates.status'),
            ]}
          >
            {list.map((template) => {
              const used = template.used_by_logs + template.used_by_plans > 0;
              return (
                <Tr key={template.id} data-testid={`template-row-${template.id}`}>
                  <Td>
                    {template.name}
                    {template.site_id === null && (
                      <span className="ml-2 text-xs text-slate-500">
                        {t('toolMaintenance.templates.shared')}
                      </span>
                    )}
                  </Td>
                  <Td>{t(`toolMaintenance.appliesTo.${template.applies_to}`, template.applies_to)}</Td>
                  <Td>{template.items.length}</Td>
                  <Td>
                    {t('toolMaintenance.templates.usedBy', {
                      logs: template.used_by_logs,
                      plans: template.used_by_plans,
                    })}
                  </Td>
                  <Td>
                    <Badge tone={template.is_active ? 'good' : 'neutral'}>
                      {t(
                        template.is_active
                          ? 'toolMaintenance.templates.active'
                          : 'toolMaintenance.templates.inactive',
                      )}
                    </Badge>
                  </Td>
                  <Td className="text-right whitespace-nowrap">
                    <Button tone="secondary" onClick={() => setEditing(template)}>
                      {t('common.edit')}
                    </Button>{' '}
                    <Button tone="secondary" onClick={() => toggle.mutate(template)}>
                      {t(
                        template.is_active
                          ? 'toolMaintenance.templates.deactivate'
                          : 'toolMaintenance.templates.activate',
                      )}
                    </Button>{' '}
                    {!used && (
                      <Button
                        tone="secondary"
                        aria-label={t('toolMaintenance.templates.delete', { name: template.name })}
                        onClick={() => remove.mutate(template)}
                      >
                        <Trash2 aria-hidden className="size-4" />
                      </Button>
                    )}
                  </Td>
                </Tr>
              );
            })}
          </ListTable>
        )}
      </QueryState>
      {editing && (
        <TemplateDialog template={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

interface Step {
  key: number;
  text: string;
  required: boolean;
}

let stepKey = 0;

function TemplateDialog({ template, onClose }: { template?: ChecklistTemplate; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(template?.name ?? '');
  const [appliesTo, setAppliesTo] = useState(template?.applies_to ?? 'any');
  const [steps, setSteps] = useState<Step[]>(
    template?.items.map((item) => ({ key: ++stepKey, text: item.text, required: item.required })) ?? [
      { key: ++stepKey, text: '', required: true },
    ],
  );
  const save = useSaveMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        applies_to: appliesTo,
        items: steps.map((step) => ({ text: step.text.trim(), required: step.required })),
      };
      return template ? updateTemplate(template.id, fields) : createTemplate(fields);
    },
    invalidate: [maintenanceKeys.all, maintenanceKeys.allPlans],
    successText: (saved) => t('toolMaintenance.templates.saved', { name: saved.name }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);
  const move = (index: number, by: number) =>
    setSteps((current) => {
      const next = [...current];
      const [step] = next.splice(index, 1);
      next.splice(index + by, 0, step!);
      return next;
    });
  const change = (index: number, patch: Partial<Step>) =>
    setSteps((current) => current.map((step, i) => (i === index ? { ...step, ...patch } : step)));
  return (
    <FormDialog
      title={
        template
          ? t('toolMaintenance.templates.edit', { name: template.name })
          : t('toolMaintenance.templates.new')
      }
      onClose={onClose}
      save={save}
    >
      <Input
        label={t('toolMaintenance.templates.name')}
        required
        value={name}
        error={problems.name}
        onChange={(e) => setName(e.target.value)}
      />
      <Select
        label={t('toolMaintenance.templates.appliesTo')}
        value={appliesTo}
        error={problems.applies_to}
        onChange={(e) => setAppliesTo(e.target.value)}
      >
        {appliesToValues.map((value) => (
          <option key={value} value={value}>
            {t(`toolMaintenance.appliesTo.${value}`)}
          </option>
        ))}
      </Select>
      <fieldset className="grid gap-2">
        <legend className="text-sm font-medium">{t('toolMaintenance.templates.steps')}</legend>
        {problems.items && <p className="text-sm text-red-700 dark:text-red-400">{problems.items}</p>}
        {steps.map((step, index) => (
          <div key={step.key} className="flex flex-wrap items-end gap-2">
            <div className="min-w-48 flex-1">
              <Input
                label={t('toolMaintenance.templates.step', { n: index + 1 })}
                required
                value={step.text}
                error={problems[`items.${index}.text`]}
                onChange={(e) => change(index, { text: e.target.value })}
              />
            </div>
            <Switch
              label={t('toolMaintenance.templates.required')}
              checked={step.required}
              onChange={(required) => change(index, { required })}
            />
            <Button
              tone="secondary"
              aria-label={t('toolMaintenance.templates.up')}
              disabled={index === 0}
              onClick={() => move(index, -1)}
            >
              <ArrowUp aria-hidden className="size-4" />
            </Button>
            <Button
              tone="secondary"
              aria-label={t('toolMaintenance.templates.down')}
              disabled={index === steps.length - 1}
              onClick={() => move(index, 1)}
            >
              <ArrowDown aria-hidden className="size-4" />
            </Button>
            <Button
              tone="secondary"
              aria-label={t('toolMaintenance.templates.removeStep')}
              disabled={steps.length === 1}
              onClick={() => setSteps((current) => current.filter((_, i) => i !== index))}
            >
              <Trash2 aria-hidden className="size-4" />
            </Button>
          </div>
        ))}
        <Button
          tone="secondary"
          onClick={() => setSteps((current) => [...current, { key: ++stepKey, text: '', required: true }])}
        >
          <Plus aria-hidden className="size-4" />
          {t('toolMaintenance.templates.addStep')}
        </Button>
      </fieldset>
    </FormDialog>
  );
}
