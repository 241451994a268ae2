import { formatNumber } from '../../lib/format.ts';

/** A reading value with its unit, e.g. "245.5 °C". */
export function formatReading(value: number, unit: string | null): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}
