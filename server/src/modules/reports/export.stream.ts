import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import type { RequestContext } from '../../platform/auth/actor.ts';
import { parseInput } from '../../platform/validation.ts';
import { guardFormula } from '../plant/index.ts';
import { exportTooLarge, unknownExportFormat } from './reports.errors.ts';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows fetched per call of the list (one keyset page, one short transaction). */
export const EXPORT_CHUNK = 1000;
/** An export larger than this stops with EXPORT_TOO_LARGE: narrow the filters. */
export const MAX_EXPORT_ROWS = 1_000_000;

export interface Page<Row> {
  items: Row[];
  next_cursor: string | null;
}

type Cell = string | number | boolean | Date | null | undefined;

/**
 * One list that can be exported. The export reuses the list's own filter schema, page function and
 * output schema, so a file holds exactly the rows (and the fields) the list endpoint shows for the
 * same filters, only without a page limit.
 */
export interface ExportList {
  name: string;
  /** The names of the list's filters (for the API description). */
  filters: readonly string[];
  /** The query string's filters, validated by the list's own filter schema (422 when wrong). */
  parse(raw: Record<string, unknown>): Record<string, unknown>;
  /** Columns of the CSV, in the order of the list's output fields. */
  columns: readonly string[];
  page(
    ctx: RequestContext,
    query: Record<string, unknown>,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<unknown>>;
  /** A row as the list endpoint sends it, and as the CSV cells of `columns`. */
  json(row: unknown): unknown;
  cells(row: unknown): Cell[];
}

export interface ListSpec<S extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  /** The list endpoint's query schema; it has `cursor` (string → decoded key) and `limit`. */
  filter: S;
  output: O;
  list: (ctx: RequestContext, filter: z.output<S>) => Promise<Page<z.output<O>>>;
  /** Optional flattening of fields that are arrays or objects (default: JSON of the value). */
  cells?: Partial<Record<keyof z.output<O> & string, (row: z.output<O>) => Cell>>;
}

/** Builds the export of one list from its filter schema, output schema and page function. */
export function exportOf<S extends z.ZodObject, O extends z.ZodObject>(spec: ListSpec<S, O>): ExportList {
  const shape = spec.filter.shape as Record<string, z.ZodType>;
  const cursorSchema = shape.cursor;
  if (!cursorSchema || !shape.limit) throw new Error(`list ${spec.name} has no cursor pagination`);
  const columns = Object.keys(spec.output.shape);
  const custom = (spec.cells ?? {}) as Record<string, ((row: z.output<O>) => Cell) | undefined>;
  return {
    name: spec.name,
    filters: Object.keys(shape).filter((key) => key !== 'cursor' && key !== 'limit'),
    parse(raw) {
      const { cursor: _cursor, limit: _limit, ...filters } = raw;
      const {
        cursor: _none,
        limit: _default,
        ...parsed
      } = parseInput(spec.filter, filters) as Record<string, unknown>;
      return parsed;
    },
    columns,
    page(ctx, query, cursor, limit) {
      const filter = {
        ...query,
        // The chunk is larger than the endpoint's page: the service takes the limit it is given.
        limit,
        cursor: cursor === undefined ? undefined : cursorSchema.parse(cursor),
      } as z.output<S>;
      return spec.list(ctx, filter);
    },
    json: (row) => spec.output.parse(row),
    cells(row) {
      const value = spec.output.parse(row) as Record<string, unknown>;
      return columns.map((column) => {
        const flatten = custom[column];
        if (flatten) return flatten(value as z.output<O>);
        return plainCell(value[column]);
      });
    },
  };
}

function plainCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value as Cell;
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
    return value.join('; ');
  }
  return JSON.stringify(value);
}

/** A cell as CSV text: instants in ISO 8601 UTC, formula-like text defused (see plant-csv.format.ts). */
function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'string') return guardFormula(cell);
  return String(cell);
}

export function parseFormat(raw: unknown): ExportFormat {
  const value = raw === undefined ? 'csv' : raw;
  if (typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value)) {
    return value as ExportFormat;
  }
  throw unknownExportFormat(`format must be one of ${EXPORT_FORMATS.join(', ')}`, {
    errors: [{ field: 'querystring.format', message: `one of ${EXPORT_FORMATS.join(', ')}` }],
  });
}

/** CSV: UTF-8 with a BOM (Excel opens it as UTF-8), CRLF line ends. JSON: one array. */
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/**
 * Streams every row of the list that matches the filters, page after page along the list's own
 * keyset cursor. The first page is read before anything is sent, so a refusal (permission, unknown
 * site) is a proper error response; an export that passes `maxRows` is cut off with
 * EXPORT_TOO_LARGE (the download fails rather than ending short).
 */
export async function openExport(
  list: ExportList,
  ctx: RequestContext,
  query: Record<string, unknown>,
  format: ExportFormat,
  limits: ExportLimits = {},
): Promise<AsyncGenerator<string>> {
  const bounds = { maxRows: limits.maxRows ?? MAX_EXPORT_ROWS, chunk: limits.chunk ?? EXPORT_CHUNK };
  const first = await list.page(ctx, query, undefined, bounds.chunk);
  return chunks(list, ctx, query, format, first, bounds);
}

export interface ExportLimits {
  maxRows?: number | undefined;
  chunk?: number | undefined;
}

async function* chunks(
  list: ExportList,
  ctx: RequestContext,
  query: Record<string, unknown>,
  format: ExportFormat,
  first: Page<unknown>,
  { maxRows, chunk }: { maxRows: number; chunk: number },
): AsyncGenerator<string> {
  yield format === 'csv' ? `\uFEFF${stringify([[...list.columns]], { record_delimiter: 'windows' })}` : '[';
  let page = first;
  let count = 0;
  for (;;) {
    count += page.items.length;
    if (count > maxRows) {
      throw exportTooLarge(
        `The export ${list.name} has more than ${maxRows} rows; narrow the filters (period, site, line)`,
      );
    }
    if (page.items.length > 0) {
      if (format === 'csv') {
        yield stringify(
          page.items.map((row) => list.cells(row).map(cellText)),
          { record_delimiter: 'windows' },
        );
      } else {
        const rows = page.items.map((row) => JSON.stringify(list.json(row)));
        yield `${count === page.items.length ? '' : ','}${rows.join(',')}`;
      }
    }
    if (!page.next_cursor) break;
    page = await list.page(ctx, query, page.next_cursor, chunk);
  }
  if (format === 'json') yield ']';
}

export function exportStream(generator: AsyncGenerator<string>): Readable {
  return Readable.from(generator, { objectMode: false });
}
