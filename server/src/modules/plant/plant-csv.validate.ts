import { z } from 'zod';
import type { FieldError } from '../../platform/errors.ts';
import {
  CRITICALITIES,
  LINE_STATUSES,
  MACHINE_STATUSES,
  createLineInput,
  createMachineInput,
} from './plant.dto.ts';
import type { CsvColumn, ParsedCsv } from './plant-csv.format.ts';

const blankTo =
  (empty: null | undefined, normalize: (value: string) => string = (value) => value) =>
  (value: unknown) => {
    if (typeof value !== 'string') return value;
    return value.trim() === '' ? empty : normalize(value.trim());
  };
const absentOrBlank = blankTo(undefined);
/** A blank cell clears the field; a column left out of the file leaves it as it is. */
const clearable = blankTo(null);
const line = createLineInput.shape;
const machine = createMachineInput.shape;
const lower = (value: string) => value.toLowerCase();

/** The rules of plant.dto.ts, read from text cells. Blank enums and flags keep the stored value. */
const rowSchema = z
  .object({
    line_code: z.preprocess(absentOrBlank, line.code),
    line_name: z.preprocess(absentOrBlank, line.name),
    line_status: z.preprocess(blankTo(undefined, lower), z.enum(LINE_STATUSES).optional()),
    machine_code: z.preprocess(absentOrBlank, machine.code.optional()),
    machine_name: z.preprocess(absentOrBlank, machine.name.optional()),
    asset_number: z.preprocess(clearable, machine.asset_number),
    serial_number: z.preprocess(clearable, machine.serial_number),
    manufacturer: z.preprocess(clearable, machine.manufacturer),
    model: z.preprocess(clearable, machine.model),
    machine_type: z.preprocess(clearable, machine.machine_type),
    machine_status: z.preprocess(blankTo(undefined, lower), z.enum(MACHINE_STATUSES).optional()),
    criticality: z.preprocess(
      blankTo(undefined, (value) => value.toUpperCase()),
      z.enum(CRITICALITIES).optional(),
    ),
    commissioned_on: z.preprocess(clearable, machine.commissioned_on),
    notes: z.preprocess(clearable, machine.notes),
    is_active: z.preprocess(
      blankTo(undefined, lower),
      z
        .enum(['true', 'false', 'yes', 'no', '1', '0'], 'true or false')
        .transform((value) => ['true', 'yes', '1'].includes(value))
        .optional(),
    ),
  })
  .superRefine((row, context) => {
    if (row.machine_code !== undefined) {
      if (row.machine_name === undefined)
        context.addIssue({ code: 'custom', path: ['machine_name'], message: 'required' });
      return;
    }
    const machineOnly = [
      'machine_name',
      'asset_number',
      'serial_number',
      'manufacturer',
      'model',
      'machine_type',
      'machine_status',
      'criticality',
      'commissioned_on',
    ] as const;
    for (const column of machineOnly) {
      if (row[column] !== undefined && row[column] !== null) {
        context.addIssue({
          code: 'custom',
          path: ['machine_code'],
          message: `required when ${column} is filled`,
        });
        return;
      }
    }
  });
export type ImportRow = z.output<typeof rowSchema> & { line: number };

/** The line's attributes a row states; notes and is_active are the line's only on rows without a machine. */
function lineAttributes(row: ImportRow) {
  const own = row.machine_code === undefined;
  return {
    line_name: row.line_name,
    line_status: row.line_status,
    notes: own ? row.notes : undefined,
    is_active: own ? row.is_active : undefined,
  };
}

/**
 * Every row through the zod rules, then the checks across rows: a machine code once per file, one
 * name (and status, notes, state) per line code. Codes compare without case, as the database does.
 */
export function validateRows(parsed: ParsedCsv): { rows: ImportRow[]; errors: FieldError[] } {
  const errors = [...parsed.errors];
  const rows: ImportRow[] = [];
  for (const record of parsed.records) {
    const result = rowSchema.safeParse(record.cells);
    if (result.success) {
      rows.push({ ...result.data, line: record.line });
      continue;
    }
    for (const issue of result.error.issues) {
      const column = String(issue.path[0] ?? 'row') as CsvColumn;
      const blank = (record.cells[column] ?? '').trim() === '';
      const message = issue.code === 'invalid_type' && blank ? 'required' : issue.message;
      errors.push({ field: `row ${record.line}: ${column}`, message });
    }
  }

  const machineRows = new Map<string, ImportRow>();
  const lineRows = new Map<string, Map<string, { value: unknown; row: number }>>();
  for (const row of rows) {
    if (row.machine_code !== undefined) {
      const first = machineRows.get(row.machine_code.toLowerCase());
      if (first) {
        errors.push({
          field: `row ${row.line}: machine_code`,
          message: `machine "${row.machine_code}" is also on row ${first.line}; give each machine one row`,
        });
      } else machineRows.set(row.machine_code.toLowerCase(), row);
    }
    const key = row.line_code.toLowerCase();
    const seen = lineRows.get(key) ?? new Map<string, { value: unknown; row: number }>();
    lineRows.set(key, seen);
    for (const [column, value] of Object.entries(lineAttributes(row))) {
      if (value === undefined) continue;
      const first = seen.get(column);
      if (!first) seen.set(column, { value, row: row.line });
      else if (first.value !== value) {
        errors.push({
          field: `row ${row.line}: ${column}`,
          message: `line "${row.line_code}" has ${column} "${String(first.value)}" on row ${first.row}`,
        });
      }
    }
  }
  return { rows, errors };
}

export interface LinePlan {
  code: string;
  name: string;
  status?: (typeof LINE_STATUSES)[number];
  notes?: string | null;
  is_active?: boolean;
}

/** What the file says of each line, merged over its rows (the first spelling of the code wins). */
export function linesOf(rows: readonly ImportRow[]): Map<string, LinePlan> {
  const lines = new Map<string, LinePlan>();
  for (const row of rows) {
    const key = row.line_code.toLowerCase();
    const plan = lines.get(key) ?? { code: row.line_code, name: row.line_name };
    const stated = lineAttributes(row);
    if (stated.line_status !== undefined) plan.status = stated.line_status;
    if (stated.notes !== undefined) plan.notes = stated.notes;
    if (stated.is_active !== undefined) plan.is_active = stated.is_active;
    lines.set(key, plan);
  }
  return lines;
}
