import { isUtf8 } from 'node:buffer';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { defineError, malformed, type FieldError } from '../../platform/errors.ts';
import type { LineOutput, MachineOutput } from './plant.dto.ts';

/** The columns of an export, in order; an import accepts the same names in any order and case. */
export const CSV_COLUMNS = [
  'line_code',
  'line_name',
  'line_status',
  'machine_code',
  'machine_name',
  'asset_number',
  'serial_number',
  'manufacturer',
  'model',
  'machine_type',
  'machine_status',
  'criticality',
  'commissioned_on',
  'notes',
  'is_active',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly CsvColumn[] = ['line_code', 'line_name'];

export const MAX_CSV_BYTES = 5 * 1024 * 1024;
export const MAX_CSV_ROWS = 20_000;

export const csvEmpty = defineError('invalid', 'CSV_EMPTY');

/** One data row: `line` is the line of the file where the record starts (the header is line 1). */
export interface CsvRecord {
  line: number;
  cells: Partial<Record<CsvColumn, string>>;
}

export interface ParsedCsv {
  columns: ReadonlySet<CsvColumn>;
  records: CsvRecord[];
  errors: FieldError[];
}

/**
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with = + - @, tab or
 * carriage return as a formula. Such cells are exported with a leading apostrophe, which spreadsheets
 * show as text. A value that already starts with apostrophes before such a character gets one more, and
 * the import takes exactly one away, so every value survives export → import unchanged.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;

export function guardFormula(value: string): string {
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

export function unguardFormula(value: string): string {
  return ESCAPED_FORMULA.test(value) ? value.slice(1) : value;
}

/** UTF-8 text with a BOM (Excel opens it as UTF-8) and CRLF line ends, as RFC 4180 has it. */
export function toCsv(rows: readonly Record<CsvColumn, string>[]): string {
  const body = stringify(
    rows.map((row) => CSV_COLUMNS.map((column) => guardFormula(row[column]))),
    { header: false, record_delimiter: 'windows' },
  );
  return `\uFEFF${stringify([[...CSV_COLUMNS]], { record_delimiter: 'windows' })}${body}`;
}

/** Bytes → text: refuses what is not UTF-8 (400) and a file without a header (422); drops a BOM. */
export function decodeCsv(bytes: Buffer): string {
  if (!isUtf8(bytes)) {
    throw Object.assign(malformed('The file is not UTF-8 text; save it as "CSV UTF-8" and send it again'), {
      statusCode: 400,
    });
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw csvEmpty('The file is empty: it needs a header line and one row per machine or line', {
      errors: [{ field: 'file', message: 'empty' }],
    });
  }
  return text;
}

/** `;` when the header line holds more semicolons than commas (outside quotes), `,` otherwise. */
export function detectDelimiter(text: string): ',' | ';' {
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

const LINE_BREAK = /\r\n|\r|\n/g;
const LEADING_BREAKS = /^(?:\r\n|\r|\n)*/;
const countBreaks = (text: string) => text.match(LINE_BREAK)?.length ?? 0;

/** Splits the text into header and records; structural problems come back as row-numbered errors. */
export function parseCsv(text: string): ParsedCsv {
  const empty: ParsedCsv = { columns: new Set(), records: [], errors: [] };
  let raw: { record: string[]; raw: string }[];
  try {
    raw = parse(text, {
      delimiter: detectDelimiter(text),
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
  const positions = new Map<CsvColumn, number>();
  header.record.forEach((cell, index) => {
    const name = cell.trim().toLowerCase();
    const field = `row ${header.line}: ${cell.trim() || `column ${index + 1}`}`;
    if (name === '' && data.every(({ record }) => (record[index] ?? '').trim() === '')) return;
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ field, message: `unknown column; the columns are ${CSV_COLUMNS.join(', ')}` });
    } else if (positions.has(name as CsvColumn)) {
      errors.push({ field, message: 'this column appears twice' });
    } else positions.set(name as CsvColumn, index);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!positions.has(column))
      errors.push({ field: `row ${header.line}: ${column}`, message: 'column missing' });
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
  return { columns: new Set(positions.keys()), records, errors };
}

/** One export row: a machine with its line, or a line without machines (notes and is_active are then the line's). */
export function exportRow(line: LineOutput, machine?: MachineOutput): Record<CsvColumn, string> {
  const text = (value: string | null | undefined) => value ?? '';
  return {
    line_code: line.code,
    line_name: line.name,
    line_status: line.status,
    machine_code: text(machine?.code),
    machine_name: text(machine?.name),
    asset_number: text(machine?.asset_number),
    serial_number: text(machine?.serial_number),
    manufacturer: text(machine?.manufacturer),
    model: text(machine?.model),
    machine_type: text(machine?.machine_type),
    machine_status: text(machine?.status),
    criticality: text(machine?.criticality),
    commissioned_on: text(machine?.commissioned_on),
    notes: text(machine ? machine.notes : line.notes),
    is_active: String(machine ? machine.is_active : line.is_active),
  };
}

/** YYYY-MM-DD of `at` on the site's clock. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .formatToParts(at)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}
