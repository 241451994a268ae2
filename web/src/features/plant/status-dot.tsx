import { clsx } from 'clsx';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { lineStatusTone, machineStatusTone, type LineStatus, type MachineStatus } from './plant-api.ts';

const dotColour = {
  good: 'bg-emerald-500',
  warn: 'bg-amber-500',
  bad: 'bg-red-600',
} as const;

type Status = { kind: 'line'; status: LineStatus } | { kind: 'machine'; status: MachineStatus };

function toneOf(entry: Status) {
  return entry.kind === 'line' ? lineStatusTone[entry.status] : machineStatusTone[entry.status];
}

/** A coloured dot with the status in words for screen readers and a tooltip. */
export function StatusDot(props: Status) {
  const { t } = useTranslation();
  const label = t(`plant.status.${props.status}`, props.status);
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      className={clsx('inline-block size-2.5 shrink-0 rounded-full', dotColour[toneOf(props)])}
    />
  );
}

export function StatusBadge(props: Status) {
  const { t } = useTranslation();
  return <Badge tone={toneOf(props)}>{t(`plant.status.${props.status}`, props.status)}</Badge>;
}
