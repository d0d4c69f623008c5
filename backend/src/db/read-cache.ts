import { localBus, type ClusterBus } from '../shared-state/bus.js';
import type { Db } from './database.js';

const TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

/**
 * A memo of the reads every IVR request makes and that rarely change: account, handoff, skill and
 * credential. Writes made through the repos clear it at once, on every node (`bus`); a commit by
 * any other connection to the file (the CLI) clears it before the next read, when
 * `committedElsewhere` says so. Entries
 * also expire after a second. Reads inside a transaction always go to the database. Each app has
 * its own (server.ts), so two apps in one process never answer from each other's memo.
 */
export class ReadCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();
  private seenVersion: number | undefined;
  /** Asked once per turn of the event loop: a request's reads share one answer. */
  private askedThisTurn = false;

  /**
   * `committedElsewhere`: a number that changes whenever another connection commits (SQLite's
   * `data_version`, see database.ts); without it, another process's change is seen within a second.
   */
  constructor(
    private readonly committedElsewhere: () => number = () => 0,
    private readonly bus: ClusterBus = localBus,
  ) {
    bus.hear('reads-changed', () => this.entries.clear());
  }

  read<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
    if (db.isTransaction) return read();
    this.forgetOthersCommits();
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

  /**
   * Clears the memo if another connection committed since the last look. Looked at once per turn
   * of the event loop (the question costs a few microseconds): what was committed elsewhere
   * before this turn began is seen in it.
   */
  private forgetOthersCommits(): void {
    if (this.askedThisTurn) return;
    this.askedThisTurn = true;
    setImmediate(() => (this.askedThisTurn = false));
    const version = this.committedElsewhere();
    if (version !== this.seenVersion) {
      this.entries.clear();
      this.seenVersion = version;
    }
  }

  /** After a write to configuration: every later read, on every node, goes to the database again. */
  forget(): void {
    this.entries.clear();
    this.bus.tell('reads-changed', null);
  }
}

/** The database and the app's memo of it: what a cached read, or a write that clears it, needs. */
export interface CachedDb {
  db: Db;
  reads: ReadCache;
}
