import { MACHINE_STATES, type MachineState } from '../signals.types.ts';

/**
 * How a machine's raw state value reads as a HOM state unless the connection maps it otherwise: the
 * common PackML-like integers and a boolean "running" flag.
 */
export const DEFAULT_STATE_MAP: Readonly<Record<string, MachineState>> = {
  '0': 'stopped',
  '1': 'running',
  '2': 'idle',
  '3': 'fault',
  '4': 'setup',
  true: 'running',
  false: 'stopped',
};

/** A raw OPC-UA value as the text the state map is keyed on (numbers without ".0", booleans as true/false). */
export function rawText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  const wide = int64Of(value);
  if (wide !== null) return String(wide);
  if (typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text ?? '');
  return null;
}

/**
 * The HOM state for a raw value: the connection's map first (exact text, then case-insensitive), then
 * a string that names a HOM state itself ("Running"), else unknown.
 */
export function mapState(raw: string | null, map: Readonly<Record<string, string>>): MachineState {
  if (raw === null) return 'unknown';
  const exact = map[raw];
  if (isState(exact)) return exact;
  const lower = raw.toLowerCase();
  for (const [key, state] of Object.entries(map))
    if (key.toLowerCase() === lower && isState(state)) return state;
  return isState(lower) ? lower : 'unknown';
}

function isState(value: unknown): value is MachineState {
  return typeof value === 'string' && (MACHINE_STATES as readonly string[]).includes(value);
}

/** A counter value as a whole number ≥ 0, or null when it is not one (negative, fractional, text, bad). */
export function counterOf(value: unknown): number | null {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : typeof value === 'string' && /^\d{1,15}$/.test(value.trim())
          ? Number(value.trim())
          : int64Of(value);
  if (number === null || !Number.isSafeInteger(number) || number < 0) return null;
  return number;
}

/** node-opcua hands (U)Int64 over as [high, low] 32-bit words. */
function int64Of(value: unknown): number | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [high, low] = value as unknown[];
  if (typeof high !== 'number' || typeof low !== 'number') return null;
  return high * 2 ** 32 + (low >>> 0);
}

/** A value the browse and test answers can carry as JSON: scalars as they are, the rest as short text. */
export function jsonValueOf(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  const text = rawText(value);
  if (text !== null) return text.slice(0, 200);
  try {
    const json = JSON.stringify(value, (_key, item: unknown) =>
      typeof item === 'bigint' ? String(item) : item,
    );
    return json.length > 200 ? `${json.slice(0, 200)}…` : json;
  } catch {
    return String(value).slice(0, 200);
  }
}
