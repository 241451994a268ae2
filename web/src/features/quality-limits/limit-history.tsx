import { Trash2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { formatMoment } from '../../lib/format.ts';
import { isUpcoming, type LimitGroup, type SpecLimit } from './limits-api.ts';
import { formatLimit } from './limit-format.ts';

export function VersionBadge({ limit, now }: { limit: SpecLimit; now: number }) {
  const { t } = useTranslation();
  if (limit.in_force) return <Badge tone="good">{t('qualityLimits.inForce')}</Badge>;
  if (isUpcoming(limit, now)) return <Badge tone="info">{t('qualityLimits.upcoming')}</Badge>;
  return <Badge tone="neutral">{t('qualityLimits.superseded')}</Badge>;
}

/** Every version of one product × test step, newest first; versions still to come may be deleted. */
export function LimitHistory({
  group,
  now,
  canManage,
  onDelete,
}: {
  group: LimitGroup;
  now: number;
  canManage: boolean;
  onDelete: (limit: SpecLimit) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="space-y-2 py-2">
      <p className="text-xs text-slate-500">{t('qualityLimits.historyHint')}</p>
      <Table caption={t('qualityLimits.historyOf', { product: group.product_id, step: group.test_step })}>
        <thead>
          <tr>
            <Th>{t('qualityLimits.effectiveFrom')}</Th>
            <Th>{t('qualityLimits.lower')}</Th>
            <Th>{t('qualityLimits.target')}</Th>
            <Th>{t('qualityLimits.upper')}</Th>
            <Th>{t('qualityLimits.unit')}</Th>
            <Th>{t('qualityLimits.state')}</Th>
            <Th>{t('common.created')}</Th>
            <Th>
              <span className="sr-only">{t('common.actions')}</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {group.versions.map((limit) => (
            <Tr key={limit.id} data-testid={`limit-version-${limit.id}`}>
              <Td className="whitespace-nowrap">{formatMoment(limit.effective_from)}</Td>
              <Td className="tabular-nums">{formatLimit(limit.lower_limit)}</Td>
              <Td className="tabular-nums text-slate-500">{formatLimit(limit.target)}</Td>
              <Td className="tabular-nums">{formatLimit(limit.upper_limit)}</Td>
              <Td>{limit.unit ?? '—'}</Td>
              <Td>
                <VersionBadge limit={limit} now={now} />
              </Td>
              <Td className="whitespace-nowrap text-slate-500">{formatMoment(limit.created_at)}</Td>
              <Td className="text-right">
                {canManage && isUpcoming(limit, now) && (
                  <Button tone="ghost" size="sm" onClick={() => onDelete(limit)}>
                    <Trash2 aria-hidden className="size-4" />
                    {t('qualityLimits.delete')}
                  </Button>
                )}
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
