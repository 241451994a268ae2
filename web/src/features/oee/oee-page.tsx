import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Input, Select } from '../../components/ui/field.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryState } from '../../components/ui/query-state.tsx';
import { calendarKeys, fetchCalendar } from '../calendar/calendar-api.ts';
import { fetchLines, fetchMachines, plantKeys } from '../plant/plant-api.ts';
import { fetchSites, siteKeys } from '../sites/sites-api.ts';
import {
  fetchOee,
  localDay,
  oeeKeys,
  PERIOD_PRESETS,
  periodOf,
  type OeeScope,
  type PeriodPreset,
} from './oee-api.ts';
import { OeeReportView } from './oee-report.tsx';

const SITE_KEY = 'hom.oee.site';

/** OEE of a site, line or machine: the three factors, per shift or day, and the events behind them. */
export function OeePage() {
  const { t } = useTranslation();
  const sites = useQuery({ queryKey: siteKeys.all, queryFn: fetchSites });
  const [siteId, setSiteId] = useState<number | null>(() => Number(localStorage.getItem(SITE_KEY)) || null);
  const [scopeValue, setScopeValue] = useState('site');
  const [shift, setShift] = useState('');
  const [preset, setPreset] = useState<PeriodPreset>('today');
  const today = localDay(new Date());
  const [custom, setCustom] = useState({ from: today, to: today });
  const siteList = (sites.data ?? []).filter((s) => s.is_active);
  const site = siteList.find((s) => s.id === siteId) ?? siteList[0];
  const lines = useQuery({
    queryKey: plantKeys.lines({ site_id: site?.id }),
    queryFn: () => fetchLines({ site_id: site?.id }),
    enabled: site !== undefined,
  });
  const machines = useQuery({
    queryKey: plantKeys.machines({ site_id: site?.id }),
    queryFn: () => fetchMachines({ site_id: site?.id }),
    enabled: site !== undefined,
  });
  const calendar = useQuery({
    queryKey: calendarKeys.site(site?.id ?? 0),
    queryFn: () => fetchCalendar(site?.id ?? 0),
    enabled: site !== undefined,
  });
  const period = periodOf(preset, custom);
  const [kind, id] = scopeValue.split(':');
  const scope: OeeScope | null = !site
    ? null
    : kind === 'line'
      ? { line_id: Number(id) }
      : kind === 'machine'
        ? { machine_id: Number(id) }
        : { site_id: site.id };
  const customValid =
    preset !== 'custom' || (custom.from <= custom.to && custom.from !== '' && custom.to !== '');
  const report = useQuery({
    queryKey: oeeKeys.report(scope ?? { site_id: 0 }, period, shift),
    queryFn: () => fetchOee(scope ?? { site_id: 0 }, period, shift),
    enabled: scope !== null && customValid,
  });
  const shiftNames = [...new Set((calendar.data?.shifts ?? []).map((s) => s.name || `${s.start}–${s.end}`))];
  const chooseSite = (value: number) => {
    setSiteId(value);
    setScopeValue('site');
    setShift('');
    localStorage.setItem(SITE_KEY, String(value));
  };

  return (
    <div>
      <PageHeader title={t('oee.title')} hint={t('oee.hint')} />
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {siteList.length > 1 && site && (
          <Select label={t('oee.site')} value={site.id} onChange={(e) => chooseSite(Number(e.target.value))}>
            {siteList.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} — {s.name}
              </option>
            ))}
          </Select>
        )}
        <Select
          label={t('oee.scope')}
          value={scopeValue}
          onChange={(e) => setScopeValue(e.target.value)}
          data-testid="oee-scope"
        >
          <option value="site">{t('oee.wholeSite')}</option>
          <optgroup label={t('oee.lines')}>
            {(lines.data ?? []).map((line) => (
              <option key={line.id} value={`line:${line.id}`}>
                {line.code} — {line.name}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('oee.machines')}>
            {(machines.data ?? []).map((m) => (
              <option key={m.id} value={`machine:${m.id}`}>
                {m.code} — {m.name}
              </option>
            ))}
          </optgroup>
        </Select>
        <Select
          label={t('oee.shift')}
          value={shift}
          onChange={(e) => setShift(e.target.value)}
          data-testid="oee-shift"
        >
          <option value="">{t('oee.allShifts')}</option>
          {shiftNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </Select>
        <Select
          label={t('oee.period')}
          value={preset}
          onChange={(e) => setPreset(e.target.value as PeriodPreset)}
          data-testid="oee-period"
        >
          {PERIOD_PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(`oee.presets.${p}`)}
            </option>
          ))}
        </Select>
        {preset === 'custom' && (
          <div className="grid grid-cols-2 gap-2 sm:col-span-2">
            <Input
              label={t('oee.from')}
              type="date"
              value={custom.from}
              max={custom.to}
              onChange={(e) => setCustom({ ...custom, from: e.target.value })}
              data-testid="oee-from"
            />
            <Input
              label={t('oee.to')}
              type="date"
              value={custom.to}
              min={custom.from}
              onChange={(e) => setCustom({ ...custom, to: e.target.value })}
              data-testid="oee-to"
            />
          </div>
        )}
      </div>
      {!site ? (
        <EmptyState title={t('oee.noSites')} />
      ) : !customValid ? (
        <EmptyState title={t('oee.badPeriod')} />
      ) : (
        <QueryState query={report}>
          {(data) => (
            <OeeReportView
              key={`${scopeValue}-${shift}-${period.from}-${period.to}`}
              report={data}
              period={period}
              shift={shift}
            />
          )}
        </QueryState>
      )}
    </div>
  );
}
