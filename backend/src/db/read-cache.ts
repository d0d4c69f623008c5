import type { Db } from './database.js';

const TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

/**
 * A one-second memo of the configuration reads (account, handoff, skill) that every IVR request
 * makes and that rarely change. Writes made through the repos clear it at once; a change made by
 * another process (the CLI) is seen within a second. Credentials are never cached: a revocation
 * counts at once. Reads inside a transaction always go to the database.
 */
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

export function cachedRead<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
  if (db.isTransaction) return read();
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const value = read();
  cache.set(key, { at: now, value });
  value.catch(() => cache.delete(key));
  return value;
}

/** After a write to configuration: every later read goes to the database again. */
export function forgetCachedReads(): void {
  cache.clear();
}
