// The few SQL expressions the two engines spell differently, each written once for both. A repo
// builds its query with these where it would otherwise have to know which engine runs it.
import { sql, type RawBuilder } from 'kysely';
import { isPostgres } from './engine.js';

interface HasAdapter {
  getExecutor(): { adapter: unknown };
}

/**
 * The elements of a JSON array held in a column (text on SQLite, text or jsonb on PostgreSQL),
 * as a FROM source named `alias` with a
 * `value` per element and a `key` in array order (SQLite's json_each, PostgreSQL's
 * jsonb_array_elements with its ordinality).
 */
export function jsonElements(db: HasAdapter, column: string, alias: string): RawBuilder<unknown> {
  return isPostgres(db)
    ? sql.raw(`jsonb_array_elements(${column}::jsonb) with ordinality as ${alias}(value, key)`)
    : sql.raw(`json_each(${column}) as ${alias}`);
}

/** A text field of a JSON element (`alias.value`), null where it is missing. */
export function jsonText(db: HasAdapter, alias: string, field: string): RawBuilder<string | null> {
  return isPostgres(db)
    ? sql.raw(`(${alias}.value->>'${field}')`)
    : sql.raw(`json_extract(${alias}.value, '$.${field}')`);
}

/** True where a JSON element's `field` is the JSON value true. */
export function jsonIsTrue(db: HasAdapter, alias: string, field: string): RawBuilder<boolean> {
  return isPostgres(db)
    ? sql.raw(`(${alias}.value->'${field}' = 'true'::jsonb)`)
    : sql.raw(`(json_extract(${alias}.value, '$.${field}') = 1)`);
}

/** A column compared and sorted without regard to letter case. */
export function caseFolded(db: HasAdapter, column: string): RawBuilder<string> {
  return isPostgres(db) ? sql.raw(`lower(${column})`) : sql.raw(`${column} collate nocase`);
}

/** Where `text` contains `fragment` (lower case) anywhere, letter case aside; no wildcards. */
export function containsFolded(
  db: HasAdapter,
  column: string,
  fragment: string,
): RawBuilder<boolean> {
  const lowered = fragment.toLowerCase();
  return isPostgres(db)
    ? sql<boolean>`strpos(lower(${sql.raw(column)}), ${lowered}) > 0`
    : sql<boolean>`instr(lower(${sql.raw(column)}), ${lowered}) > 0`;
}
