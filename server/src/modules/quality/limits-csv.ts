import { isUtf8 } from 'node:buffer';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { defineError, malformed, validationFailed, type FieldError } from '../../platform/errors.ts';
import { limitProblems, productCode, testStep, unit } from './limits.dto.ts';
import type { LimitRow } from './limits.repository.ts';

/**
 * Spec limits to and from CSV, the way the plant's CSV works (docs/plant-csv.md): UTF-8 with or
 * without a BOM, `,` or `;`, columns in any order and case, row-numbered errors, formula guard.
 */

/** The columns of an export, in order. */
export const EXPORT_COLUMNS = [
  'site_code',
  'product_id',
  'test_step',
  'lower_limit',
  'upper_limit',
  'target',
  'unit',
  'effective_from',
] as const;
/** An import takes the export's columns, or site_id instead of (or beside) site_code. */
export const IMPORT_COLUMNS = [...EXPORT_COLUMNS, 'site_id'] as const;
export type LimitCsvColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly LimitCsvColumn[] = ['product_id', 'test_step'];

export const MAX_CSV_BYTES = 5 * 1024 * 1024;
export const MAX_CSV_ROWS = 20_000;
const MAX_LISTED_ERRORS = 200;

export const csvEmpty = defineError('invalid', 'CSV_EMPTY');

/**
 * Formula injection (OWASP "CSV Injection"): text cells that start with = + - @, tab or carriage
 * return are exported with a leading apostrophe; the import takes exactly one away. Numbers are
 * written as numbers (a negative limit is not a formula).
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;
export const guardFormula = (value: string) => (FORMULA_LIKE.test(value) ? `'${value}` : value);
export const unguardFormula = (value: string) => (ESCAPED_FORMULA.test(value) ? value.slice(1) : value);

/** Bytes → text: refuses what is not UTF-8 (400) and an empty file (422); drops a BOM. */
export function decodeCsv(bytes: Buffer): string {
  if (!isUtf8(bytes)) {
    throw Object.assign(malformed('The file is not UTF-8 text; save it as "CSV UTF-8" and send it again'), {
      statusCode: 400,
    });
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw csvEmpty('The file is empty: it needs a header line and one row per limit version', {
      errors: [{ field: 'file', message: 'empty' }],
    });
  }
  return text;
}

/** `;` when the header line holds more semicolons than commas (outside quotes), `,` otherwise. */
function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ',') commas += 1;
    else if (!quoted && char === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

export interface CsvRecord {
  /** The line of the file where the record starts (the header is line 1). */
  line: number;
  cells: Partial<Record<LimitCsvColumn, string>>;
}

export interface ParsedCsv {
  columns: ReadonlySet<LimitCsvColumn>;
  records: CsvRecord[];
  errors: FieldError[];
  /** `;` files come from spreadsheets that write decimal commas (80,5). */
  delimiter: ',' | ';';
}

const LINE_BREAK = /\r\n|\r|\n/g;
const LEADING_BREAKS = /^(?:\r\n|\r|\n)*/;
const countBreaks = (text: string) => text.match(LINE_BREAK)?.length ?? 0;

/** Splits the text into header and records; structural problems come back as row-numbered errors. */
export function parseCsv(text: string): ParsedCsv {
  const delimiter = detectDelimiter(text);
  const empty: ParsedCsv = { columns: new Set(), records: [], errors: [], delimiter };
  let raw: { record: string[]; raw: string }[];
  try {
    raw = parse(text, {
      delimiter,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; raw: string }[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    return { ...empty, errors: [{ field: `row ${line}`, message: error.message }] };
  }

  // Line numbers are counted here: csv-parse's own count is off for CRLF breaks inside quoted cells.
  let linesBefore = 0;
  const rows = raw.map(({ record, raw: source }) => {
    const line = linesBefore + 1 + countBreaks(source.match(LEADING_BREAKS)?.[0] ?? '');
    linesBefore += countBreaks(source);
    return { line, record };
  });
  const [header, ...data] = rows;
  if (!header) return { ...empty, errors: [{ field: 'row 1', message: 'the header line is missing' }] };

  const errors: FieldError[] = [];
  const positions = new Map<LimitCsvColumn, number>();
  header.record.forEach((cell, index) => {
    const name = cell.trim().toLowerCase();
    const field = `row ${header.line}: ${cell.trim() || `column ${index + 1}`}`;
    if (name === '' && data.every(({ record }) => (record[index] ?? '').trim() === '')) return;
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ field, message: `unknown column; the columns are ${IMPORT_COLUMNS.join(', ')}` });
    } else if (positions.has(name as LimitCsvColumn)) {
      errors.push({ field, message: 'this column appears twice' });
    } else positions.set(name as LimitCsvColumn, index);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!positions.has(column))
      errors.push({ field: `row ${header.line}: ${column}`, message: 'column missing' });
  }
  if (!positions.has('lower_limit') && !positions.has('upper_limit')) {
    errors.push({
      field: `row ${header.line}: lower_limit`,
      message: 'give a lower_limit or upper_limit column',
    });
  }

  const records: CsvRecord[] = [];
  for (const { line, record } of data) {
    // Spreadsheets leave rows of empty cells (";;;;") at the end of a sheet: they are not rows.
    if (record.every((cell) => cell.trim() === '')) continue;
    const cells: CsvRecord['cells'] = {};
    for (const [column, index] of positions) cells[column] = unguardFormula(record[index] ?? '');
    if (record.length > header.record.length) {
      errors.push({
        field: `row ${line}`,
        message: `${record.length} cells, but the header has ${header.record.length}`,
      });
    }
    records.push({ line, cells });
  }
  if (records.length > MAX_CSV_ROWS) {
    errors.push({ field: 'file', message: `${records.length} rows; at most ${MAX_CSV_ROWS} in one file` });
  }
  return { columns: new Set(positions.keys()), records, errors, delimiter };
}

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const STAMP =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const STAMP_HINT = 'a date and time like 2026-03-01 06:00 or 2026-03-01T06:00:00+01:00';

/** A cell's number: a dot decimal, or a comma decimal in a `;` file. Blank is no limit. */
function numberCell(decimalComma: boolean) {
  return z.preprocess(
    (value) => {
      if (typeof value !== 'string') return value;
      const text = value.trim();
      if (text === '') return null;
      if (decimalComma && DECIMAL_COMMA.test(text)) return Number(text.replace(',', '.'));
      return NUMBER.test(text) ? Number(text) : text;
    },
    z.number({ error: 'a number, e.g. 80.5' }).finite('a finite number').nullable(),
  );
}

/** A moment's text as ISO 8601 (offset kept when given): the site's zone applies to the rest later. */
const stampCell = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .transform((value, context) => {
      const match = STAMP.exec(value);
      const iso = match ? `${match[1]}T${match[2] ?? '00:00'}${match[3] ?? ''}` : '';
      if (!match || !DateTime.fromISO(iso, { zone: 'UTC' }).isValid) {
        context.addIssue({ code: 'custom', message: STAMP_HINT });
        return z.NEVER;
      }
      return iso;
    })
    .optional(),
);

function rowSchema(decimalComma: boolean) {
  return z
    .object({
      site_code: z.preprocess(blankToUndefined, z.string().trim().max(40).optional()),
      site_id: z.preprocess(
        blankToUndefined,
        z.coerce.number({ error: 'a site id' }).int('a site id').positive('a site id').optional(),
      ),
      product_id: z.preprocess(blankToUndefined, productCode),
      test_step: z.preprocess(blankToUndefined, testStep),
      lower_limit: numberCell(decimalComma).optional(),
      upper_limit: numberCell(decimalComma).optional(),
      target: numberCell(decimalComma).optional(),
      unit,
      effective_from: stampCell,
    })
    .superRefine((row, context) => {
      for (const { field, message } of limitProblems(row)) {
        context.addIssue({ code: 'custom', path: [field], message });
      }
    });
}
export type LimitCsvRow = z.output<ReturnType<typeof rowSchema>> & { line: number };

/** Every row through the rules of one version; problems come back as "row N: column". */
export function validateRows(parsed: ParsedCsv): { rows: LimitCsvRow[]; errors: FieldError[] } {
  const errors = [...parsed.errors];
  const rows: LimitCsvRow[] = [];
  const schema = rowSchema(parsed.delimiter === ';');
  for (const record of parsed.records) {
    const result = schema.safeParse(record.cells);
    if (result.success) {
      rows.push({ ...result.data, line: record.line });
      continue;
    }
    for (const issue of result.error.issues) {
      const column = String(issue.path[0] ?? 'row') as LimitCsvColumn;
      const blank = (record.cells[column] ?? '').trim() === '';
      const message = issue.code === 'invalid_type' && blank ? 'required' : issue.message;
      errors.push({ field: `row ${record.line}: ${column}`, message });
    }
  }
  return { rows, errors };
}

/** The instant of a cell's ISO text: its own offset, or the site's time zone. */
export function instantIn(iso: string, timeZone: string): Date {
  return DateTime.fromISO(iso, { zone: timeZone }).toJSDate();
}

/** One export row; effective_from on the site's clock with its offset. */
export function exportRow(limit: LimitRow, site: { code: string; time_zone: string }) {
  const number = (value: number | null) => (value === null ? '' : String(value));
  return {
    site_code: site.code,
    product_id: limit.product_id,
    test_step: limit.test_step,
    lower_limit: number(limit.lower_limit),
    upper_limit: number(limit.upper_limit),
    target: number(limit.target),
    unit: limit.unit ?? '',
    effective_from:
      DateTime.fromJSDate(limit.effective_from, { zone: site.time_zone }).toISO({
        suppressMilliseconds: true,
      }) ?? limit.effective_from.toISOString(),
  };
}

const TEXT_COLUMNS = new Set<string>(['site_code', 'product_id', 'test_step', 'unit']);

/** UTF-8 text with a BOM (Excel opens it as UTF-8) and CRLF line ends, as RFC 4180 has it. */
export function toCsv(rows: readonly ReturnType<typeof exportRow>[]): string {
  const body = stringify(
    rows.map((row) =>
      EXPORT_COLUMNS.map((column) => (TEXT_COLUMNS.has(column) ? guardFormula(row[column]) : row[column])),
    ),
    { header: false, record_delimiter: 'windows' },
  );
  return `\uFEFF${stringify([[...EXPORT_COLUMNS]], { record_delimiter: 'windows' })}${body}`;
}

/** A 422 listing the problems (the first 200); nothing was stored. */
export function invalidFile(errors: readonly FieldError[]) {
  const more = errors.length - MAX_LISTED_ERRORS;
  const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
  const listed = more > 0 ? ` (the first ${MAX_LISTED_ERRORS} are listed, ${more} more are not)` : '';
  return validationFailed(`The file has ${count}${listed}; nothing was imported`, {
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  });
}
