/**
 * The Kysely view of the database. Each module adds its own tables to this interface from its
 * `*.schema.ts` file (declaration merging), so no file lists every table of every module.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Tables {}
