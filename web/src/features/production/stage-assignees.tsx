import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UserPlus, X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { controlClass } from '../../components/ui/field.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { fetchUsers, userKeys, type PlantUser } from '../users/users-api.ts';
import { assignToStage, productionKeys, unassignFromStage, type Stage } from './production-api.ts';
import { personName } from './production-format.ts';

/** Roles that can work on a stage, in the order they are offered. */
const workingRoles = ['operator', 'worker', 'planner', 'admin'];

/** Active people of the stage's site who can work on stages, operators first. */
function candidatesFor(stage: Stage, people: PlantUser[]): PlantUser[] {
  const assigned = new Set(stage.assignees.map((person) => person.user_id));
  return people
    .filter(
      (person) =>
        person.is_active &&
        !assigned.has(person.id) &&
        workingRoles.includes(person.role) &&
        (person.site_ids.includes(stage.site_id) || person.role === 'admin'),
    )
    .sort(
      (a, b) =>
        workingRoles.indexOf(a.role) - workingRoles.indexOf(b.role) ||
        personName(a).localeCompare(personName(b)),
    );
}

/** Who works on a stage; a planner assigns and unassigns people here. */
export function StageAssignees({ stage, canAssign }: { stage: Stage; canAssign: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState('');
  const people = useQuery({ queryKey: userKeys.all, queryFn: fetchUsers, enabled: canAssign });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: productionKeys.all });
  const assign = useMutation({
    mutationFn: (userId: number) => assignToStage(stage.id, userId),
    onSuccess: () => {
      setPicked('');
      refresh();
      toast.success(t('production.assigned', { stage: stage.stage_name }));
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const unassign = useMutation({
    mutationFn: (userId: number) => unassignFromStage(stage.id, userId),
    onSuccess: () => {
      refresh();
      toast.success(t('production.unassigned', { stage: stage.stage_name }));
    },
    onError: (error) => toast.error(problemText(error, t('common.saveFailed'))),
  });
  const candidates = candidatesFor(stage, people.data ?? []);

  return (
    <div className="space-y-1.5">
      {stage.assignees.length === 0 ? (
        <p className="text-xs text-slate-500">{t('production.nobodyAssigned')}</p>
      ) : (
        <ul className="flex flex-wrap gap-1">
          {stage.assignees.map((person) => (
            <li
              key={person.user_id}
              className="inline-flex items-center gap-1 rounded-full bg-slate-200 py-0.5 pr-1 pl-2 text-xs dark:bg-slate-700"
            >
              {personName(person)}
              {canAssign && (
                <button
                  type="button"
                  aria-label={t('production.unassign', { name: personName(person), stage: stage.stage_name })}
                  disabled={unassign.isPending}
                  onClick={() => unassign.mutate(person.user_id)}
                  className="rounded-full p-0.5 hover:bg-slate-300 dark:hover:bg-slate-600"
                >
                  <X aria-hidden className="size-3" />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAssign && stage.status !== 'done' && (
        <div className="flex gap-1">
          <select
            aria-label={t('production.assignTo', { stage: stage.stage_name })}
            className={`${controlClass} min-w-0 py-1 text-xs`}
            value={picked}
            onChange={(e) => setPicked(e.target.value)}
          >
            <option value="">{people.isPending ? t('common.loading') : t('production.pickPerson')}</option>
            {candidates.map((person) => (
              <option key={person.id} value={person.id}>
                {personName(person)} ({t(`roles.names.${person.role}`, person.role)})
              </option>
            ))}
          </select>
          <Button
            size="sm"
            tone="secondary"
            aria-label={t('production.assignStage', { stage: stage.stage_name })}
            disabled={!picked}
            busy={assign.isPending}
            onClick={() => assign.mutate(Number(picked))}
          >
            <UserPlus aria-hidden className="size-4" />
          </Button>
        </div>
      )}
    </div>
  );
}
