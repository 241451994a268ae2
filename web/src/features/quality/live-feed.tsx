import { useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { Pause, Play } from 'lucide-react';
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import type { LiveStatus } from '../../lib/use-live-socket.ts';
import { fetchResults, qualityKeys, type TestResult } from './quality-api.ts';
import { formatClockTime, formatValue, limitsText, verdictTone } from './quality-format.ts';
import { LIVE_KEEP } from './use-live-results.ts';

const HISTORY = 50;

/** The live results first (arrival order), then the history not among them; one machine's when chosen. */
function mergeFeed(live: TestResult[], history: TestResult[], machine: string | null): TestResult[] {
  const wanted = machine?.toLowerCase();
  const fromLive = wanted ? live.filter((result) => result.machine_code.toLowerCase() === wanted) : live;
  const seen = new Set(fromLive.map((result) => result.id));
  return [...fromLive, ...history.filter((result) => !seen.has(result.id))].slice(0, LIVE_KEEP);
}

export function LiveStatusBadge({ status, problem }: { status: LiveStatus; problem: string }) {
  const { t } = useTranslation();
  return (
    <span
      data-testid="live-status"
      data-state={status}
      title={problem || undefined}
      className="inline-flex items-center gap-1.5 text-xs font-medium text-slate-600 dark:text-slate-300"
    >
      <span
        aria-hidden
        className={clsx(
          'size-2 rounded-full',
          status === 'live' && 'bg-emerald-500',
          (status === 'connecting' || status === 'reconnecting') && 'animate-pulse bg-amber-500',
          status === 'refused' && 'bg-red-600',
        )}
      />
      {t(`quality.live.${status}`)}
    </span>
  );
}

/** A shown row never changes: memo keeps a busy feed from rendering all of its rows for each arrival. */
const FeedRow = memo(function FeedRow({
  result,
  onTrace,
}: {
  result: TestResult;
  onTrace: (barcode: string) => void;
}) {
  const { t } = useTranslation();
  const limits = limitsText(result.lower_limit, result.upper_limit);
  return (
    <li
      data-testid="feed-row"
      data-verdict={result.verdict}
      data-result-id={result.id}
      className="flex items-center gap-3 px-1 py-2 text-sm"
    >
      <span className="w-24 shrink-0">
        <Badge tone={verdictTone[result.verdict]}>{t(`quality.verdicts.${result.verdict}`)}</Badge>
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate">
          <span className="font-mono font-semibold">{result.machine_code}</span>
          <span className="text-slate-500"> · </span>
          <span className="font-mono">{result.product_id}</span>
          <span className="text-slate-500"> · </span>
          {result.test_step}
        </span>
        <span className="block truncate text-xs text-slate-500">
          <span className="tabular-nums">{formatClockTime(result.timestamp)}</span>
          {' · '}
          <button
            type="button"
            onClick={() => onTrace(result.barcode)}
            title={t('quality.trace.open', { barcode: result.barcode })}
            className="font-mono text-sky-700 underline dark:text-sky-400"
          >
            {result.barcode}
          </button>
        </span>
      </span>
      <span className="shrink-0 text-right tabular-nums">
        <span
          className={clsx(
            'block font-semibold',
            result.verdict === 'FAIL' && 'text-red-700 dark:text-red-400',
            result.verdict === 'PASS' && 'text-emerald-700 dark:text-emerald-400',
          )}
        >
          {formatValue(result.measured_value)}
          {result.unit ? ` ${result.unit}` : ''}
        </span>
        <span className="block text-xs text-slate-500">{limits ? `[${limits}]` : t('quality.noLimits')}</span>
      </span>
    </li>
  );
});

/**
 * The results as they arrive, newest first: the socket's, on top of the latest stored ones. Pause
 * holds the list still for reading; what arrived meanwhile shows on resume.
 */
export function LiveFeed({
  siteId,
  machine,
  live,
  onTrace,
}: {
  siteId: number;
  machine: string | null;
  live: TestResult[];
  onTrace: (barcode: string) => void;
}) {
  const { t } = useTranslation();
  const filter = { site_id: siteId, machine_id: machine ?? undefined, limit: HISTORY };
  const history = useQuery({ queryKey: qualityKeys.results(filter), queryFn: () => fetchResults(filter) });
  const [frozen, setFrozen] = useState<TestResult[] | null>(null);
  const merged = useMemo(
    () => mergeFeed(live, history.data?.items ?? [], machine),
    [live, history.data, machine],
  );
  const shown = frozen ?? merged;
  const waiting = frozen
    ? merged.filter((result) => !frozen.some((held) => held.id === result.id)).length
    : 0;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button
          tone="secondary"
          size="sm"
          aria-pressed={frozen !== null}
          onClick={() => setFrozen(frozen ? null : merged)}
        >
          {frozen ? <Play aria-hidden className="size-4" /> : <Pause aria-hidden className="size-4" />}
          {frozen ? t('quality.feed.resume') : t('quality.feed.pause')}
        </Button>
        {frozen && (
          <span className="text-xs text-slate-500" data-testid="feed-waiting">
            {t('quality.feed.waiting', { count: waiting })}
          </span>
        )}
      </div>
      {history.isPending ? (
        <PageSpinner />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : shown.length === 0 ? (
        <EmptyState
          title={machine ? t('quality.feed.emptyMachine', { machine }) : t('quality.feed.empty')}
          hint={t('quality.feed.emptyHint')}
        />
      ) : (
        <ul
          data-testid="quality-feed"
          aria-label={t('quality.feed.title')}
          className="max-h-[32rem] divide-y divide-slate-200 overflow-y-auto dark:divide-slate-800"
        >
          {shown.map((result) => (
            <FeedRow key={result.id} result={result} onTrace={onTrace} />
          ))}
        </ul>
      )}
    </div>
  );
}
