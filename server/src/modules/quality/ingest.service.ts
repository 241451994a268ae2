import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import { sql } from 'kysely';
import { requirePermission, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { validationFailed, type FieldError } from '../../platform/errors.ts';
import { toFieldErrors } from '../../platform/validation.ts';
import { ingestItem, MAX_RESULTS_PER_REQUEST, type IngestItem, type ResultRow } from './ingest.dto.ts';
import type { IngestTransport } from './pipeline/transport.ts';
import { tooManyResults, unknownMachines } from './quality.errors.ts';

const MAX_LISTED_ERRORS = 200;
const MAX_AHEAD_MS = 86_400_000;
const MAX_AGE_MS = 10 * 366 * 86_400_000;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

interface MachineRef {
  id: number;
  code: string;
  site_id: number;
  time_zone: string;
}

/** Validates every item of a body that is one result or an array of them; all or nothing. */
export function parseIngestBody(body: unknown): IngestItem[] {
  const many = Array.isArray(body);
  const items: unknown[] = many ? body : [body];
  if (items.length === 0) {
    throw validationFailed('Send one result or a non-empty array of results', {
      errors: [{ field: '(root)', message: 'empty array' }],
    });
  }
  if (items.length > MAX_RESULTS_PER_REQUEST) {
    throw tooManyResults(
      `At most ${MAX_RESULTS_PER_REQUEST} results per request; this one has ${items.length}: split it`,
    );
  }
  const parsed: IngestItem[] = [];
  const errors: FieldError[] = [];
  let invalidItems = 0;
  items.forEach((item, index) => {
    const result = ingestItem.safeParse(item);
    if (result.success) parsed.push(result.data);
    else {
      invalidItems += 1;
      for (const error of toFieldErrors(result.error.issues)) {
        if (errors.length < MAX_LISTED_ERRORS) {
          errors.push({ field: many ? `${index}.${error.field}` : error.field, message: error.message });
        }
      }
    }
  });
  if (invalidItems > 0) {
    const shown = errors
      .slice(0, 3)
      .map((e) => `${e.field}: ${e.message}`)
      .join('; ');
    throw validationFailed(
      `${invalidItems} of ${items.length} result(s) are invalid, so none was kept: ${shown}${errors.length > 3 ? '; …' : ''}`,
      { errors },
    );
  }
  return parsed;
}

async function machinesByCode(tx: Tx, codes: readonly string[]): Promise<MachineRef[]> {
  const result = await sql<MachineRef>`
    select m.id, m.code, m.site_id, s.time_zone
    from machines m join sites s on s.id = m.site_id
    where lower(m.code) = any (${codes.map((c) => c.toLowerCase())}::text[]) and m.is_active`.execute(tx);
  return result.rows;
}

const HOUR_MS = 3_600_000;

/**
 * How long a machine code's resolution (id, site, time zone) is reused for the same scope without asking
 * PostgreSQL again: the bound for a deactivated, renamed or moved machine to stop being accepted under
 * its old code (docs/ingest.md). Codes not found are never remembered, so a new machine counts at once.
 * At a few requests per second per scope or more this saves nearly every lookup.
 */
export const MACHINE_CACHE_TTL_MS = 2_000;
const MACHINE_CACHE_MAX_CODES = 20_000;

/** Machine codes resolved per scope (sites seen, all sites or not), each with its expiry. */
function createMachineCache(ttlMs: number) {
  const byScope = new Map<string, Map<string, { machines: MachineRef[]; expiresAt: number }>>();
  let size = 0;
  return {
    async resolve(
      scope: { siteIds: readonly number[]; allSites: boolean },
      codes: readonly string[],
      lookup: (codes: readonly string[]) => Promise<MachineRef[]>,
    ): Promise<MachineRef[]> {
      if (ttlMs <= 0) return lookup(codes);
      const scopeKey = `${scope.allSites ? '*' : ''}${scope.siteIds.join(',')}`;
      let known = byScope.get(scopeKey);
      const now = Date.now();
      const found: MachineRef[] = [];
      const missing: string[] = [];
      for (const code of codes) {
        const entry = known?.get(code);
        if (entry && entry.expiresAt > now) found.push(...entry.machines);
        else missing.push(code);
      }
      if (missing.length === 0) return found;
      const fetched = await lookup(missing);
      if (size + missing.length > MACHINE_CACHE_MAX_CODES) {
        byScope.clear();
        size = 0;
      }
      known = byScope.get(scopeKey);
      if (!known) byScope.set(scopeKey, (known = new Map()));
      const grouped = new Map<string, MachineRef[]>();
      for (const machine of fetched) {
        const code = machine.code.toLowerCase();
        grouped.set(code, [...(grouped.get(code) ?? []), machine]);
      }
      const expiresAt = Date.now() + ttlMs;
      for (const [code, machines] of grouped) {
        if (!known.has(code)) size += 1;
        known.set(code, { machines, expiresAt });
      }
      return [...found, ...fetched];
    },
  };
}

/**
 * An IANA time zone that remembers its UTC offset per UTC hour. Luxon asks the zone for offsets two or
 * three times per conversion, each through Intl's formatToParts: without this, that was most of the CPU
 * time of a 10,000-result request. An hour whose offset is the same at its first and last millisecond
 * is taken as constant (offsets change at most once within an hour); an hour with a change asks Intl
 * every time. Luxon does the rest as before (parsing, gaps and overlaps), so the instants are the same.
 */
class HourlyOffsetZone extends Zone {
  readonly #zone: IANAZone;
  readonly #hours = new Map<number, number>();

  constructor(zone: IANAZone) {
    super();
    this.#zone = zone;
  }

  override get type(): string {
    return this.#zone.type;
  }

  override get name(): string {
    return this.#zone.name;
  }

  override get isUniversal(): boolean {
    return this.#zone.isUniversal;
  }

  override get isValid(): true {
    return true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.#zone.offsetName(ts, options);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.#zone.formatOffset(ts, format);
  }

  override offset(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    const known = this.#hours.get(hour);
    if (known !== undefined) return known;
    const first = this.#zone.offset(hour * HOUR_MS);
    if (!Number.isFinite(first) || this.#zone.offset(hour * HOUR_MS + HOUR_MS - 1) !== first) {
      return this.#zone.offset(ts);
    }
    if (this.#hours.size >= 100_000) this.#hours.clear();
    this.#hours.set(hour, first);
    return first;
  }

  override equals(other: Zone): boolean {
    return other instanceof HourlyOffsetZone ? other.name === this.name : this.#zone.equals(other);
  }
}

const zones = new Map<string, Zone | string>();

/** The site's zone for luxon: remembered offsets when it is a valid IANA name, else the name as before. */
function zoneOf(name: string): Zone | string {
  let zone = zones.get(name);
  if (zone === undefined) {
    const iana = IANAZone.create(name);
    zone = iana.isValid ? new HourlyOffsetZone(iana) : name;
    if (zones.size >= 1_000) zones.clear();
    zones.set(name, zone);
  }
  return zone;
}

/** The instant of a station's timestamp: with its offset, or in the machine's site time zone. */
function instantOf(timestamp: string, zone: string): string {
  if (HAS_OFFSET.test(timestamp)) return new Date(timestamp).toISOString();
  return (
    DateTime.fromISO(timestamp, { zone: zoneOf(zone) })
      .toUTC()
      .toISO() ?? new Date(timestamp).toISOString()
  );
}

/**
 * POST /ingest: validates the whole body, resolves the plant's machine codes in the caller's sites, and
 * hands the results to the transport; resolves once they are durable (then the route answers 202).
 */
export function createIngestService(deps: {
  db: Pick<Database, 'transaction'>;
  transport: () => IngestTransport;
  /** Milliseconds a machine code's resolution is reused (0: look every request's codes up). */
  machineCacheTtlMs?: number;
}) {
  const machineCache = createMachineCache(deps.machineCacheTtlMs ?? MACHINE_CACHE_TTL_MS);
  return {
    async ingest(request: RequestContext, body: unknown): Promise<number> {
      const ctx = requirePermission(request, 'ingest:write');
      const items = parseIngestBody(body);
      const codes = [...new Set(items.map((item) => item.machine_id.toLowerCase()))];
      const scope = scopeOf(ctx);
      const machines = await machineCache.resolve(scope, codes, (missing) =>
        deps.db.transaction(scope, (tx) => machinesByCode(tx, missing)),
      );
      const byCode = new Map<string, MachineRef[]>();
      for (const machine of machines) {
        const key = machine.code.toLowerCase();
        byCode.set(key, [...(byCode.get(key) ?? []), machine]);
      }
      const errors: FieldError[] = [];
      const rows: ResultRow[] = [];
      const now = Date.now();
      items.forEach((item, index) => {
        const found = byCode.get(item.machine_id.toLowerCase()) ?? [];
        const field = items.length > 1 || Array.isArray(body) ? `${index}.machine_id` : 'machine_id';
        const machine = found[0];
        if (!machine || found.length > 1) {
          if (errors.length < MAX_LISTED_ERRORS) {
            errors.push({
              field,
              message: machine
                ? `machine ${item.machine_id} exists on several of your sites; use a site's API key`
                : `no active machine ${item.machine_id} on your sites`,
            });
          }
          return;
        }
        const measuredAt = instantOf(item.timestamp, machine.time_zone);
        const age = now - Date.parse(measuredAt);
        if (age < -MAX_AHEAD_MS || age > MAX_AGE_MS) {
          if (errors.length < MAX_LISTED_ERRORS) {
            errors.push({
              field: field.replace('machine_id', 'timestamp'),
              message:
                age < 0
                  ? 'more than a day in the future: check the station’s clock'
                  : 'more than 10 years ago',
            });
          }
          return;
        }
        rows.push({
          site_id: machine.site_id,
          machine_id: machine.id,
          machine_code: machine.code,
          barcode: item.barcode,
          product_code: item.product_id,
          test_step: item.test_step,
          measured_value: item.measured_value,
          unit: item.unit ?? null,
          measured_at: measuredAt,
        });
      });
      if (errors.length > 0) {
        const unknown = [...new Set(errors.map((e) => e.message))].slice(0, 5).join('; ');
        const code = errors.some((e) => e.field.endsWith('machine_id')) ? unknownMachines : validationFailed;
        throw code(`Nothing was kept: ${unknown}`, { errors });
      }
      await deps.transport().publish(rows);
      return rows.length;
    },
  };
}
export type IngestService = ReturnType<typeof createIngestService>;
