import { DateTime } from 'luxon';
import { z } from 'zod';
import { MACHINE_STATES, type MachineState } from '../signals.types.ts';

/**
 * What MQTT payloads may say (docs/mqtt.md). Readings: a bare number (`81.2`) stamped on receipt, or a
 * JSON object `{"value": 81.2, "unit": "°C", "timestamp": "2026-05-04T10:00:00.250+02:00"}`. States:
 * a state's name or `{"state": "running", "timestamp": …}`. Counters: a non-negative integer or
 * `{"value": 1042, "timestamp": …}`. Other fields of an object are ignored. The hot path (bare numbers
 * and well-formed objects) is checked by hand; zod checks the rest and says why it fails.
 */

/** A timestamp as sent: ISO 8601 (with an offset, or local time of the machine's site) or epoch milliseconds. */
export type SentTimestamp = string | number | null;

export interface ReadingPayload {
  value: number;
  unit: string | null;
  timestamp: SentTimestamp;
}
export interface StatePayload {
  state: MachineState;
  raw: string;
  timestamp: SentTimestamp;
}
export interface CounterPayload {
  value: number;
  timestamp: SentTimestamp;
}
export type Refusal = { reason: string };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const ISO_HINT = 'an ISO 8601 date and time (e.g. 2026-05-04T10:00:00.250+02:00) or epoch milliseconds';

const timestamp = z
  .union([
    z.iso.datetime({ offset: true, local: true, error: ISO_HINT }),
    z.number({ error: ISO_HINT }).finite().nonnegative(),
  ])
  .nullable()
  .optional();
const readingSchema = z.object({
  value: z.number({ error: 'a number' }).finite('a finite number'),
  unit: z.string({ error: 'text' }).trim().max(20, 'at most 20 characters').nullable().optional(),
  timestamp,
});
const stateSchema = z.object({
  state: z.string({ error: `one of ${MACHINE_STATES.join(', ')}` }),
  timestamp,
});
const counterSchema = z.object({
  value: z
    .number({ error: 'a whole number' })
    .int('a whole number')
    .nonnegative('not negative')
    .max(Number.MAX_SAFE_INTEGER),
  timestamp,
});

function refusal(error: z.ZodError): Refusal {
  return {
    reason: error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`)
      .join('; '),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The plain ISO 8601 forms devices send; instantOf reads them and refuses impossible dates. */
const PLAIN_ISO = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?$/;

/** The date part names a day that exists (Date.parse would read 02-30 as 03-02). */
function realDay(iso: string): boolean {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function quickTimestamp(value: unknown): SentTimestamp | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && PLAIN_ISO.test(value) && realDay(value)) return value;
  return undefined; // other strings are checked by the schema, which says what is wrong
}

export function parseReading(payload: Buffer): ReadingPayload | Refusal {
  const text = payload.toString('utf8').trim();
  if (NUMBER.test(text)) {
    const value = Number(text);
    return Number.isFinite(value)
      ? { value, unit: null, timestamp: null }
      : { reason: 'not a finite number' };
  }
  const json = parseJson(text);
  if (json === undefined) return { reason: 'neither a number nor JSON' };
  if (isObject(json)) {
    const { value, unit } = json;
    const stamp = quickTimestamp(json.timestamp);
    if (
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (unit === undefined || unit === null || (typeof unit === 'string' && unit.length <= 20)) &&
      stamp !== undefined
    ) {
      return { value, unit: typeof unit === 'string' ? unit.trim() || null : null, timestamp: stamp };
    }
  }
  if (!isObject(json)) return { reason: 'JSON, but not an object with a "value"' };
  const parsed = readingSchema.safeParse(json);
  if (!parsed.success) return refusal(parsed.error);
  return {
    value: parsed.data.value,
    unit: parsed.data.unit || null,
    timestamp: parsed.data.timestamp ?? null,
  };
}

function stateOf(raw: string): MachineState | undefined {
  const name = raw.trim().toLowerCase();
  return (MACHINE_STATES as readonly string[]).includes(name) ? (name as MachineState) : undefined;
}

export function parseState(payload: Buffer): StatePayload | Refusal {
  const text = payload.toString('utf8').trim();
  const json = text.startsWith('{') || text.startsWith('"') ? parseJson(text) : text;
  let raw: string;
  let stamp: SentTimestamp = null;
  if (typeof json === 'string') raw = json;
  else {
    const parsed = stateSchema.safeParse(json);
    if (!parsed.success) return refusal(parsed.error);
    raw = parsed.data.state;
    stamp = parsed.data.timestamp ?? null;
  }
  const state = stateOf(raw);
  if (!state) return { reason: `state "${raw.slice(0, 40)}" is not one of ${MACHINE_STATES.join(', ')}` };
  return { state, raw: raw.slice(0, 100), timestamp: stamp };
}

export function parseCounter(payload: Buffer): CounterPayload | Refusal {
  const text = payload.toString('utf8').trim();
  const json = NUMBER.test(text) ? Number(text) : parseJson(text);
  const parsed = counterSchema.safeParse(typeof json === 'number' ? { value: json } : json);
  if (!parsed.success) return refusal(parsed.error);
  return { value: parsed.data.value, timestamp: parsed.data.timestamp ?? null };
}

/**
 * Results in the `/ingest` format: one result or an array. `machine_id` may be left out (the topic
 * names the machine); when given it must be the topic's machine. The ingest service checks the rest.
 */
export function parseResults(payload: Buffer, machine: string): unknown[] | Refusal {
  const json = parseJson(payload.toString('utf8'));
  if (json === undefined) return { reason: 'not JSON' };
  const items = Array.isArray(json) ? json : [json];
  const out: unknown[] = [];
  for (const [index, item] of items.entries()) {
    if (!isObject(item)) return { reason: `${index}: a result must be a JSON object` };
    const given = item.machine_id;
    if (given === undefined) out.push({ ...item, machine_id: machine });
    else if (typeof given === 'string' && given.toLowerCase() === machine.toLowerCase()) out.push(item);
    else
      return {
        reason: `${index}.machine_id: "${String(given).slice(0, 60)}" is not the topic's machine ${machine}`,
      };
  }
  return out;
}

const MAX_AHEAD_MS = 86_400_000;
const MAX_AGE_MS = 10 * 366 * 86_400_000;

/**
 * The instant of a sent timestamp (null: `receivedAt`). A local time is read in the site's time zone,
 * like POST /ingest. Refused when unreadable, more than a day ahead or more than 10 years old.
 */
export function instantOf(sent: SentTimestamp, zone: string, receivedAt: number): Date | Refusal {
  if (sent === null) return new Date(receivedAt);
  let ms: number;
  if (typeof sent === 'number') ms = sent;
  else if (HAS_OFFSET.test(sent)) ms = Date.parse(sent);
  else ms = DateTime.fromISO(sent, { zone }).toMillis();
  if (!Number.isFinite(ms)) return { reason: `timestamp: ${ISO_HINT}` };
  const age = receivedAt - ms;
  if (age < -MAX_AHEAD_MS)
    return { reason: 'timestamp: more than a day in the future: check the device’s clock' };
  if (age > MAX_AGE_MS) {
    return {
      reason: `timestamp: more than 10 years ago${typeof sent === 'number' ? ' (epoch seconds? send milliseconds)' : ''}`,
    };
  }
  return new Date(ms);
}

/** The reading type a topic's sensor level stands for: lower case, `-` as `_`, ^[a-z][a-z0-9_]{0,39}$. */
export function readingTypeOf(sensor: string): string | Refusal {
  const type = sensor.toLowerCase().replaceAll('-', '_');
  return /^[a-z][a-z0-9_]{0,39}$/.test(type)
    ? type
    : { reason: `sensor "${sensor.slice(0, 60)}": 1–40 letters, digits, _ or -, starting with a letter` };
}

export const isRefusal = (value: unknown): value is Refusal =>
  typeof value === 'object' && value !== null && 'reason' in value;
