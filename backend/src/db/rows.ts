import type {
  Expression,
  ExpressionBuilder,
  Kysely,
  Selectable,
  SqlBool,
  Updateable,
} from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

export type TableName = keyof Database;
export type Row<T extends TableName> = Selectable<Database[T]>;

/** Equality on some of a table's columns; a null value asks for `is null`. */
export type RowKey<T extends TableName> = Partial<Row<T>>;

/**
 * The same database seen without its schema. Kysely cannot type a query on a table chosen by a type
 * parameter, so the helpers below query through this view; their signatures carry the real types.
 */
type UntypedSchema = Record<string, Record<string, unknown>>;
const untyped = (db: Db) => db as unknown as Kysely<UntypedSchema>;

function matches(key: Record<string, unknown>) {
  return (eb: ExpressionBuilder<UntypedSchema, string>): Expression<SqlBool> =>
    eb.and(
      Object.entries(key).map(([column, value]) =>
        value === null ? eb(column, 'is', null) : eb(column, '=', value),
      ),
    );
}

/**
 * The first row whose columns equal `key`, or undefined: what every "one row of this account by id
 * or by key" select says, written once.
 */
export async function findRow<T extends TableName>(
  db: Db,
  table: T,
  key: RowKey<T>,
): Promise<Row<T> | undefined> {
  const row = await untyped(db)
    .selectFrom(table as string)
    .selectAll()
    .where(matches(key))
    .executeTakeFirst();
  return row as Row<T> | undefined;
}

/** Deletes the rows whose columns equal `key`; how many there were. */
export async function deleteRows<T extends TableName>(
  db: Db,
  table: T,
  key: RowKey<T>,
): Promise<number> {
  const result = await untyped(db)
    .deleteFrom(table as string)
    .where(matches(key))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sets `values` on the rows whose columns equal `key`; how many it changed. */
export async function updateRows<T extends TableName>(
  db: Db,
  table: T,
  key: RowKey<T>,
  values: Updateable<Database[T]>,
): Promise<number> {
  const result = await untyped(db)
    .updateTable(table as string)
    .set(values)
    .where(matches(key))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
