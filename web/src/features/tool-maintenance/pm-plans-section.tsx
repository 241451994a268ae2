import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { clsx } from 'clsx';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { FormDialog } from '../../components/ui/form-dialog.tsx';
import { Input, Select, Switch } from '../../components/ui/field.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatMoment, formatNumber } from '../../lib/format.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { actionKeys } from '../actions/actions-api.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchUsers } from '../users/users-api.ts';
import { sectionClass, type ShotThreshold, type ToolSectionProps } from '../tools/tool-section-kit.ts';
import {
  createPlan,
  fetchTemplates,
  fetchToolPlans,
  maintenanceKeys,
  pmStateTone,
  updatePlan,
  type PmPlan,
} from './maintenance-api.ts';

export function PmStateBadge({ state }: { state: PmPlan['state'] }) {
  const { t } = useTranslation();
  return <Badge tone={pmStateTone[state]}>{t(`toolMaintenance.states.${state}`)}</Badge>;
}

/** How far a plan is towards due: 100 % = due; amber from the warning share, red from due. */
export function PmProgress({ plan }: { plan: PmPlan }) {
  const { t } = useTranslation();
  const percent = Math.round(plan.share * 100);
  return (
    <div className="min-w-40">
      <div
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(percent, 100)}
        aria-label={t('toolMaintenance.plans.progress', { name: plan.name })}
        className="h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
      >
        <div
          className={clsx(
            'h-full',
            plan.share >= 1
              ? 'bg-red-600'
              : plan.share >= plan.warn_at_share
                ? 'bg-amber-500'
                : 'bg-emerald-600',
          )}
          style={{ width: `${Math.min(percent, 100)}%` }}
        />
      </div>
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        {[
          plan.every_shots !== null
            ? t('toolMaintenance.plans.shotsOf', {
                used: formatNumber(Math.round(plan.shots_since)),
                every: formatNumber(plan.every_shots),
              })
            : null,
          plan.every_days !== null
            ? t('toolMaintenance.plans.daysOf', { used: Math.floor(plan.days_since), every: plan.every_days })
            : null,
        ]
          .filter(Boolean)
          .join(' · ')}{' '}
        ({percent} %)
      </p>
    </div>
  );
}

/** Lines for the tool's shots chart: where each active shot plan comes due and warns. */
export function usePmThresholds(toolId: number): ShotThreshold[] {
  const { t } = useTranslation();
  const plans = useQuery({ queryKey: maintenanceKeys.plans(toolId), queryFn: () => fetchToolPlans(toolId) });
  return (plans.data ?? []).flatMap((plan) =>
    plan.due_at_shots === null || plan.every_shots === null
      ? []
      : [
          {
            label: t('toolMaintenance.plans.dueLine', { name: plan.name }),
            shots: plan.due_at_shots,
            colour: '#dc2626',
          },
          {
            label: t('toolMaintenance.plans.warnLine', { name: plan.name }),
            shots: Math.round(plan.shots_at_last_done + plan.every_shots * plan.warn_at_share),
            colour: '#d97706',
          },
        ],
  );
}

/** The tool page's PM plans: state badges, progress to due, next due estimate, create and edit. */
export function PmPlansSection({ tool }: ToolSectionProps) {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const plans = useQuery({
    queryKey: maintenanceKeys.plans(tool.id),
    queryFn: () => fetchToolPlans(tool.id),
  });
  const [editing, setEditing] = useState<PmPlan | 'new' | null>(null);
  const manage = can(user, 'tool:manage');
  return (
    <section className={sectionClass} aria-labelledby="pm-plans-title">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 id="pm-plans-title" className="text-lg font-semibold">
          {t('toolMaintenance.plans.title')}
        </h2>
        <div className="flex gap-2">
          {can(user, 'toollog:write') && (
            <Link
              to="/tools/$toolId/logs/new"
              params={{ toolId: String(tool.id) }}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              {t('toolMaintenance.logs.new')}
            </Link>
          )}
          {manage && (
            <Button onClick={() => setEditing('new')}>
              <Plus aria-hidden className="size-4" />
              {t('toolMaintenance.plans.new')}
            </Button>
          )}
        </div>
      </div>
      <QueryState
        query={plans}
        isEmpty={(list) => list.length === 0}
        emptyTitle={t('toolMaintenance.plans.none')}
      >
        {(list) => (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {list.map((plan) => (
              <li
                key={plan.id}
                className="flex flex-wrap items-center gap-4 py-3"
                data-testid={`pm-plan-${plan.id}`}
              >
                <div className="min-w-48 flex-1">
                  <p className="font-medium">
                    {plan.name} <PmStateBadge state={plan.state} />
                  </p>
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    {t('toolMaintenance.plans.lastDone', { at: formatMoment(plan.last_done_at) })}
                    {plan.responsible_name ? ` · ${plan.responsible_name}` : ''}
                    {plan.checklist_template_name ? ` · ${plan.checklist_template_name}` : ''}
                  </p>
                </div>
                <PmProgress plan={plan} />
                <p className="text-sm">
                  {plan.next_due_at
                    ? t('toolMaintenance.plans.nextDue', { at: formatMoment(plan.next_due_at) })
                    : t('toolMaintenance.plans.nextDueUnknown')}
                </p>
                <div className="flex gap-2">
                  {can(user, 'toollog:write') && (
                    <Link
                      to="/tools/$toolId/logs/new"
                      params={{ toolId: String(tool.id) }}
                      search={{ plan_id: plan.id }}
                      className="text-sm text-sky-700 underline dark:text-sky-400"
                    >
                      {t('toolMaintenance.plans.logDone')}
                    </Link>
                  )}
                  {manage && (
                    <Button tone="secondary" onClick={() => setEditing(plan)}>
                      {t('common.edit')}
                    </Button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {editing && (
        <PmPlanDialog
          toolId={tool.id}
          siteId={tool.site_id}
          plan={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}

const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

function PmPlanDialog({
  toolId,
  siteId,
  plan,
  onClose,
}: {
  toolId: number;
  siteId: number;
  plan?: PmPlan;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(plan?.name ?? '');
  const [everyShots, setEveryShots] = useState(plan?.every_shots?.toString() ?? '');
  const [everyDays, setEveryDays] = useState(plan?.every_days?.toString() ?? '');
  const [warnPercent, setWarnPercent] = useState(String(Math.round((plan?.warn_at_share ?? 0.9) * 100)));
  const [templateId, setTemplateId] = useState(plan?.checklist_template_id?.toString() ?? '');
  const [responsibleId, setResponsibleId] = useState(plan?.responsible_user_id?.toString() ?? '');
  const [active, setActive] = useState(plan?.is_active ?? true);
  const templates = useQuery({
    queryKey: maintenanceKeys.templates(siteId, false),
    queryFn: () => fetchTemplates(siteId),
  });
  const users = useQuery({ queryKey: ['users'], queryFn: fetchUsers });
  const save = useSaveMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        every_shots: numberOrNull(everyShots),
        every_days: numberOrNull(everyDays),
        warn_at_share: Number(warnPercent) / 100,
        checklist_template_id: numberOrNull(templateId),
        responsible_user_id: numberOrNull(responsibleId),
      };
      return plan ? updatePlan(plan.id, { ...fields, is_active: active }) : createPlan(toolId, fields);
    },
    // A plan is judged when saved: one already due raises its action item.
    invalidate: [maintenanceKeys.all, maintenanceKeys.allPlans, actionKeys.all],
    successText: (saved) => t('toolMaintenance.plans.saved', { name: saved.name }),
    onSaved: onClose,
  });
  const problems = fieldProblems(save.error);
  const siteUsers = (users.data ?? []).filter(
    (user) => user.is_active && (user.role === 'admin' || user.site_ids.includes(siteId)),
  );
  return (
    <FormDialog
      title={plan ? t('toolMaintenance.plans.edit', { name: plan.name }) : t('toolMaintenance.plans.new')}
      onClose={onClose}
      save={save}
    >
      <Input
        label={t('toolMaintenance.plans.name')}
        required
        value={name}
        error={problems.name}
        onChange={(e) => setName(e.target.value)}
      />
      <Input
        label={t('toolMaintenance.plans.everyShots')}
        type="number"
        min={1}
        value={everyShots}
        hint={t('toolMaintenance.plans.intervalHint')}
        error={problems.every_shots}
        onChange={(e) => setEveryShots(e.target.value)}
      />
      <Input
        label={t('toolMaintenance.plans.everyDays')}
        type="number"
        min={1}
        max={3650}
        value={everyDays}
        error={problems.every_days}
        onChange={(e) => setEveryDays(e.target.value)}
      />
      <Input
        label={t('toolMaintenance.plans.warnAt')}
        type="number"
        min={50}
        max={100}
        value={warnPercent}
        error={problems.warn_at_share}
        onChange={(e) => setWarnPercent(e.target.value)}
      />
      <Select
        label={t('toolMaintenance.plans.checklist')}
        value={templateId}
        error={problems.checklist_template_id}
        onChange={(e) => setTemplateId(e.target.value)}
      >
        <option value="">{t('toolMaintenance.plans.noChecklist')}</option>
        {(templates.data ?? []).map((template) => (
          <option key={template.id} value={template.id}>
            {template.name}
          </option>
        ))}
      </Select>
      <Select
        label={t('toolMaintenance.plans.responsible')}
        value={responsibleId}
        error={problems.responsible_user_id}
        onChange={(e) => setResponsibleId(e.target.value)}
      >
        <option value="">{t('toolMaintenance.plans.nobody')}</option>
        {siteUsers.map((user) => (
          <option key={user.id} value={user.id}>
            {user.full_name ?? user.username}
          </option>
        ))}
      </Select>
      {plan && <Switch label={t('toolMaintenance.plans.active')} checked={active} onChange={setActive} />}
    </FormDialog>
  );
}
