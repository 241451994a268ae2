import { isUtf8 } from 'node:buffer';
import { CsvError, parse } from 'csv-parse/sync';
import { malformed, validationFailed, type FieldError } from '../../platform/errors.ts';
import { instant, MAX_SHOTS } from './tools.dto.ts';

export const SHOTS_CSV_COLUMNS = ['asset_number', 'taken_at', 'counter_value', 'shots', 'note'] as const;
export const MAX_SHOTS_CSV_BYTES = 5 * 1024 * 1024;
export const MAX_SHOTS_CSV_ROWS = 20_000;
const CLOCK_SKEW_MS = 60_000;

export interface CsvShotRow {
  line: number;
  asset_number: string;
  taken_at: Date;
  counter_value: number | null;
  shots: number | null;
  note: string | null;
}

/** Cells a spreadsheet would run as a formula are exported with one leading apostrophe; take it away. */
const unguard = (value: string) => (/^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

function wholeNumber(raw: string): number | null | 'bad' {
  const value = raw.trim().replace(/[\s_]/g, '');
  if (value === '') return null;
  if (!/^\d{1,13}$/.test(value)) return 'bad';
  const number = Number(value);
  return number <= MAX_SHOTS ? number : 'bad';
}

/** `;` when the header line holds more semicolons than commas, `,` otherwise. */
function delimiterOf(text: string): ',' | ';' {
  const header = text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/**
 * Parses a shot-readings CSV: a header naming the columns (any order and case), one reading per row
 * with either counter_value or shots. Every problem comes back as a row-numbered error.
 */
export function parseShotsCsv(bytes: Buffer, now: Date): { rows: CsvShotRow[]; errors: FieldError[] } {
  if (!isUtf8(bytes)) {
    throw malformed('The file is not UTF-8 text; save it as "CSV UTF-8" and send it again');
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw validationFailed('The file is empty: it needs a header line and one row per reading', {
      errors: [{ field: 'file', message: 'empty' }],
    });
  }
  let records: string[][];
  try {
    records = parse(text, { delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    return { rows: [], errors: [{ field: `row ${line}`, message: error.message }] };
  }
  const [header, ...data] = records;
  const errors: FieldError[] = [];
  if (!header) return { rows: [], errors: [{ field: 'row 1', message: 'the header line is missing' }] };
  const positions = new Map<string, number>();
  header.forEach((cell, index) => {
    const name = cell.trim().toLowerCase();
    if (name === '') return;
    if (!(SHOTS_CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({
        field: `row 1: ${cell.trim()}`,
        message: `unknown column; the columns are ${SHOTS_CSV_COLUMNS.join(', ')}`,
      });
    } else if (positions.has(name))
      errors.push({ field: `row 1: ${name}`, message: 'this column appears twice' });
    else positions.set(name, index);
  });
  for (const column of ['asset_number', 'taken_at'])
    if (!positions.has(column)) errors.push({ field: `row 1: ${column}`, message: 'column missing' });
  if (!positions.has('counter_value') && !positions.has('shots'))
    errors.push({ field: 'row 1: counter_value', message: 'a counter_value or a shots column is needed' });
  if (errors.length > 0) return { rows: [], errors };
  if (data.length > MAX_SHOTS_CSV_ROWS) {
    return {
      rows: [],
      errors: [{ field: 'file', message: `${data.length} rows; at most ${MAX_SHOTS_CSV_ROWS} in one file` }],
    };
  }

  const cell = (record: string[], column: string) => {
    const index = positions.get(column);
    return index === undefined ? '' : unguard((record[index] ?? '').trim());
  };
  const rows: CsvShotRow[] = [];
  const seen = new Map<string, number>();
  data.forEach((record, index) => {
    const line = index + 2;
    if (record.every((value) => value.trim() === '')) return;
    const field = (column: string) => `row ${line}: ${column}`;
    const before = errors.length;
    const assetNumber = cell(record, 'asset_number');
    if (!/^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$/.test(assetNumber))
      errors.push({ field: field('asset_number'), message: 'required: the tool’s asset number' });
    const takenAt = instant.safeParse(cell(record, 'taken_at'));
    if (!takenAt.success)
      errors.push({
        field: field('taken_at'),
        message: 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00',
      });
    else if (takenAt.data.getTime() > now.getTime() + CLOCK_SKEW_MS)
      errors.push({ field: field('taken_at'), message: 'must not be in the future' });
    const counter = wholeNumber(cell(record, 'counter_value'));
    const shots = wholeNumber(cell(record, 'shots'));
    if (counter === 'bad') errors.push({ field: field('counter_value'), message: 'a whole number ≥ 0' });
    if (shots === 'bad') errors.push({ field: field('shots'), message: 'a whole number ≥ 0' });
    if (counter !== 'bad' && shots !== 'bad' && (counter === null) === (shots === null))
      errors.push({
        field: field('counter_value'),
        message: 'give either counter_value or shots, not both or neither',
      });
    const note = cell(record, 'note');
    if (note.length > 1000) errors.push({ field: field('note'), message: 'at most 1000 characters' });
    if (errors.length > before || !takenAt.success || counter === 'bad' || shots === 'bad') return;
    const key = `${assetNumber.toLowerCase()}|${takenAt.data.toISOString()}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({ field: field('taken_at'), message: `the same tool and time as row ${earlier}` });
      return;
    }
    seen.set(key, line);
    rows.push({
      line,
      asset_number: assetNumber,
      taken_at: takenAt.data,
      counter_value: counter,
      shots,
      note: note === '' ? null : note,
    });
  });
  return { rows, errors };
}
