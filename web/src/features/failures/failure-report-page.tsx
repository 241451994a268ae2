import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Camera, ImagePlus, X } from 'lucide-react';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Input, Select, TextArea } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import { fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import {
  createFailureReport,
  failureKeys,
  fetchAssignees,
  fetchFailureCodes,
  fetchMachineOptions,
  fetchToolOptions,
  severities,
  type FailureReportInput,
  type Severity,
} from './failures-api.ts';

interface Option {
  id: number;
  label: string;
}

/** A select with a search box above it: a plant has hundreds of machines and tools. */
function SearchableSelect(props: {
  label: string;
  searchLabel: string;
  options: Option[];
  value: number | null;
  onChange: (id: number | null) => void;
  error?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const shown = props.options.filter(
    (option) => option.id === props.value || option.label.toLowerCase().includes(search.trim().toLowerCase()),
  );
  return (
    <div className="space-y-1">
      <Input
        label={props.searchLabel}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        data-testid={`${props.testId}-search`}
      />
      <Select
        label={props.label}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value ? Number(e.target.value) : null)}
        data-testid={props.testId}
        {...(props.error ? { error: props.error } : {})}
      >
        <option value="">{t('failures.none')}</option>
        {shown.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

function idFromSearch(name: string): number | null {
  const value = Number(new URLSearchParams(window.location.search).get(name));
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** The tablet form: big controls, camera capture, one request with the photos. */
export function FailureReportPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const user = useCurrentUser().data;
  const codes = useQuery({ queryKey: ['catalog', 'failure-codes'], queryFn: fetchFailureCodes });
  const machines = useQuery({ queryKey: ['failures', 'machine-options'], queryFn: fetchMachineOptions });
  const tools = useQuery({ queryKey: ['failures', 'tool-options'], queryFn: fetchToolOptions });
  const canAssign = can(user, 'user:read');
  const assignees = useQuery({
    queryKey: ['failures', 'assignees'],
    queryFn: fetchAssignees,
    enabled: canAssign,
  });

  // Opened from a tool's or machine's page (`?tool_id=…` / `?machine_id=…`), the form starts with it.
  const [toolId, setToolId] = useState<number | null>(() => idFromSearch('tool_id'));
  const [machineId, setMachineId] = useState<number | null>(() => idFromSearch('machine_id'));
  const [codeId, setCodeId] = useState<number | null>(null);
  const [severity, setSeverity] = useState<Severity>('medium');
  const [occurredAt, setOccurredAt] = useState(() => toLocalInput(new Date().toISOString()));
  const [description, setDescription] = useState('');
  const [containment, setContainment] = useState('');
  const [assigneeId, setAssigneeId] = useState<number | null>(null);
  const [dueAt, setDueAt] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const previews = useMemo(() => photos.map((file) => URL.createObjectURL(file)), [photos]);
  useEffect(() => () => previews.forEach((url) => URL.revokeObjectURL(url)), [previews]);

  const activeCodes = (codes.data ?? []).filter((code) => code.is_active);
  const pickCode = (id: number | null) => {
    setCodeId(id);
    const code = activeCodes.find((c) => c.id === id);
    if (code) setSeverity(code.default_severity);
  };

  const save = useMutation({
    mutationFn: () => {
      const input: FailureReportInput = {
        ...(toolId ? { tool_id: toolId } : {}),
        ...(machineId ? { machine_id: machineId } : {}),
        failure_code_id: codeId ?? 0,
        severity,
        description,
        ...(fromLocalInput(occurredAt) ? { occurred_at: fromLocalInput(occurredAt)! } : {}),
        containment_action: containment.trim() || null,
        assignee_id: assigneeId,
        due_at: dueAt ? fromLocalInput(dueAt) : null,
      };
      return createFailureReport(input, photos, setProgress);
    },
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: failureKeys.all });
      for (const refused of created.photo_errors)
        toast.error(`${refused.filename ?? ''}: ${refused.message}`);
      toast.success(t('failures.saved'));
      void navigate({ to: '/failures/$failureId', params: { failureId: String(created.id) } });
    },
    onError: (error) => toast.error(problemText(error, t('failures.saveFailed'))),
    onSettled: () => setProgress(null),
  });
  const problems = save.error ? fieldProblems(save.error) : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const addPhotos = (files: FileList | null) => {
    // Copied now: the input is cleared right after, which empties its live FileList.
    const picked = files ? Array.from(files) : [];
    if (picked.length > 0) setPhotos((current) => [...current, ...picked].slice(0, 10));
  };

  return (
    <>
      <PageHeader title={t('failures.new')} hint={t('failures.formHint')} />
      <form onSubmit={submit} className="max-w-2xl space-y-4 text-base" data-testid="failure-form">
        <div className="grid gap-4 md:grid-cols-2">
          <SearchableSelect
            testId="failure-machine"
            label={t('failures.machine')}
            searchLabel={t('failures.searchMachine')}
            options={(machines.data ?? []).map((m) => ({ id: m.id, label: `${m.code} — ${m.name}` }))}
            value={machineId}
            onChange={setMachineId}
            {...(problems.machine_id ? { error: problems.machine_id } : {})}
          />
          <SearchableSelect
            testId="failure-tool"
            label={t('failures.tool')}
            searchLabel={t('failures.searchTool')}
            options={(tools.data?.items ?? []).map((tool) => ({
              id: tool.id,
              label: `${tool.asset_number} — ${tool.name}`,
            }))}
            value={toolId}
            onChange={setToolId}
            {...(problems.tool_id ? { error: problems.tool_id } : {})}
          />
        </div>
        <Select
          label={t('failures.code')}
          value={codeId ?? ''}
          onChange={(e) => pickCode(e.target.value ? Number(e.target.value) : null)}
          data-testid="failure-code"
          {...(problems.failure_code_id ? { error: problems.failure_code_id } : {})}
        >
          <option value="">{t('failures.pickCode')}</option>
          {activeCodes.map((code) => (
            <option key={code.id} value={code.id}>
              {code.code} — {code.name}
            </option>
          ))}
        </Select>
        <fieldset>
          <legend className="mb-1 text-sm font-medium">{t('failures.severityLabel')}</legend>
          <div className="flex flex-wrap gap-2">
            {severities.map((s) => (
              <label
                key={s}
                className="flex min-h-11 cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-4 dark:border-slate-600"
              >
                <input
                  type="radio"
                  name="severity"
                  value={s}
                  checked={severity === s}
                  onChange={() => setSeverity(s)}
                />
                {t(`failures.severity.${s}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <Input
          label={t('failures.occurredAt')}
          type="datetime-local"
          step={1}
          value={occurredAt}
          onChange={(e) => setOccurredAt(e.target.value)}
          {...(problems.occurred_at ? { error: problems.occurred_at } : {})}
        />
        <TextArea
          label={t('failures.description')}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={4}
          data-testid="failure-description"
          {...(problems.description ? { error: problems.description } : {})}
        />
        <TextArea
          label={t('failures.containment')}
          value={containment}
          onChange={(e) => setContainment(e.target.value)}
          rows={2}
        />
        {canAssign && (
          <div className="grid gap-4 md:grid-cols-2">
            <Select
              label={t('failures.assignee')}
              value={assigneeId ?? ''}
              onChange={(e) => setAssigneeId(e.target.value ? Number(e.target.value) : null)}
              data-testid="failure-assignee"
              {...(problems.assignee_id ? { error: problems.assignee_id } : {})}
            >
              <option value="">{t('failures.unassigned')}</option>
              {(assignees.data ?? [])
                .filter((u) => u.is_active && u.role !== 'viewer' && u.role !== 'machine')
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.full_name ?? u.username}
                  </option>
                ))}
            </Select>
            <Input
              label={t('failures.dueAt')}
              hint={t('failures.dueHint')}
              type="datetime-local"
              value={dueAt}
              onChange={(e) => setDueAt(e.target.value)}
              {...(problems.due_at ? { error: problems.due_at } : {})}
            />
          </div>
        )}
        <fieldset className="space-y-2">
          <legend className="mb-1 text-sm font-medium">{t('failures.photos')}</legend>
          <div className="flex flex-wrap gap-2">
            <label className="inline-flex min-h-11 cursor-pointer items-center gap-2 rounded-md bg-sky-700 px-4 text-white">
              <Camera aria-hidden className="size-5" />
              {t('failures.takePhoto')}
              <input
                type="file"
                accept="image/*"
                capture="environment"
                multiple
                className="sr-only"
                data-testid="failure-camera"
                onChange={(e) => {
                  addPhotos(e.target.files);
                  e.target.value = '';
                }}
              />
            </label>
            <label className="inline-flex min-h-11 cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-4 dark:border-slate-600">
              <ImagePlus aria-hidden className="size-5" />
              {t('failures.uploadPhoto')}
              <input
                type="file"
                accept="image/jpeg,image/png,image/webp,image/avif"
                multiple
                className="sr-only"
                onChange={(e) => {
                  addPhotos(e.target.files);
                  e.target.value = '';
                }}
              />
            </label>
          </div>
          {photos.length > 0 && (
            <ul className="flex flex-wrap gap-2" data-testid="failure-previews">
              {photos.map((file, index) => (
                <li key={`${file.name}-${index}`} className="relative">
                  <img src={previews[index]} alt={file.name} className="size-24 rounded object-cover" />
                  <button
                    type="button"
                    aria-label={t('failures.removePhoto', { name: file.name })}
                    className="absolute top-1 right-1 rounded-full bg-white/90 p-1 text-slate-800"
                    onClick={() => setPhotos((current) => current.filter((_, i) => i !== index))}
                  >
                    <X aria-hidden className="size-4" />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <Button
          type="submit"
          busy={save.isPending}
          className="min-h-12 w-full text-lg md:w-auto"
          data-testid="failure-submit"
        >
          {progress !== null && progress < 1
            ? t('failures.uploading', { share: Math.round(progress * 100) })
            : t('failures.submit')}
        </Button>
      </form>
    </>
  );
}
