import { clsx } from 'clsx';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartColours } from '../../components/chart.tsx';
import { formatDecimal } from '../../lib/format.ts';
import type { SpcChart } from './quality-api.ts';
import { formatPointTime, formatValue, spcReasonText, verdictColour } from './quality-format.ts';

const LINE_COLOURS = { centre: '#0369a1', control: '#d97706', spec: '#dc2626', target: '#059669' };
// the same plot area in both charts, so a point of the I chart sits above its moving range
const GRID = { left: 64, right: 84, top: 20, bottom: 28 };

interface Level {
  name: string;
  value: number | null;
  colour: string;
  type: 'solid' | 'dashed' | 'dotted';
  /** Spec limits and the target are named at the left, inside, so they never cover the control limits. */
  left?: boolean;
}

/** Horizontal reference lines with their name and value at the right end. */
function markLines(levels: Level[]) {
  return {
    symbol: 'none',
    silent: true,
    data: levels
      .filter((level) => level.value !== null)
      .map((level) => ({
        name: level.name,
        yAxis: level.value,
        lineStyle: { color: level.colour, type: level.type, width: level.type === 'solid' ? 2 : 1.5 },
        label: {
          position: level.left ? 'insideStartTop' : 'end',
          color: level.colour,
          formatter: `${level.name} ${formatValue(level.value, 3)}`,
        },
      })),
  };
}

/** An axis range holding every value and every line, with a little room around. */
function range(values: number[], levels: Level[]): { min: number; max: number } | undefined {
  const all = [...values, ...levels.flatMap((level) => (level.value === null ? [] : [level.value]))];
  if (all.length === 0) return undefined;
  const low = Math.min(...all);
  const high = Math.max(...all);
  const pad = (high - low) * 0.08 || Math.abs(high) * 0.05 || 1;
  const step = 10 ** Math.floor(Math.log10(pad));
  return { min: Math.floor((low - pad) / step) * step, max: Math.ceil((high + pad) / step) * step };
}

function cpkTone(cpk: number | null): string {
  if (cpk === null) return '';
  if (cpk >= 1.33) return 'text-emerald-700 dark:text-emerald-400';
  if (cpk >= 1) return 'text-amber-700 dark:text-amber-400';
  return 'text-red-700 dark:text-red-400';
}

function SpcStats({ spc }: { spc: SpcChart }) {
  const { t } = useTranslation();
  const reason = spcReasonText(t, spc.reason);
  const unit = spc.unit ? ` ${spc.unit}` : '';
  const stats = [
    { key: 'n', label: t('quality.spc.n'), value: String(spc.n) },
    { key: 'mean', label: t('quality.spc.mean'), value: `${formatValue(spc.mean)}${unit}` },
    { key: 'sigma', label: t('quality.spc.sigma'), value: formatValue(spc.sigma) },
    { key: 'cp', label: t('quality.spc.cp'), value: formatDecimal(spc.cp, 2) },
    { key: 'cpk', label: t('quality.spc.cpk'), value: formatDecimal(spc.cpk, 2), tone: cpkTone(spc.cpk) },
  ];
  return (
    <div className="space-y-1">
      <dl className="grid grid-cols-3 gap-2 sm:grid-cols-5">
        {stats.map((stat) => (
          <div key={stat.key} className="rounded-md bg-slate-100 px-3 py-2 dark:bg-slate-800">
            <dt className="text-xs text-slate-500 dark:text-slate-400">{stat.label}</dt>
            <dd
              data-testid={`spc-${stat.key}`}
              className={clsx('text-lg font-semibold tabular-nums', stat.tone)}
            >
              {stat.value}
            </dd>
          </div>
        ))}
      </dl>
      {reason && (
        <p data-testid="spc-reason" className="text-sm text-slate-600 dark:text-slate-400">
          {reason}
        </p>
      )}
    </div>
  );
}

/** Individuals (FAIL points red) with x̄, the control limits, the spec limits and the target; MR below. */
export function ControlChart({ spc }: { spc: SpcChart }) {
  const { t } = useTranslation();
  const individuals = useCallback(
    (colours: ChartColours) => {
      const levels: Level[] = [
        {
          name: t('quality.spc.usl'),
          value: spc.upper_limit,
          colour: LINE_COLOURS.spec,
          type: 'solid',
          left: true,
        },
        { name: t('quality.spc.ucl'), value: spc.ucl, colour: LINE_COLOURS.control, type: 'dashed' },
        {
          name: t('quality.spc.target'),
          value: spc.target,
          colour: LINE_COLOURS.target,
          type: 'dotted',
          left: true,
        },
        { name: 'x̄', value: spc.mean, colour: LINE_COLOURS.centre, type: 'solid' },
        { name: t('quality.spc.lcl'), value: spc.lcl, colour: LINE_COLOURS.control, type: 'dashed' },
        {
          name: t('quality.spc.lsl'),
          value: spc.lower_limit,
          colour: LINE_COLOURS.spec,
          type: 'solid',
          left: true,
        },
      ];
      return {
        // redrawn every few seconds while results stream in: no animation to flicker
        animation: false,
        tooltip: {
          trigger: 'axis',
          formatter: (params: { dataIndex: number }[]) => {
            const point = spc.points[params[0]?.dataIndex ?? -1];
            if (!point) return '';
            return [
              formatPointTime(point.timestamp),
              `${formatValue(point.value)}${spc.unit ? ` ${spc.unit}` : ''} · ${t(`quality.verdicts.${point.verdict}`)}`,
              point.barcode,
            ].join('<br/>');
          },
        },
        grid: GRID,
        xAxis: {
          type: 'category',
          data: spc.points.map((point) => formatPointTime(point.timestamp)),
          axisLabel: { color: colours.muted, hideOverlap: true },
        },
        yAxis: {
          type: 'value',
          ...range(
            spc.points.map((point) => point.value),
            levels,
          ),
          axisLabel: {
            color: colours.muted,
            showMinLabel: false,
            showMaxLabel: false,
            formatter: (value: number) => formatValue(value, 3),
          },
          splitLine: { lineStyle: { color: colours.grid } },
        },
        series: [
          {
            name: t('quality.spc.individuals'),
            type: 'line',
            symbol: 'circle',
            symbolSize: 7,
            showAllSymbol: true,
            lineStyle: { color: colours.muted, width: 1 },
            data: spc.points.map((point) => ({
              value: point.value,
              itemStyle: { color: point.verdict === 'FAIL' ? verdictColour.FAIL : LINE_COLOURS.centre },
              symbolSize: point.verdict === 'FAIL' ? 9 : 7,
            })),
            markLine: markLines(levels),
          },
        ],
      };
    },
    [spc, t],
  );
  const movingRanges = useCallback(
    (colours: ChartColours) => {
      const levels: Level[] = [
        { name: t('quality.spc.mrUcl'), value: spc.mr_ucl, colour: LINE_COLOURS.control, type: 'dashed' },
        { name: 'MR̄', value: spc.mr_bar, colour: LINE_COLOURS.centre, type: 'solid' },
      ];
      const values = spc.points.map((point) => point.moving_range);
      return {
        // redrawn every few seconds while results stream in: no animation to flicker
        animation: false,
        tooltip: {
          trigger: 'axis',
          valueFormatter: (value: unknown) => (typeof value === 'number' ? formatValue(value) : '—'),
        },
        grid: GRID,
        xAxis: {
          type: 'category',
          data: spc.points.map((point) => formatPointTime(point.timestamp)),
          axisLabel: { color: colours.muted, hideOverlap: true },
        },
        yAxis: {
          type: 'value',
          min: 0,
          max: range(
            values.filter((value): value is number => value !== null),
            levels,
          )?.max,
          axisLabel: {
            color: colours.muted,
            showMinLabel: false,
            showMaxLabel: false,
            formatter: (value: number) => formatValue(value, 3),
          },
          splitLine: { lineStyle: { color: colours.grid } },
        },
        series: [
          {
            name: t('quality.spc.movingRange'),
            type: 'line',
            symbol: 'circle',
            symbolSize: 5,
            itemStyle: { color: colours.muted },
            data: values.map((value) => value ?? '-'),
            markLine: markLines(levels),
          },
        ],
      };
    },
    [spc, t],
  );

  return (
    <div className="space-y-3">
      <SpcStats spc={spc} />
      <Chart
        option={individuals}
        label={t('quality.spc.iChart')}
        className="h-72 w-full"
        testId="spc-i-chart"
      />
      <Chart
        option={movingRanges}
        label={t('quality.spc.mrChart')}
        className="h-40 w-full"
        testId="spc-mr-chart"
      />
    </div>
  );
}
