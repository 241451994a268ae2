import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useBlocker } from '@tanstack/react-router';
import { Save } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { ApiError } from '../../lib/api.ts';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { CalendarEditor, type CalendarDraft } from './calendar-editor.tsx';
import {
  calendarKeys,
  fetchCalendar,
  sameCalendar,
  saveCalendar,
  sortDates,
  sortShifts,
  type ShiftCalendar,
} from './calendar-api.ts';

const toDraft = (calendar: ShiftCalendar): CalendarDraft => ({
  aroundClock: calendar.around_the_clock,
  shifts: sortShifts(calendar.shifts),
  non_working_dates: sortDates(calendar.non_working_dates),
});

/** Per site: the weekly shifts and non-working dates that make up planned production time. */
export function ShiftCalendarsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [chosen, setChosen] = useState<number | null>(null);
  const [pendingSite, setPendingSite] = useState<number | null>(null);
  const [draft, setDraft] = useState<(CalendarDraft & { siteId: number }) | null>(null);

  const siteList = (sites.data ?? []).filter((site) => site.is_active);
  const site = siteList.find((entry) => entry.id === chosen) ?? siteList[0];
  const siteId = site?.id ?? 0;
  const calendar = useQuery({
    queryKey: calendarKeys.site(siteId),
    queryFn: () => fetchCalendar(siteId),
    enabled: siteId > 0,
  });
  const saved = calendar.data ? toDraft(calendar.data) : null;
  const ownDraft = draft?.siteId === siteId ? draft : null;
  const current = ownDraft ?? saved;
  const dirty = ownDraft !== null && saved !== null && !sameCalendar(ownDraft, saved);

  const save = useMutation({
    mutationFn: (input: { siteId: number; draft: CalendarDraft }) =>
      saveCalendar(input.siteId, {
        shifts: input.draft.aroundClock ? [] : input.draft.shifts,
        non_working_dates: input.draft.non_working_dates,
      }),
    onSuccess: (answer, input) => {
      queryClient.setQueryData(calendarKeys.site(input.siteId), answer);
      setDraft(null);
      toast.success(t('shiftCalendar.saved', { site: site?.name ?? '' }));
    },
    onError: (error) =>
      toast.error(
        error instanceof ApiError && error.fieldProblems.length > 0
          ? t('shiftCalendar.fixProblems')
          : problemText(error, t('common.saveFailed')),
      ),
  });
  const problems = fieldProblems(save.error);

  const blocker = useBlocker({
    shouldBlockFn: () => dirty,
    enableBeforeUnload: () => dirty,
    withResolver: true,
  });

  const edit = (next: CalendarDraft) => {
    if (save.isError) save.reset();
    setDraft({ ...next, siteId });
  };
  const switchSite = (id: number) => {
    setDraft(null);
    save.reset();
    setChosen(id);
    setPendingSite(null);
  };

  if (sites.isPending) return <PageSpinner />;
  if (sites.isError) return <ErrorState error={sites.error} onRetry={() => void sites.refetch()} />;

  return (
    <>
      <PageHeader
        title={t('shiftCalendar.title')}
        hint={t('shiftCalendar.hint')}
        actions={
          site && (
            <>
              {dirty && (
                <Button tone="secondary" onClick={() => setDraft(null)} disabled={save.isPending}>
                  {t('shiftCalendar.discard')}
                </Button>
              )}
              <Button
                onClick={() => current && save.mutate({ siteId, draft: current })}
                busy={save.isPending}
                disabled={!dirty}
              >
                <Save aria-hidden className="size-4" />
                {t('common.save')}
              </Button>
            </>
          )
        }
      />
      {!site ? (
        <EmptyState title={t('home.noSites')} hint={t('home.noSitesHint')} />
      ) : (
        <div className="space-y-5">
          <div className="flex flex-wrap items-end gap-3">
            <div className="w-full sm:w-72">
              <Select
                label={t('shiftCalendar.site')}
                value={siteId}
                onChange={(event) => {
                  const id = Number(event.target.value);
                  if (dirty) setPendingSite(id);
                  else switchSite(id);
                }}
              >
                {siteList.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.code} — {entry.name}
                  </option>
                ))}
              </Select>
            </div>
            {dirty && (
              <p role="status" className="pb-2 text-sm font-medium text-amber-700 dark:text-amber-400">
                {t('shiftCalendar.unsaved')}
              </p>
            )}
          </div>
          {calendar.isPending ? (
            <PageSpinner />
          ) : calendar.isError ? (
            <ErrorState error={calendar.error} onRetry={() => void calendar.refetch()} />
          ) : (
            current && (
              <CalendarEditor
                draft={current}
                plannedHours={calendar.data.planned_hours_per_week}
                dirty={dirty}
                problems={problems}
                onChange={edit}
              />
            )
          )}
        </div>
      )}
      <ConfirmDialog
        open={pendingSite !== null}
        title={t('shiftCalendar.discardTitle')}
        message={t('shiftCalendar.discardSiteMessage')}
        confirmLabel={t('shiftCalendar.discard')}
        onCancel={() => setPendingSite(null)}
        onConfirm={() => pendingSite !== null && switchSite(pendingSite)}
      />
      <ConfirmDialog
        open={blocker.status === 'blocked'}
        title={t('shiftCalendar.discardTitle')}
        message={t('shiftCalendar.discardLeaveMessage')}
        confirmLabel={t('shiftCalendar.discard')}
        onCancel={() => blocker.reset?.()}
        onConfirm={() => blocker.proceed?.()}
      />
    </>
  );
}
