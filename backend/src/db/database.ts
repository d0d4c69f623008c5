import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type PostgresPool,
  type PostgresPoolClient,
} from 'kysely';
import { fromDatabase } from './unreachable.js';
import pg from 'pg';
import { BusyWaitingSqliteDialect } from './busy.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** The database file inside c2m's data dir. */
export const databaseFile = (dataDir: string): string => join(dataDir, 'c2m.sqlite');

export interface OpenedDatabase {
  db: Db;
  /** SQLite's raw handle, for the few things Kysely does not cover (checkpoint); none on PostgreSQL. */
  sqlite: SqliteDatabase.Database | undefined;
  /** Where the reporting threads open their own connections: the file, or the PostgreSQL URL. */
  source: string;
  close(): Promise<void>;
}

/** The embedded file, whose raw handle is always there. */
export interface OpenedSqlite extends OpenedDatabase {
  sqlite: SqliteDatabase.Database;
}

/** Where the database of `config` lives: PostgreSQL's URL when one is set, else the data dir's file. */
export const databaseSource = (config: { dataDir: string; database: { url?: string } }): string =>
  config.database.url ?? databaseFile(config.dataDir);

const isPostgresUrl = (source: string) => /^postgres(ql)?:/.test(source);

// PostgreSQL's bigint (epoch milliseconds, counts) and numeric (sums) arrive as strings by default;
// every such value c2m stores is far inside a double's exact range, so they are numbers, as on SQLite
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);
// jsonb columns (a handoff's channels) are read as the JSON text the repos parse, as on SQLite
pg.types.setTypeParser(pg.types.builtins.JSONB, (text) => text);

/** The host, port and database of a PostgreSQL URL, for messages: never its password. */
export function describePostgresUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/**
 * Opens PostgreSQL through a pool of `poolSize` connections. A connection that cannot be made in
 * a few seconds fails the query that needed it (503 upstream), rather than queueing without end;
 * an idle connection that breaks is dropped from the pool, not thrown at the process.
 */
export function openPostgres(
  url: string,
  opts: { poolSize: number; readOnly?: boolean; onIdleError?: (err: Error) => void },
): OpenedDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // a query stuck behind a lost network must not hold a request forever
    query_timeout: 30_000,
    ...(opts.readOnly ? { options: readOnlyOptions(url) } : {}),
  });
  pool.on('error', (err) => opts.onIdleError?.(err));
  pool.on('connect', (client) => client.on('error', brokenInUse));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: markingFaults(pool) }) });
  return { db, sqlite: undefined, source: url, close: () => db.destroy() };
}

/**
 * The pool as Kysely uses it, every error it throws marked as the database's (unreachable.ts):
 * only then is a refused or cut connection PostgreSQL being away, not a client or provider's.
 */
function markingFaults(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect().catch((err: unknown) => {
        throw fromDatabase(err);
      });
      return {
        query: (sql: string, parameters: readonly unknown[]) =>
          client.query(sql, [...parameters]).catch((err: unknown) => {
            throw fromDatabase(err);
          }),
        release: () => client.release(),
        // Kysely's other form, a cursor, serves its stream(): c2m streams with a client of its
        // own (readInChunks), so only the form above is ever called
      } as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

/**
 * A connection that breaks while checked out (PostgreSQL restarted, the network cut): the query
 * it runs fails with the error, which answers 503 upstream, and the pool drops the connection when
 * it is released. Its `error` event is already handled that way; with no listener it would be
 * thrown at the process and end it.
 */
function brokenInUse(): void {}

/** The URL's own `options` (a test's search_path) with read-only transactions added. */
function readOnlyOptions(url: string): string {
  const own = new URL(url).searchParams.get('options');
  return [own, '-c default_transaction_read_only=on'].filter(Boolean).join(' ');
}

/** Opens the database `source` names: a PostgreSQL URL, or the SQLite file. */
export function openDatabaseAt(
  source: string,
  opts: {
    synchronous: 'normal' | 'full';
    busyTimeoutMs: number;
    poolSize: number;
    onIdleError?: (err: Error) => void;
  },
): OpenedDatabase {
  return isPostgresUrl(source) ? openPostgres(source, opts) : openDatabase(source, opts);
}

/**
 * Opens the embedded SQLite database: WAL (readers never block the one writer), foreign keys on.
 * A write that finds the lock taken (the CLI writing beside the server) waits up to
 * `busyTimeoutMs` without stopping the event loop (see busy.ts), then fails as SQLITE_BUSY.
 * `synchronous` NORMAL (the default) survives any crash of the process, SIGKILL included; FULL
 * also survives a power loss at the price of a disk sync on every commit.
 */
export function openDatabase(
  file: string,
  opts: { synchronous: 'normal' | 'full'; busyTimeoutMs: number },
): OpenedSqlite {
  const sqlite = new SqliteDatabase(file);
  // switching to WAL may wait synchronously: nothing is being served yet
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  // from here on every wait for a lock is the dialect's, off the event loop
  sqlite.pragma('busy_timeout = 0');
  const db = new Kysely<Database>({
    dialect: new BusyWaitingSqliteDialect(
      { database: withStatementCache(sqlite) },
      opts.busyTimeoutMs,
    ),
  });
  return {
    db,
    sqlite,
    source: file,
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}

/**
 * A number that changes whenever another connection (another process, the CLI say) commits to the
 * database `sqlite` is open on; this connection's own commits leave it alone. A cached read that
 * was true before such a commit may not be true after it (read-cache.ts).
 */
export function commitsElsewhere(sqlite: SqliteDatabase.Database): () => number {
  const version = sqlite.prepare('pragma data_version').pluck();
  return () => version.get() as number;
}

/**
 * A read-only connection to the same database, for a worker thread's heavy reads: on SQLite, WAL
 * lets it read a snapshot while the server's connection writes; on PostgreSQL it is a small pool
 * of its own whose transactions are read-only.
 */
export function openReadOnly(source: string): Db {
  if (isPostgresUrl(source)) return openPostgres(source, { poolSize: 2, readOnly: true }).db;
  const file = source;
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  // long reads visit index pages all over the file: a bigger cache and mmap save the copies
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs as much as running a small one. Statements
 * are kept by SQL text (least recently used dropped past a bound, as `in (…)` lists vary). Reusing
 * one is safe: Kysely runs one query at a time on its single connection.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-insert: the Map's order is the recency order
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Streams a query's rows in chunks from a read-only connection of its own: a long read (an export
 * of millions of rows) neither holds the connection the API shares nor blocks writers (WAL), and
 * it gives the event loop back between chunks. The rows are those of one snapshot.
 */
export async function* readInChunks<R>(
  source: string,
  query: { sql: string; parameters: readonly unknown[] },
  chunkRows: number,
): AsyncGenerator<R[]> {
  if (isPostgresUrl(source)) {
    yield* readInChunksPostgres<R>(source, query, chunkRows);
    return;
  }
  const file = source;
  const reader = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  // a long read visits index pages all over the file: a bigger cache and mmap save the copies
  reader.pragma('cache_size = -65536');
  reader.pragma('mmap_size = 268435456');
  // rows as arrays, made into objects here: a third faster than the driver's objects
  const statement = reader.prepare(query.sql).raw(true);
  const names = statement.columns().map((c) => c.name);
  const rows = statement.iterate(...query.parameters) as IterableIterator<unknown[]>;
  try {
    let chunk: R[] = [];
    for (const values of rows) {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
      chunk.push(row as R);
      if (chunk.length === chunkRows) {
        yield chunk;
        chunk = [];
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (chunk.length) yield chunk;
  } finally {
    rows.return?.();
    reader.close();
  }
}

/**
 * PostgreSQL's way: a cursor in one read-only, repeatable-read transaction on a connection of its
 * own, fetched `chunkRows` at a time, so the rows are those of one snapshot and memory stays flat.
 */
async function* readInChunksPostgres<R>(
  url: string,
  query: { sql: string; parameters: readonly unknown[] },
  chunkRows: number,
): AsyncGenerator<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', brokenInUse);
  await client.connect();
  try {
    await client.query('begin transaction isolation level repeatable read read only');
    await client.query(`declare c2m_chunks no scroll cursor for ${query.sql}`, [
      ...query.parameters,
    ]);
    for (;;) {
      const { rows } = await client.query(`fetch ${chunkRows} from c2m_chunks`);
      if (rows.length) yield rows as R[];
      if (rows.length < chunkRows) break;
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}

/**
 * Runs `work` in a transaction, or in the caller's when there already is one, so a repo function
 * that needs atomicity can be called alone or as part of a larger unit of work.
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
