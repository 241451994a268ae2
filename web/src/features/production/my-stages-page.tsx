import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { controlClass } from '../../components/ui/field.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { fetchMyStages, productionKeys } from './production-api.ts';
import { localDay } from './production-format.ts';
import { MyStageCard } from './my-stage-card.tsx';
import { useStageActions } from './use-stage-actions.ts';

/** The worker's tablet screen: the stages assigned to me for a day (today unless another is picked). */
export function MyStagesPage() {
  const { t } = useTranslation();
  /** null: today in the site's zone, as the server counts it. */
  const [day, setDay] = useState<string | null>(null);
  const actions = useStageActions();
  const stages = useQuery({
    queryKey: productionKeys.myStages(day),
    queryFn: () => fetchMyStages(day),
    refetchInterval: 60_000,
  });

  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-bold">{t('production.myStagesTitle')}</h1>
        <div className="flex items-end gap-2">
          <label className="space-y-1 text-sm font-medium">
            <span className="block">{t('production.day')}</span>
            <input
              type="date"
              className={`${controlClass} min-h-12 text-lg`}
              value={day ?? localDay()}
              onChange={(e) =>
                setDay(e.target.value && e.target.value !== localDay() ? e.target.value : null)
              }
            />
          </label>
          {day !== null && (
            <Button tone="secondary" className="min-h-12 text-base" onClick={() => setDay(null)}>
              {t('production.today')}
            </Button>
          )}
        </div>
      </div>
      <QueryState
        query={stages}
        isEmpty={(list) => list.length === 0}
        emptyTitle={t('production.nothingAssigned')}
        emptyHint={t('production.nothingAssignedHint')}
      >
        {(list) => (
          <ul className="space-y-4">
            {list.map((stage) => (
              <MyStageCard key={stage.id} stage={stage} actions={actions} />
            ))}
          </ul>
        )}
      </QueryState>
    </div>
  );
}
