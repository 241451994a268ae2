import {
  requirePermission,
  requireSite,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { defineError, validationFailed, type FieldError } from '../../platform/errors.ts';
import { recordChange } from '../audit/index.ts';
import { siteRequired } from './plant.errors.ts';
import { updateLineRow, updateMachineRow } from './plant.repository.ts';
import { decodeCsv, exportRow, localDate, parseCsv, toCsv } from './plant-csv.format.ts';
import * as csvRepo from './plant-csv.repository.ts';
import { linesOf, validateRows, type ImportRow } from './plant-csv.validate.ts';

export const siteNotFound = defineError('not_found', 'SITE_NOT_FOUND');
export const MAX_LISTED_ERRORS = 200;

export interface ImportSummary {
  lines_created: number;
  lines_updated: number;
  machines_created: number;
  machines_updated: number;
  rows: number;
}

/** The fields of `wanted` that are given and differ from `current`; undefined when none do. */
function changesOf<W extends object>(current: object, wanted: W): Partial<W> | undefined {
  const changes = Object.fromEntries(
    Object.entries(wanted).filter(
      ([key, value]) => value !== undefined && value !== (current as Record<string, unknown>)[key],
    ),
  ) as Partial<W>;
  return Object.keys(changes).length > 0 ? changes : undefined;
}

/** Lines and machines to and from the CSV a plant keeps: validated whole, written all or nothing. */
export function createPlantCsvService(deps: { db: Pick<Database, 'transaction'>; clock?: () => Date }) {
  const { db, clock = () => new Date() } = deps;

  /** The site asked for, or the caller's only site. */
  function siteOf(ctx: AuthedContext, siteId: number | undefined): number {
    if (siteId !== undefined) {
      requireSite(ctx, siteId);
      return siteId;
    }
    const [only, ...more] = ctx.actor.siteIds;
    if (only !== undefined && more.length === 0) return only;
    throw siteRequired('Say which site: add ?site_id=…', {
      errors: [{ field: 'site_id', message: 'required' }],
    });
  }

  async function siteOrThrow(tx: Tx, siteId: number) {
    const site = await csvRepo.findSite(tx, siteId);
    if (!site) throw siteNotFound(`No site with id ${siteId}`);
    return site;
  }

  async function writeLines(tx: Tx, ctx: AuthedContext, siteId: number, rows: readonly ImportRow[]) {
    const existing = new Map(
      (await csvRepo.siteLines(tx, siteId)).map((line) => [line.code.toLowerCase(), line]),
    );
    const ids = new Map<string, number>();
    const missing: csvRepo.NewLine[] = [];
    let updated = 0;
    for (const [key, plan] of linesOf(rows)) {
      const before = existing.get(key);
      if (!before) {
        const { status = 'working', notes = null, is_active = true } = plan;
        missing.push({ site_id: siteId, code: plan.code, name: plan.name, status, notes, is_active });
        continue;
      }
      ids.set(key, before.id);
      const changes = changesOf(before, plan);
      if (!changes) continue;
      const after = (await updateLineRow(tx, before.id, changes)) ?? before;
      await recordChange(tx, ctx, {
        action: 'import_update',
        entity: 'line',
        entityId: before.id,
        siteId,
        before,
        after,
      });
      updated += 1;
    }
    for (const line of await csvRepo.insertLines(tx, missing)) {
      ids.set(line.code.toLowerCase(), line.id);
      await recordChange(tx, ctx, {
        action: 'import_create',
        entity: 'line',
        entityId: line.id,
        siteId,
        after: line,
      });
    }
    return { ids, created: missing.length, updated };
  }

  async function writeMachines(
    tx: Tx,
    ctx: AuthedContext,
    siteId: number,
    rows: readonly ImportRow[],
    lineIds: ReadonlyMap<string, number>,
  ) {
    const existing = new Map(
      (await csvRepo.siteMachines(tx, siteId)).map((machine) => [machine.code.toLowerCase(), machine]),
    );
    const missing: csvRepo.NewMachine[] = [];
    let updated = 0;
    for (const row of rows) {
      if (row.machine_code === undefined || row.machine_name === undefined) continue;
      const lineId = lineIds.get(row.line_code.toLowerCase());
      if (lineId === undefined) throw new Error(`line ${row.line_code} was neither found nor created`);
      const wanted = {
        line_id: lineId,
        code: row.machine_code,
        name: row.machine_name,
        asset_number: row.asset_number,
        serial_number: row.serial_number,
        manufacturer: row.manufacturer,
        model: row.model,
        machine_type: row.machine_type,
        status: row.machine_status,
        criticality: row.criticality,
        commissioned_on: row.commissioned_on,
        notes: row.notes,
        is_active: row.is_active,
      };
      const before = existing.get(row.machine_code.toLowerCase());
      if (!before) {
        const { status = 'operational', criticality = 'B', is_active = true } = wanted;
        const text = (value: string | null | undefined) => value ?? null;
        missing.push({
          ...wanted,
          site_id: siteId,
          asset_number: text(wanted.asset_number),
          serial_number: text(wanted.serial_number),
          manufacturer: text(wanted.manufacturer),
          model: text(wanted.model),
          machine_type: text(wanted.machine_type),
          commissioned_on: text(wanted.commissioned_on),
          notes: text(wanted.notes),
          status,
          criticality,
          is_active,
        });
        continue;
      }
      // A known code under another line is a move: line_id is one more changed field.
      const changes = changesOf(before, wanted);
      if (!changes) continue;
      const after = (await updateMachineRow(tx, before.id, changes)) ?? before;
      await recordChange(tx, ctx, {
        action: 'import_update',
        entity: 'machine',
        entityId: before.id,
        siteId,
        before,
        after,
      });
      updated += 1;
    }
    for (const machine of await csvRepo.insertMachines(tx, missing)) {
      await recordChange(tx, ctx, {
        action: 'import_create',
        entity: 'machine',
        entityId: machine.id,
        siteId,
        after: machine,
      });
    }
    return { created: missing.length, updated };
  }

  return {
    /** The site's lines and machines, inactive ones included: one row per machine, one per empty line. */
    async exportCsv(request: RequestContext, siteId?: number): Promise<{ filename: string; csv: string }> {
      const ctx = requirePermission(request, 'plant:read');
      const id = siteOf(ctx, siteId);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const site = await siteOrThrow(tx, id);
        const [lines, machines] = [await csvRepo.siteLines(tx, id), await csvRepo.siteMachines(tx, id)];
        const byLine = Map.groupBy(machines, (machine) => machine.line_id);
        const rows = lines.flatMap((line) => {
          const own = byLine.get(line.id) ?? [];
          return own.length === 0 ? [exportRow(line)] : own.map((machine) => exportRow(line, machine));
        });
        const code = site.code.replace(/[^A-Za-z0-9_.-]/g, '_');
        return { filename: `plant-${code}-${localDate(clock(), site.time_zone)}.csv`, csv: toCsv(rows) };
      });
    },

    /**
     * Reads and checks every row before it writes anything; then, in one transaction, creates the
     * lines and machines the site lacks and updates the ones whose fields differ. Nothing is deleted.
     */
    async importCsv(
      request: RequestContext,
      siteId: number | undefined,
      file: Buffer,
    ): Promise<ImportSummary> {
      const ctx = requirePermission(request, 'plant:manage');
      const id = siteOf(ctx, siteId);
      const { rows, errors } = validateRows(parseCsv(decodeCsv(file)));
      return db.transaction(scopeOf(ctx), async (tx) => {
        await siteOrThrow(tx, id);
        if (errors.length > 0) throw invalidFile(errors);
        const lines = await writeLines(tx, ctx, id, rows);
        const machines = await writeMachines(tx, ctx, id, rows, lines.ids);
        return {
          lines_created: lines.created,
          lines_updated: lines.updated,
          machines_created: machines.created,
          machines_updated: machines.updated,
          rows: rows.length,
        };
      });
    },
  };
}
export type PlantCsvService = ReturnType<typeof createPlantCsvService>;

function invalidFile(errors: readonly FieldError[]) {
  const more = errors.length - MAX_LISTED_ERRORS;
  const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
  const listed = more > 0 ? ` (the first ${MAX_LISTED_ERRORS} are listed, ${more} more are not)` : '';
  return validationFailed(`The file has ${count}${listed}; nothing was imported`, {
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  });
}
