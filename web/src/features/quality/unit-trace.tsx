import { useQuery } from '@tanstack/react-query';
import { ScanSearch } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Input } from '../../components/ui/field.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatMoment } from '../../lib/format.ts';
import { fetchUnit, qualityKeys } from './quality-api.ts';
import { formatValue, limitsText, verdictTone } from './quality-format.ts';

/** "Serial number" search: opens the unit's trace. */
export function UnitSearch({ onSearch }: { onSearch: (barcode: string) => void }) {
  const { t } = useTranslation();
  const [barcode, setBarcode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (barcode.trim()) onSearch(barcode.trim());
  };
  return (
    <form onSubmit={submit} role="search" className="flex items-end gap-2">
      <div className="w-56">
        <Input
          label={t('quality.trace.serial')}
          type="search"
          placeholder={t('quality.trace.placeholder')}
          value={barcode}
          onChange={(e) => setBarcode(e.target.value)}
        />
      </div>
      <Button type="submit" tone="secondary">
        <ScanSearch aria-hidden className="size-4" />
        {t('quality.trace.find')}
      </Button>
    </form>
  );
}

/** Every result of one serial number across the stations, oldest first. */
export function UnitTraceDialog({ barcode, onClose }: { barcode: string; onClose: () => void }) {
  const { t } = useTranslation();
  const unit = useQuery({
    queryKey: qualityKeys.unit(barcode),
    queryFn: () => fetchUnit(barcode),
    retry: false,
  });
  const notFound = unit.error instanceof ApiError && unit.error.status === 404;

  return (
    <Dialog open title={t('quality.trace.title', { barcode })} onClose={onClose}>
      {unit.isPending ? (
        <PageSpinner />
      ) : notFound ? (
        <EmptyState title={t('quality.trace.notFound', { barcode })} />
      ) : unit.isError ? (
        <ErrorState error={unit.error} onRetry={() => void unit.refetch()} />
      ) : (
        <div className="space-y-3" data-testid="unit-trace">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={verdictTone[unit.data.verdict]}>{t(`quality.verdicts.${unit.data.verdict}`)}</Badge>
            <span className="text-slate-600 dark:text-slate-400">
              {t('quality.trace.span', {
                count: unit.data.results.length,
                first: formatMoment(unit.data.first_seen),
                last: formatMoment(unit.data.last_seen),
              })}
            </span>
          </p>
          <Table caption={t('quality.trace.title', { barcode })}>
            <thead>
              <tr>
                <Th>{t('quality.trace.time')}</Th>
                <Th>{t('quality.trace.where')}</Th>
                <Th>{t('quality.trace.value')}</Th>
                <Th>{t('quality.verdict')}</Th>
              </tr>
            </thead>
            <tbody>
              {unit.data.results.map((result) => (
                <Tr key={result.id}>
                  <Td className="whitespace-nowrap">{formatMoment(result.timestamp)}</Td>
                  <Td>
                    <span className="font-mono font-semibold">{result.machine_code}</span> ·{' '}
                    {result.test_step}
                    <span className="block font-mono text-xs text-slate-500">{result.product_id}</span>
                  </Td>
                  <Td className="whitespace-nowrap tabular-nums">
                    {formatValue(result.measured_value)}
                    {result.unit ? ` ${result.unit}` : ''}
                    <span className="block text-xs text-slate-500">
                      {limitsText(result.lower_limit, result.upper_limit) ?? t('quality.noLimits')}
                    </span>
                  </Td>
                  <Td>
                    <Badge tone={verdictTone[result.verdict]}>
                      {t(`quality.verdicts.${result.verdict}`)}
                    </Badge>
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </div>
      )}
    </Dialog>
  );
}
