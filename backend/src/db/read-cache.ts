import type { Db } from './database.js';

const TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

/**
 * A one-second memo of the configuration reads (account, handoff, skill) that every IVR request
 * makes and that rarely change. Writes made through the repos clear it at once; a change made by
 * another process (the CLI) is seen within a second. Credentials are never cached: a revocation
 * counts at once. Reads inside a transaction always go to the database. Each app has its own
 * (server.ts), so two apps in one process never answer from each other's memo.
 */
export class ReadCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  read<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
    if (db.isTransaction) return read();
    // real time, not the app's clock: this paces reads, it is not a business time
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const value = read();
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** After a write to configuration: every later read goes to the database again. */
  forget(): void {
    this.entries.clear();
  }
}

/** The database and the app's memo of it: what a cached read, or a write that clears it, needs. */
export interface CachedDb {
  db: Db;
  reads: ReadCache;
}
