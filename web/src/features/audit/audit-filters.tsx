import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchUsers, userKeys } from '../users/users-api.ts';
import { emptyAuditFilter, type AuditFilter } from './audit-api.ts';

export function AuditFilters({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AuditFilter>(emptyAuditFilter);
  const me = useCurrentUser().data;
  // the actor list needs user:read; without it the actor is typed as an id
  const people = useQuery({ queryKey: userKeys.all, queryFn: fetchUsers, enabled: can(me, 'user:read') });
  const set = (field: keyof AuditFilter) => (value: string) =>
    setDraft((current) => ({ ...current, [field]: value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };

  return (
    <form
      onSubmit={apply}
      aria-label={t('audit.filters')}
      className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <Input label={t('audit.entity')} value={draft.entity} onChange={(e) => set('entity')(e.target.value)} />
      <Input label={t('audit.action')} value={draft.action} onChange={(e) => set('action')(e.target.value)} />
      {people.data ? (
        <Select
          label={t('audit.actor')}
          value={draft.actorUserId}
          onChange={(e) => set('actorUserId')(e.target.value)}
        >
          <option value="">{t('audit.anyone')}</option>
          {people.data.map((person) => (
            <option key={person.id} value={person.id}>
              {person.username}
            </option>
          ))}
        </Select>
      ) : (
        <Input
          label={t('audit.actorId')}
          inputMode="numeric"
          value={draft.actorUserId}
          onChange={(e) => set('actorUserId')(e.target.value.replace(/\D/g, ''))}
        />
      )}
      <Input
        label={t('audit.from')}
        type="datetime-local"
        value={draft.from}
        onChange={(e) => set('from')(e.target.value)}
      />
      <Input
        label={t('audit.to')}
        type="datetime-local"
        value={draft.to}
        onChange={(e) => set('to')(e.target.value)}
      />
      <div className="flex items-end gap-2">
        <Button type="submit">{t('audit.apply')}</Button>
        <Button
          tone="secondary"
          onClick={() => {
            setDraft(emptyAuditFilter);
            onApply(emptyAuditFilter);
          }}
        >
          {t('audit.reset')}
        </Button>
      </div>
    </form>
  );
}
