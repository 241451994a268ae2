import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download, FileText } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../components/ui/empty-state.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { PageSpinner } from '../../components/ui/spinner.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { formatMoment, fromLocalInput } from '../../lib/format.ts';
import { downloadFile } from '../../lib/download.ts';
import { problemText } from '../../lib/form-errors.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import { ExportButton } from './export-button.tsx';
import {
  commonFilters,
  exportLists,
  fetchWeeklyReports,
  generateWeeklyReport,
  reportKeys,
  type WeeklyReport,
} from './reports-api.ts';

const sectionClass =
  'mb-6 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';

export function ReportsPage() {
  const { t } = useTranslation();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  return (
    <>
      <PageHeader title={t('reports.title')} hint={t('reports.hint')} />
      <WeeklyReports sites={sites.data ?? []} />
      <Exports sites={sites.data ?? []} />
    </>
  );
}

type SiteOption = { id: number; code: string; name: string };

function WeeklyReports({ sites }: { sites: SiteOption[] }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [siteFilter, setSiteFilter] = useState('');
  const [siteId, setSiteId] = useState('');
  const [week, setWeek] = useState('');
  const chosenSite = siteId || (sites.length === 1 ? String(sites[0]?.id) : '');
  const reports = useInfiniteQuery({
    queryKey: reportKeys.list(siteFilter),
    queryFn: ({ pageParam }) => fetchWeeklyReports(siteFilter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const generate = useMutation({
    mutationFn: () => generateWeeklyReport(Number(chosenSite), week || undefined),
    onSuccess: (report) => {
      void queryClient.invalidateQueries({ queryKey: reportKeys.all });
      toast.success(t('reports.generated', { site: report.site_code, week: report.week_start }));
    },
    onError: (error) => toast.error(problemText(error, t('reports.generateFailed'))),
  });
  const download = useMutation({
    mutationFn: (report: WeeklyReport) =>
      downloadFile(
        `/reports/weekly/${report.id}.pdf`,
        `weekly-maintenance_${report.site_code}_${report.week_start}.pdf`,
      ),
    onError: (error) => toast.error(problemText(error, t('reports.downloadFailed'))),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosenSite) generate.mutate();
  };
  const list = reports.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className={sectionClass} aria-labelledby="weekly-title">
      <h2 id="weekly-title" className="mb-1 text-lg font-semibold">
        {t('reports.weekly.title')}
      </h2>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t('reports.weekly.hint')}</p>
      <form
        onSubmit={submit}
        className="mb-4 flex flex-wrap items-end gap-3"
        aria-label={t('reports.weekly.generate')}
      >
        <Select
          label={t('reports.site')}
          value={chosenSite}
          onChange={(event) => setSiteId(event.target.value)}
        >
          <option value="">{t('reports.chooseSite')}</option>
          {sites.map((site) => (
            <option key={site.id} value={site.id}>
              {site.code} — {site.name}
            </option>
          ))}
        </Select>
        <Input
          label={t('reports.weekly.week')}
          hint={t('reports.weekly.weekHint')}
          type="date"
          value={week}
          onChange={(event) => setWeek(event.target.value)}
        />
        <Button type="submit" busy={generate.isPending} disabled={!chosenSite}>
          <FileText aria-hidden className="size-4" />
          {generate.isPending ? t('reports.weekly.generating') : t('reports.weekly.generate')}
        </Button>
      </form>
      {sites.length > 1 && (
        <div className="mb-3 max-w-xs">
          <Select
            label={t('reports.weekly.showSite')}
            value={siteFilter}
            onChange={(event) => setSiteFilter(event.target.value)}
          >
            <option value="">{t('reports.allSites')}</option>
            {sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.code}
              </option>
            ))}
          </Select>
        </div>
      )}
      {reports.isPending ? (
        <PageSpinner />
      ) : reports.isError ? (
        <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title={t('reports.weekly.empty')} hint={t('reports.weekly.emptyHint')} />
      ) : (
        <Table caption={t('reports.weekly.title')}>
          <thead>
            <tr>
              <Th>{t('reports.site')}</Th>
              <Th>{t('reports.weekly.weekOf')}</Th>
              <Th>{t('reports.weekly.status')}</Th>
              <Th>{t('reports.weekly.generatedAt')}</Th>
              <Th>{t('reports.weekly.emailed')}</Th>
              <Th>
                <span className="sr-only">{t('reports.download')}</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {list.map((report) => (
              <Tr key={report.id} data-testid={`weekly-report-${report.id}`}>
                <Td>
                  {report.site_code} — {report.site_name}
                </Td>
                <Td>{report.week_start}</Td>
                <Td>
                  <Badge tone={report.status === 'ready' ? 'good' : 'bad'}>
                    {t(`reports.weekly.statuses.${report.status}`)}
                  </Badge>
                  {report.error && <span className="ml-2 text-xs text-red-700">{report.error}</span>}
                </Td>
                <Td>
                  {formatMoment(report.generated_at)}{' '}
                  <span className="text-xs text-slate-500">
                    ({t(`reports.weekly.triggers.${report.trigger}`)})
                  </span>
                </Td>
                <Td>
                  {report.emailed_at
                    ? t('reports.weekly.emailedTo', { count: report.email_recipients ?? 0 })
                    : '—'}
                </Td>
                <Td>
                  {report.status === 'ready' && (
                    <Button
                      tone="secondary"
                      size="sm"
                      busy={download.isPending && download.variables?.id === report.id}
                      onClick={() => download.mutate(report)}
                    >
                      <Download aria-hidden className="size-4" />
                      {t('reports.downloadPdf')}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      {reports.hasNextPage && (
        <Button
          tone="ghost"
          className="mt-3"
          busy={reports.isFetchingNextPage}
          onClick={() => void reports.fetchNextPage()}
        >
          {t('reports.more')}
        </Button>
      )}
    </section>
  );
}

function Exports({ sites }: { sites: SiteOption[] }) {
  const { t } = useTranslation();
  const [siteId, setSiteId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter = {
    site_id: siteId || undefined,
    from: fromLocalInput(from) ?? undefined,
    to: fromLocalInput(to) ?? undefined,
  };
  return (
    <section className={sectionClass} aria-labelledby="exports-title">
      <h2 id="exports-title" className="mb-1 text-lg font-semibold">
        {t('reports.exports.title')}
      </h2>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t('reports.exports.hint')}</p>
      <div className="mb-4 grid gap-3 sm:grid-cols-3">
        <Select label={t('reports.site')} value={siteId} onChange={(event) => setSiteId(event.target.value)}>
          <option value="">{t('reports.allSites')}</option>
          {sites.map((site) => (
            <option key={site.id} value={site.id}>
              {site.code} — {site.name}
            </option>
          ))}
        </Select>
        <Input
          label={t('reports.exports.from')}
          type="datetime-local"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
        />
        <Input
          label={t('reports.exports.to')}
          type="datetime-local"
          value={to}
          onChange={(event) => setTo(event.target.value)}
        />
      </div>
      <Table caption={t('reports.exports.title')}>
        <thead>
          <tr>
            <Th>{t('reports.exports.list')}</Th>
            <Th>{t('reports.exports.period')}</Th>
            <Th>
              <span className="sr-only">{t('reports.export')}</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {exportLists.map((list) => (
            <Tr key={list}>
              <Td>{t(`reports.lists.${list}`)}</Td>
              <Td className="text-sm text-slate-600 dark:text-slate-400">{t(`reports.periods.${list}`)}</Td>
              <Td>
                <ExportButton list={list} filters={commonFilters(list, filter)} />
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
