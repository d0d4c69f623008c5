import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
  type TransactionSettings,
} from 'kysely';

/**
 * SQLITE_BUSY / SQLITE_LOCKED (and their extended codes): another connection, often another
 * process such as the CLI, holds the write lock longer than we were willing to wait.
 */
export function isDatabaseBusy(err: unknown): boolean {
  return err instanceof SqliteDatabase.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(err.code);
}

/** The longest pause between two tries for the lock: short, so a freed lock is taken soon. */
const MAX_PAUSE_MS = 50;

/**
 * better-sqlite3 waits for a lock (its busy_timeout) synchronously, with the whole event loop
 * stopped: while the CLI held a write, /healthz and every other account's requests waited too.
 * This dialect opens the connection with no busy wait and waits here instead, asynchronously,
 * trying again until `busyTimeoutMs` has passed; then the SQLITE_BUSY error goes to the caller
 * (the error handler makes it a 503 with Retry-After). Transactions begin IMMEDIATE, so a unit of
 * work takes the write lock at its start (where waiting is safe: nothing has been done yet)
 * rather than failing half way through when its first write finds the lock taken.
 */
export class BusyWaitingSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly busyTimeoutMs: number,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new BusyWaitingDriver(super.createDriver(), this.busyTimeoutMs);
  }
}

class BusyWaitingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly busyTimeoutMs: number,
  ) {}

  init = () => this.inner.init();
  destroy = () => this.inner.destroy();

  async acquireConnection(): Promise<DatabaseConnection> {
    // the time budget starts when the query is asked for, not when the one connection is free:
    // queries queued behind one waiting for the lock must not each wait the whole timeout again
    const deadline = performance.now() + this.busyTimeoutMs;
    return waitingConnection(await this.inner.acquireConnection(), deadline);
  }

  async beginTransaction(connection: DatabaseConnection, _: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  commitTransaction = (c: DatabaseConnection) => this.inner.commitTransaction(c);
  rollbackTransaction = (c: DatabaseConnection) => this.inner.rollbackTransaction(c);
  savepoint: Driver['savepoint'] = (c, name, compile) => this.inner.savepoint!(c, name, compile);
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (c, name, compile) =>
    this.inner.rollbackToSavepoint!(c, name, compile);
  releaseSavepoint: Driver['releaseSavepoint'] = (c, name, compile) =>
    this.inner.releaseSavepoint!(c, name, compile);
  // the inner driver's mutex is released whichever connection object it is handed
  releaseConnection = (c: DatabaseConnection) => this.inner.releaseConnection(c);
}

function waitingConnection(inner: DatabaseConnection, deadline: number): DatabaseConnection {
  return {
    streamQuery: (query, chunkSize) => inner.streamQuery(query, chunkSize),
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      for (let pause = 2; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
        try {
          return await inner.executeQuery<R>(query);
        } catch (err) {
          // real time, not the app's clock: this paces I/O, it is not a business time
          const left = deadline - performance.now();
          if (!isDatabaseBusy(err) || left <= 0) throw err;
          await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
        }
      }
    },
  };
}
