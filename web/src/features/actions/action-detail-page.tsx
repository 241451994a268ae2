import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Input, Select, TextArea } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { useSaveMutation } from '../../components/ui/use-save-mutation.ts';
import { formatMoment, fromLocalInput, toLocalInput } from '../../lib/format.ts';
import { fetchUsers, userKeys } from '../users/users-api.ts';
import { ActionStatusBadge, OverdueBadge, PriorityBadge } from './action-badges.tsx';
import {
  actionKeys,
  actionPriorities,
  commentAction,
  fetchAction,
  updateAction,
  type ActionDetail,
  type ActionEvent,
  type ActionPriority,
  type ActionStatus,
} from './actions-api.ts';
import { moveLabelKey, useActionMove } from './use-action-move.ts';

function EventLine({ event, people }: { event: ActionEvent; people: Map<number, string> }) {
  const { t } = useTranslation();
  const person = (id: string | null) => (id ? (people.get(Number(id)) ?? `#${id}`) : t('actions.unassigned'));
  const what =
    event.kind === 'status'
      ? t('actions.events.status', {
          from: event.from_value ? t(`actions.statuses.${event.from_value}`) : '',
          to: t(`actions.statuses.${event.to_value ?? 'open'}`),
        })
      : event.kind === 'assigned'
        ? t('actions.events.assigned', { from: person(event.from_value), to: person(event.to_value) })
        : event.kind === 'rescheduled'
          ? t('actions.events.rescheduled', {
              from: event.from_value ? formatMoment(event.from_value) : '—',
              to: event.to_value ? formatMoment(event.to_value) : '—',
            })
          : event.kind === 'escalated'
            ? t('actions.events.escalated', { level: event.to_value })
            : t(`actions.events.${event.kind}`);
  return (
    <li
      data-testid="action-event"
      data-kind={event.kind}
      className="border-l-2 border-slate-300 pb-3 pl-4 dark:border-slate-700"
    >
      <div className="text-xs text-slate-500">
        {formatMoment(event.at)} · {event.actor_name ?? t('actions.system')}
      </div>
      <div className="text-sm">{what}</div>
      {event.note && (
        <p className="mt-1 whitespace-pre-wrap text-sm text-slate-700 dark:text-slate-300">{event.note}</p>
      )}
    </li>
  );
}

function StatusButtons({ item }: { item: ActionDetail }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const move = useActionMove(() => setNote(''));
  if (item.allowed_transitions.length === 0) return null;
  const needsNote = item.allowed_transitions.some(
    (to) => to === 'completed' || to === 'cancelled' || to === 'open',
  );
  return (
    <section
      aria-label={t('actions.statusSection')}
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      {needsNote && (
        <TextArea
          label={
            item.allowed_transitions.includes('completed') ? t('actions.resolution') : t('actions.reason')
          }
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      )}
      <div className="flex flex-wrap gap-2">
        {item.allowed_transitions.map((to: ActionStatus) => (
          <Button
            key={to}
            data-testid={`action-move-${to}`}
            size="md"
            tone={to === 'cancelled' ? 'danger' : to === 'open' ? 'secondary' : 'primary'}
            busy={move.isPending}
            onClick={() => move.mutate({ id: item.id, status: to, note: note.trim() || undefined })}
          >
            {t(moveLabelKey[to])}
          </Button>
        ))}
      </div>
    </section>
  );
}

function ManageBox({ item }: { item: ActionDetail }) {
  const { t } = useTranslation();
  const users = useQuery({ queryKey: userKeys.all, queryFn: fetchUsers });
  const [assignee, setAssignee] = useState<string>(item.assignee_id ? String(item.assignee_id) : '');
  const [due, setDue] = useState(toLocalInput(item.due_at));
  const [priority, setPriority] = useState<ActionPriority>(item.priority);
  const save = useSaveMutation({
    mutationFn: () =>
      updateAction(item.id, {
        assignee_id: assignee ? Number(assignee) : null,
        due_at: due ? fromLocalInput(due) : null,
        priority,
      }),
    invalidate: [actionKeys.all],
    successText: () => t('actions.saved'),
  });
  if (item.status === 'completed' || item.status === 'cancelled') return null;
  const people = (users.data ?? []).filter(
    (user) =>
      user.is_active &&
      user.role !== 'viewer' &&
      (user.site_ids.includes(item.site_id) || user.role === 'admin'),
  );
  return (
    <section
      aria-label={t('actions.manageSection')}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <Select label={t('actions.assignee')} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
        <option value="">{t('actions.unassigned')}</option>
        {people.map((user) => (
          <option key={user.id} value={user.id}>
            {user.full_name ?? user.username}
          </option>
        ))}
      </Select>
      <Input
        label={t('actions.due')}
        type="datetime-local"
        value={due}
        onChange={(e) => setDue(e.target.value)}
      />
      <Select
        label={t('actions.priority')}
        value={priority}
        onChange={(e) => setPriority(e.target.value as ActionPriority)}
      >
        {actionPriorities.map((entry) => (
          <option key={entry} value={entry}>
            {t(`actions.priorities.${entry}`)}
          </option>
        ))}
      </Select>
      <div className="flex items-end">
        <Button busy={save.isPending} onClick={() => save.mutate()}>
          {t('actions.save')}
        </Button>
      </div>
    </section>
  );
}

function CommentBox({ id }: { id: number }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const save = useSaveMutation({
    mutationFn: () => commentAction(id, note.trim()),
    invalidate: [actionKeys.detail(id)],
    successText: () => t('actions.commented'),
    onSaved: () => setNote(''),
  });
  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (note.trim()) save.mutate();
      }}
    >
      <TextArea label={t('actions.comment')} value={note} onChange={(e) => setNote(e.target.value)} />
      <Button type="submit" tone="secondary" busy={save.isPending} disabled={!note.trim()}>
        {t('actions.addComment')}
      </Button>
    </form>
  );
}

/** `/actions/$actionId`: the facts, status buttons, manager edits, comments and the history. */
export function ActionDetailPage() {
  const { t } = useTranslation();
  const { actionId } = useParams({ strict: false });
  const id = Number(actionId);
  const item = useQuery({ queryKey: actionKeys.detail(id), queryFn: () => fetchAction(id), enabled: id > 0 });
  const users = useQuery({
    queryKey: userKeys.all,
    queryFn: fetchUsers,
    enabled: item.data?.can_manage === true,
  });
  if (item.isPending) return <PageSpinner />;
  if (item.isError) return <ErrorState error={item.error} onRetry={() => void item.refetch()} />;
  const action = item.data;
  const people = new Map((users.data ?? []).map((user) => [user.id, user.full_name ?? user.username]));
  if (action.assignee_id && action.assignee_name) people.set(action.assignee_id, action.assignee_name);
  return (
    <div data-testid="action-detail" data-status={action.status} className="space-y-4">
      <PageHeader title={action.title} hint={t(`actions.sources.${action.source}`)} />
      <div className="flex flex-wrap items-center gap-3">
        <span data-testid="action-status">
          <ActionStatusBadge status={action.status} />
        </span>
        <PriorityBadge priority={action.priority} />
        <OverdueBadge item={action} />
        {action.escalation_level > 0 && (
          <span className="text-sm text-red-700 dark:text-red-400">
            {t('actions.escalatedLevel', { level: action.escalation_level })}
          </span>
        )}
      </div>
      <dl className="grid gap-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-slate-500">{t('actions.assignee')}</dt>
          <dd data-testid="action-assignee">{action.assignee_name ?? t('actions.unassigned')}</dd>
        </div>
        <div>
          <dt className="text-slate-500">{t('actions.due')}</dt>
          <dd>{action.due_at ? formatMoment(action.due_at) : t('actions.noDue')}</dd>
        </div>
        <div>
          <dt className="text-slate-500">{t('actions.site')}</dt>
          <dd>{action.site_code}</dd>
        </div>
        {action.machine_id && (
          <div>
            <dt className="text-slate-500">{t('actions.machine')}</dt>
            <dd>
              <Link
                to="/machines/$machineId"
                params={{ machineId: String(action.machine_id) }}
                className="text-sky-700 underline dark:text-sky-400"
              >
                {action.machine_code ?? action.machine_id}
              </Link>
            </dd>
          </div>
        )}
        {action.tool_id && (
          <div>
            <dt className="text-slate-500">{t('actions.tool')}</dt>
            <dd>
              <Link
                to="/tools/$toolId"
                params={{ toolId: String(action.tool_id) }}
                className="text-sky-700 underline dark:text-sky-400"
              >
                {action.tool_asset_number ?? action.tool_id}
              </Link>
            </dd>
          </div>
        )}
        {action.resolution && (
          <div className="sm:col-span-3">
            <dt className="text-slate-500">{t('actions.resolution')}</dt>
            <dd className="whitespace-pre-wrap">{action.resolution}</dd>
          </div>
        )}
      </dl>
      {action.description && <p className="whitespace-pre-wrap">{action.description}</p>}
      <StatusButtons item={action} />
      {action.can_manage && <ManageBox key={action.updated_at} item={action} />}
      <section aria-label={t('actions.history')} className="space-y-3">
        <h2 className="font-semibold">{t('actions.history')}</h2>
        <ol data-testid="action-history">
          {action.events.map((event) => (
            <EventLine key={event.id} event={event} people={people} />
          ))}
        </ol>
        <CommentBox id={action.id} />
      </section>
    </div>
  );
}
