/** A reading as adapters hand it to the writer: one number of one machine at one instant. */
export interface ReadingRow {
  site_id: number;
  machine_id: number;
  /** Lower-case, like temperature, pressure or spindle_speed (^[a-z][a-z0-9_]{0,39}$). */
  reading_type: string;
  /** Finite. */
  value: number;
  /** Up to 20 characters, or null. */
  unit: string | null;
  recorded_at: Date;
}

/** What one batch stored for one machine and reading type (rows already stored are not counted). */
export interface StoredPair {
  site_id: number;
  machine_id: number;
  reading_type: string;
  n: number;
  min: number;
  max: number;
  first_at: Date;
  last_at: Date;
}

/** Rollup bucket widths the charts read, and raw rows. */
export const SERIES_BUCKETS = ['raw', '1m', '1h'] as const;
export type SeriesBucket = (typeof SERIES_BUCKETS)[number];

export const READING_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
