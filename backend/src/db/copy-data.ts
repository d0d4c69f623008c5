import type SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/**
 * Moves an installation's rows from its SQLite file into PostgreSQL, both already migrated to the
 * same version. One PostgreSQL transaction: a failure half way leaves the target as it was, and
 * nodes never see half of the data. The source is read in one snapshot (WAL), so rows written
 * meanwhile are not half-copied either (stop the SQLite server first to move them all).
 */

/** Tables a migration fills itself (005's webhook cursor, 013's leases): replaced by the source's rows. */
const FILLED_BY_MIGRATIONS = new Set(['webhook_cursor', 'maintenance_leases']);

/** Values per INSERT stay well under PostgreSQL's 65 535 parameters. */
const MAX_PARAMETERS = 30_000;
const MAX_BATCH_ROWS = 1000;

interface TargetColumn {
  name: string;
  /** Numbered by PostgreSQL (bigserial, identity): set past the copied values after the copy. */
  numbered: boolean;
  /** `generated always as identity`: written only with OVERRIDING SYSTEM VALUE. */
  alwaysIdentity: boolean;
}

interface TargetTable {
  name: string;
  columns: TargetColumn[];
}

export interface TableCount {
  table: string;
  rows: number;
}

/** The target holds data already and the copy was not told to replace it. */
export class TargetNotEmpty extends Error {}

export async function copyData(opts: {
  source: SqliteDatabase.Database;
  target: pg.Client;
  /** Empty the target's tables first instead of refusing a target that has rows. */
  replace: boolean;
  /** After each table, its count (for progress). */
  onTable?: (count: TableCount) => void;
}): Promise<TableCount[]> {
  const { source, target } = opts;
  const tables = inForeignKeyOrder(await targetTables(target), await foreignKeys(target));
  const filled = await tablesWithRows(target, tables);
  if (filled.length > 0 && !opts.replace) {
    throw new TargetNotEmpty(
      `the target holds rows already (${filled.join(', ')}); --replace empties it first`,
    );
  }

  // one snapshot of the source for the whole copy
  source.exec('begin');
  await target.query('begin');
  try {
    await target.query(`truncate ${tables.map((t) => ident(t.name)).join(', ')}`);
    // the copy carries the reporting sums as they are: the triggers that keep them must not
    // count the copied calls a second time (ALTER TABLE is transactional: a rollback undoes it)
    for (const t of tables) await target.query(`alter table ${ident(t.name)} disable trigger user`);
    const counts: TableCount[] = [];
    for (const table of tables) {
      const rows = await copyTable(source, target, table);
      counts.push({ table: table.name, rows });
      opts.onTable?.({ table: table.name, rows });
    }
    for (const t of tables) await target.query(`alter table ${ident(t.name)} enable trigger user`);
    await setSequencesPastCopied(target, tables);
    await verifyCounts(source, target, counts);
    await target.query('commit');
    return counts;
  } catch (err) {
    await target.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    source.exec('commit');
  }
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** c2m's tables in the target's schema (the first of its search_path), Kysely's own left out. */
async function targetTables(target: pg.Client): Promise<TargetTable[]> {
  const { rows } = await target.query<{
    table_name: string;
    column_name: string;
    is_identity: string;
    identity_generation: string | null;
    column_default: string | null;
  }>(
    `select c.table_name, c.column_name, c.is_identity, c.identity_generation, c.column_default
       from information_schema.columns c
       join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
        and c.table_name not like 'kysely\\_%' and c.is_generated = 'NEVER'
      order by c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, TargetTable>();
  for (const r of rows) {
    const table = tables.get(r.table_name) ?? { name: r.table_name, columns: [] };
    tables.set(r.table_name, table);
    table.columns.push({
      name: r.column_name,
      numbered: r.is_identity === 'YES' || (r.column_default ?? '').startsWith('nextval('),
      alwaysIdentity: r.identity_generation === 'ALWAYS',
    });
  }
  if (tables.size === 0) throw new Error('the target schema has no tables: is it migrated?');
  return [...tables.values()];
}

/** [child, parent] pairs: a row of `child` may name a row of `parent`. */
async function foreignKeys(target: pg.Client): Promise<[string, string][]> {
  const { rows } = await target.query<{ child: string; parent: string }>(
    `select child.relname as child, parent.relname as parent
       from pg_constraint c
       join pg_class child on child.oid = c.conrelid
       join pg_class parent on parent.oid = c.confrelid
      where c.contype = 'f' and child.relnamespace = current_schema()::regnamespace`,
  );
  return rows.map((r) => [r.child, r.parent]);
}

/** Parents before their children (by name among equals), so every row's references exist. */
function inForeignKeyOrder(tables: TargetTable[], keys: [string, string][]): TargetTable[] {
  const ordered: TargetTable[] = [];
  const placed = new Set<string>();
  const remaining = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (remaining.length > 0) {
    const next = remaining.findIndex((t) =>
      keys.every(([child, parent]) => child !== t.name || parent === t.name || placed.has(parent)),
    );
    if (next < 0)
      throw new Error(`foreign keys form a cycle among ${remaining.map((t) => t.name).join(', ')}`);
    const [table] = remaining.splice(next, 1);
    ordered.push(table);
    placed.add(table.name);
  }
  return ordered;
}

async function tablesWithRows(target: pg.Client, tables: TargetTable[]): Promise<string[]> {
  const filled: string[] = [];
  for (const t of tables) {
    if (FILLED_BY_MIGRATIONS.has(t.name)) continue;
    const { rowCount } = await target.query(`select 1 from ${ident(t.name)} limit 1`);
    if (rowCount) filled.push(t.name);
  }
  return filled;
}

/**
 * Columns only PostgreSQL has, and what a copied row holds in each. The event fan-out's commit
 * order (migration 009): every copied event is history, finished before any transaction to come,
 * so it and the cursor that has read it take the oldest transaction id there is.
 */
const POSTGRES_ONLY: Record<string, Record<string, string>> = {
  events: { xid: '0' },
  webhook_cursor: { last_xid: '0' },
};

/**
 * One table's rows, in batches. A `rowid` identity column (migration 008: PostgreSQL's stand-in
 * for SQLite's insertion order) takes SQLite's own rowid, so rows keep the order they were stored in.
 */
async function copyTable(
  source: SqliteDatabase.Database,
  target: pg.Client,
  table: TargetTable,
): Promise<number> {
  const sourceColumns = new Set(
    (source.pragma(`table_info(${ident(table.name)})`) as { name: string }[]).map((c) => c.name),
  );
  const keepsOrder = table.columns.some((c) => c.name === 'rowid' && c.numbered);
  const given = POSTGRES_ONLY[table.name] ?? {};
  const missing = table.columns.filter(
    (c) => !sourceColumns.has(c.name) && !(c.name === 'rowid' && keepsOrder) && !(c.name in given),
  );
  if (sourceColumns.size === 0) throw new Error(`the source has no table ${table.name}`);
  if (missing.length > 0) {
    throw new Error(`the source's ${table.name} has no ${missing.map((c) => c.name).join(', ')}`);
  }
  const names = table.columns.map((c) => ident(c.name));
  const selected = table.columns.map((c) =>
    c.name in given ? `'${given[c.name]}' as ${ident(c.name)}` : ident(c.name),
  );
  const select = `select ${selected.join(', ')} from ${ident(table.name)}${keepsOrder ? ' order by rowid' : ''}`;
  const overriding = table.columns.some((c) => c.alwaysIdentity) ? ' overriding system value' : '';
  const batchRows = Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / names.length));
  const insert = (count: number) => {
    const tuples = Array.from(
      { length: count },
      (_, r) => `(${names.map((_, c) => `$${r * names.length + c + 1}`).join(', ')})`,
    );
    return `insert into ${ident(table.name)} (${names.join(', ')})${overriding} values ${tuples.join(', ')}`;
  };

  let copied = 0;
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await target.query(insert(batch.length), batch.flat());
    copied += batch.length;
    batch = [];
  };
  for (const row of source.prepare(select).raw(true).iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length === batchRows) await flush();
  }
  await flush();
  return copied;
}

/** Each numbered column's next value past the largest copied one, so new rows never collide. */
async function setSequencesPastCopied(target: pg.Client, tables: TargetTable[]): Promise<void> {
  for (const table of tables) {
    for (const column of table.columns.filter((c) => c.numbered)) {
      await target.query(
        `select setval(pg_get_serial_sequence($1, $2),
                       coalesce((select max(${ident(column.name)}) from ${ident(table.name)}), 0) + 1,
                       false)`,
        [ident(table.name), column.name],
      );
    }
  }
}

/** The target's counts, read back in the copy's transaction, against the source's snapshot. */
async function verifyCounts(
  source: SqliteDatabase.Database,
  target: pg.Client,
  counts: TableCount[],
): Promise<void> {
  for (const { table, rows } of counts) {
    const sourceRows = (
      source.prepare(`select count(*) as n from ${ident(table)}`).get() as { n: number }
    ).n;
    const { rows: found } = await target.query<{ n: number }>(
      `select count(*)::int as n from ${ident(table)}`,
    );
    const targetRows = found[0]?.n;
    if (sourceRows !== rows || targetRows !== rows) {
      throw new Error(
        `${table}: the source has ${sourceRows} rows, ${rows} were copied, the target counts ${targetRows}`,
      );
    }
  }
}
