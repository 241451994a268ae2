import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { ControlChart } from './control-chart.tsx';
import { fetchSpc, qualityKeys, type SpcFilter, type TestResult, type TopFailure } from './quality-api.ts';
import { pairKey, splitPair } from './quality-format.ts';

const TYPE_OWN = 'type';

interface PairOption {
  key: string;
  label: string;
}

/** The product × steps that failed most, then those seen in the feed, then the one typed. */
function pairOptions(failures: TopFailure[], recent: TestResult[], typed: string | null): PairOption[] {
  const options = new Map<string, string>();
  for (const entry of failures) {
    options.set(pairKey(entry.product_id, entry.test_step), `${entry.product_id} · ${entry.test_step}`);
  }
  for (const result of recent) {
    const key = pairKey(result.product_id, result.test_step);
    if (!options.has(key)) options.set(key, `${result.product_id} · ${result.test_step}`);
  }
  const own = typed ? splitPair(typed) : null;
  if (typed && own && !options.has(typed)) options.set(typed, `${own.product_id} · ${own.test_step}`);
  return [...options].map(([key, label]) => ({ key, label }));
}

function SpcView({ filter }: { filter: SpcFilter }) {
  const { t } = useTranslation();
  const spc = useQuery({ queryKey: qualityKeys.spc(filter), queryFn: () => fetchSpc(filter) });
  if (spc.isPending) return <PageSpinner />;
  if (spc.isError) return <ErrorState error={spc.error} onRetry={() => void spc.refetch()} />;
  if (spc.data.n === 0) {
    return (
      <EmptyState
        title={
          filter.machine_id
            ? t('quality.spc.noPointsMachine', {
                product: filter.product_id,
                step: filter.test_step,
                machine: filter.machine_id,
              })
            : t('quality.spc.noPoints', { product: filter.product_id, step: filter.test_step })
        }
        hint={t('quality.spc.noPointsHint')}
      />
    );
  }
  return <ControlChart spc={spc.data} />;
}

/** Pick a product × step (from the top failures, the feed, or typed) and see its I-MR chart. */
export function SpcPanel({
  siteId,
  machine,
  failures,
  recent,
}: {
  siteId: number;
  machine: string | null;
  failures: TopFailure[];
  recent: TestResult[];
}) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<string | null>(null);
  const [typing, setTyping] = useState(false);
  const [product, setProduct] = useState('');
  const [step, setStep] = useState('');
  const options = pairOptions(failures, recent, picked);
  const chosen = picked ?? options[0]?.key ?? null;
  const pair = chosen ? splitPair(chosen) : null;
  // the first pair offered stays chosen: a new leader among the failures must not swap the chart
  useEffect(() => {
    if (picked === null && chosen !== null) setPicked(chosen);
  }, [picked, chosen]);

  const showTyped = (event: FormEvent) => {
    event.preventDefault();
    if (!product.trim() || !step.trim()) return;
    setPicked(pairKey(product.trim(), step.trim()));
    setTyping(false);
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-full sm:w-80">
          <Select
            label={t('quality.spc.pair')}
            value={typing ? TYPE_OWN : (chosen ?? TYPE_OWN)}
            onChange={(event) => {
              const value = event.target.value;
              setTyping(value === TYPE_OWN);
              if (value !== TYPE_OWN) setPicked(value);
            }}
          >
            {options.map((option) => (
              <option key={option.key} value={option.key}>
                {option.label}
              </option>
            ))}
            <option value={TYPE_OWN}>{t('quality.spc.typeOwn')}</option>
          </Select>
        </div>
        {(typing || options.length === 0) && (
          <form
            onSubmit={showTyped}
            className="flex flex-wrap items-end gap-3"
            aria-label={t('quality.spc.typeOwn')}
          >
            <div className="w-40">
              <Input
                label={t('quality.product')}
                required
                value={product}
                onChange={(e) => setProduct(e.target.value)}
              />
            </div>
            <div className="w-48">
              <Input
                label={t('quality.testStep')}
                required
                value={step}
                onChange={(e) => setStep(e.target.value)}
              />
            </div>
            <Button type="submit">{t('quality.spc.show')}</Button>
          </form>
        )}
      </div>
      {pair && !typing ? (
        <SpcView
          key={chosen}
          filter={{
            site_id: siteId,
            product_id: pair.product_id,
            test_step: pair.test_step,
            machine_id: machine ?? undefined,
          }}
        />
      ) : (
        !typing && <EmptyState title={t('quality.spc.choose')} hint={t('quality.spc.chooseHint')} />
      )}
    </div>
  );
}
