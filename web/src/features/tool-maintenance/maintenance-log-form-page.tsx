import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { clsx } from 'clsx';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Input, Select, Switch, TextArea } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { fieldProblems } from '../../lib/form-errors.ts';
import { actionKeys } from '../actions/actions-api.ts';
import { fetchTool } from '../tools/tools-api.ts';
import {
  createLog,
  fetchTemplates,
  fetchToolPlans,
  logKinds,
  maintenanceKeys,
  uploadLogPhoto,
  type CheckResult,
  type LogKind,
} from './maintenance-api.ts';

interface Answer {
  result: CheckResult | null;
  note: string;
}

const resultTone: Record<CheckResult, string> = {
  ok: 'bg-emerald-600 text-white',
  not_ok: 'bg-red-600 text-white',
  na: 'bg-slate-500 text-white',
};

/**
 * /tools/:toolId/logs/new — a maintenance log with its checklist: each step OK / Not OK / N/A (Not OK
 * needs a note), duration, findings, follow-up, photos. With ?plan_id the log is that plan's PM.
 */
export function MaintenanceLogFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { toolId } = useParams({ strict: false }) as { toolId: string };
  const search = useSearch({ strict: false }) as { plan_id?: number };
  const id = Number(toolId);
  const tool = useQuery({ queryKey: ['tools', 'one', id], queryFn: () => fetchTool(id) });
  const plans = useQuery({ queryKey: maintenanceKeys.plans(id), queryFn: () => fetchToolPlans(id) });
  const siteId = tool.data?.site_id ?? null;
  const templates = useQuery({
    queryKey: maintenanceKeys.templates(siteId, false),
    queryFn: () => fetchTemplates(siteId),
    enabled: siteId !== null,
  });

  const [planId, setPlanId] = useState(search.plan_id ? String(search.plan_id) : '');
  const [kind, setKind] = useState<LogKind>(search.plan_id ? 'pm' : 'inspection');
  const [templateId, setTemplateId] = useState('');
  const [startedAt, setStartedAt] = useState(toLocalInput(new Date().toISOString()));
  const [duration, setDuration] = useState('30');
  const [findings, setFindings] = useState('');
  const [followUpRequired, setFollowUpRequired] = useState(false);
  const [followUp, setFollowUp] = useState('');
  const [answers, setAnswers] = useState<Record<number, Answer>>({});
  const [photos, setPhotos] = useState<File[]>([]);

  // A plan brings its checklist.
  const plan = plans.data?.find((candidate) => String(candidate.id) === planId);
  useEffect(() => {
    if (plan?.checklist_template_id) setTemplateId(String(plan.checklist_template_id));
    if (plan) setKind('pm');
  }, [plan]);
  const template = templates.data?.find((candidate) => String(candidate.id) === templateId);

  const setAnswer = (itemId: number, change: Partial<Answer>) =>
    setAnswers((current) => ({
      ...current,
      [itemId]: { result: null, note: '', ...current[itemId], ...change },
    }));

  const save = useSaveMutation({
    mutationFn: async () => {
      const log = await createLog({
        tool_id: id,
        ...(planId ? { pm_plan_id: Number(planId) } : {}),
        kind,
        started_at: fromLocalInput(startedAt) ?? '',
        duration_minutes: Number(duration),
        findings: findings.trim() || null,
        follow_up_required: followUpRequired,
        follow_up: followUp.trim() || null,
        checklist_template_id: template ? template.id : null,
        checks: (template?.items ?? []).map((item) => ({
          item_id: item.id,
          result: answers[item.id]?.result ?? ('' as CheckResult),
          note: answers[item.id]?.note.trim() || null,
        })),
      });
      for (const photo of photos) await uploadLogPhoto(log.id, photo);
      return log;
    },
    // A PM log completes the plan's action item; a follow-up raises one.
    invalidate: [maintenanceKeys.all, maintenanceKeys.allPlans, actionKeys.all],
    successText: () => t('toolMaintenance.logs.saved'),
    onSaved: () => void navigate({ to: '/tools/$toolId', params: { toolId } }),
  });
  const problems = fieldProblems(save.error);
  const unanswered = (template?.items ?? []).filter((item) => !answers[item.id]?.result).length;
  const missingNotes = (template?.items ?? []).filter(
    (item) => answers[item.id]?.result === 'not_ok' && !answers[item.id]?.note.trim(),
  ).length;

  return (
    <>
      <PageHeader
        title={t('toolMaintenance.logs.formTitle', { tool: tool.data?.asset_number ?? '…' })}
        hint={tool.data?.name}
      />
      <form
        className="grid max-w-3xl gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <Select
            label={t('toolMaintenance.logs.plan')}
            value={planId}
            error={problems.pm_plan_id}
            onChange={(e) => setPlanId(e.target.value)}
          >
            <option value="">{t('toolMaintenance.logs.noPlan')}</option>
            {(plans.data ?? []).map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </Select>
          <Select
            label={t('toolMaintenance.logs.kind')}
            value={kind}
            disabled={Boolean(planId)}
            error={problems.kind}
            onChange={(e) => setKind(e.target.value as LogKind)}
          >
            {logKinds.map((value) => (
              <option key={value} value={value}>
                {t(`toolMaintenance.kinds.${value}`)}
              </option>
            ))}
          </Select>
          <Input
            label={t('toolMaintenance.logs.startedAt')}
            type="datetime-local"
            required
            value={startedAt}
            error={problems.started_at}
            onChange={(e) => setStartedAt(e.target.value)}
          />
          <Input
            label={t('toolMaintenance.logs.duration')}
            type="number"
            min={1}
            required
            value={duration}
            error={problems.duration_minutes}
            onChange={(e) => setDuration(e.target.value)}
          />
          <Select
            label={t('toolMaintenance.logs.checklist')}
            value={templateId}
            error={problems.checklist_template_id}
            onChange={(e) => {
              setTemplateId(e.target.value);
              setAnswers({});
            }}
          >
            <option value="">{t('toolMaintenance.logs.noChecklist')}</option>
            {(templates.data ?? []).map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </Select>
        </div>

        {template && (
          <fieldset className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
            <legend className="px-1 font-semibold">{template.name}</legend>
            {problems.checks && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {problems.checks}
              </p>
            )}
            <ol className="grid gap-3">
              {template.items.map((item) => {
                const answer = answers[item.id];
                return (
                  <li key={item.id} className="grid gap-2" data-testid={`check-${item.position}`}>
                    <p className="font-medium">
                      {item.position}. {item.text}
                      {item.required && <span className="text-red-700"> *</span>}
                    </p>
                    <div role="radiogroup" aria-label={item.text} className="flex gap-2">
                      {(['ok', 'not_ok', 'na'] as const)
                        .filter((result) => result !== 'na' || !item.required)
                        .map((result) => (
                          <button
                            key={result}
                            type="button"
                            role="radio"
                            aria-checked={answer?.result === result}
                            onClick={() => setAnswer(item.id, { result })}
                            className={clsx(
                              'min-h-11 min-w-20 rounded-md border px-3 text-sm font-medium',
                              answer?.result === result
                                ? resultTone[result]
                                : 'border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800',
                            )}
                          >
                            {t(`toolMaintenance.results.${result}`)}
                          </button>
                        ))}
                    </div>
                    {answer?.result && answer.result !== 'ok' && (
                      <Input
                        label={t('toolMaintenance.logs.note')}
                        required={answer.result === 'not_ok'}
                        value={answer.note}
                        error={
                          answer.result === 'not_ok' && !answer.note.trim()
                            ? t('toolMaintenance.logs.noteRequired')
                            : undefined
                        }
                        onChange={(e) => setAnswer(item.id, { note: e.target.value })}
                      />
                    )}
                  </li>
                );
              })}
            </ol>
          </fieldset>
        )}

        <TextArea
          label={t('toolMaintenance.logs.findings')}
          value={findings}
          error={problems.findings}
          onChange={(e) => setFindings(e.target.value)}
        />
        <Switch
          label={t('toolMaintenance.logs.followUpRequired')}
          checked={followUpRequired}
          onChange={setFollowUpRequired}
        />
        {followUpRequired && (
          <TextArea
            label={t('toolMaintenance.logs.followUpText')}
            required
            value={followUp}
            error={problems.follow_up}
            onChange={(e) => setFollowUp(e.target.value)}
          />
        )}
        <label className="grid gap-1 text-sm font-medium">
          {t('toolMaintenance.logs.photos')}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            onChange={(e) => setPhotos([...(e.target.files ?? [])])}
          />
        </label>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={save.isPending || unanswered > 0 || missingNotes > 0}>
            {t('toolMaintenance.logs.save')}
          </Button>
          {unanswered > 0 && (
            <span className="text-sm text-slate-600 dark:text-slate-400">
              {t('toolMaintenance.logs.unanswered', { count: unanswered })}
            </span>
          )}
        </div>
      </form>
    </>
  );
}
