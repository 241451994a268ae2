import { clsx } from 'clsx';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../lib/format.ts';
import type { Tool } from './tools-api.ts';

/** How much of its life a tool has used: a bar (amber from 90 %, red from 100 %) and the number. */
export function LifeBar({
  tool,
}: {
  tool: Pick<Tool, 'total_shots' | 'life_limit_shots' | 'life_used_percent'>;
}) {
  const { t } = useTranslation();
  if (tool.life_used_percent === null) {
    return (
      <span className="text-sm text-slate-500">
        {formatNumber(tool.total_shots)} · {t('tools.noLimit')}
      </span>
    );
  }
  const share = tool.life_used_percent;
  return (
    <div
      className="min-w-32"
      title={t('tools.lifeUsedOf', {
        total: formatNumber(tool.total_shots),
        limit: formatNumber(tool.life_limit_shots ?? 0),
      })}
    >
      <div
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(share, 100)}
        aria-label={t('tools.lifeUsed')}
        className="h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
      >
        <div
          className={clsx(
            'h-full',
            share >= 100 ? 'bg-red-600' : share >= 90 ? 'bg-amber-500' : 'bg-emerald-600',
          )}
          style={{ width: `${Math.min(share, 100)}%` }}
        />
      </div>
      <span className="text-xs text-slate-600 dark:text-slate-400">{share} %</span>
    </div>
  );
}
