import { loadConfig, publicBaseUrl, type Config } from '../config.js';
import type { Db } from '../db/database.js';
import { ReadCache } from '../db/read-cache.js';
import { createUnitOfWork } from '../db/unit-of-work.js';
import type { AppUnitOfWork } from '../modules/events/domain-events.js';
import { findAccount, type Account } from '../modules/accounts/accounts.repo.js';
import { openDataDir } from '../server.js';
import { UsageError, type Flags, type OptionSpec } from './args.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** What a command runs against: the same data dir, secret and migrations as the server. */
export interface CliContext extends CliIo {
  config: Config;
  db: Db;
  /**
   * Writes that record events. Nothing listens in this process: a running server learns of them
   * from the events table (webhooks) or its next poll.
   */
  uow: AppUnitOfWork;
  /** The repos' memo of configuration reads; one command lives too short to use it much. */
  reads: ReadCache;
  /** Encrypts stored OAuth 1.0a secrets; derived from the data dir's secret as the server does. */
  encryptionKey: Buffer;
  /** Where clients reach the server, for token URLs and the demo's curl example. */
  baseUrl: string;
  now: () => number;
}

export interface Command {
  /** The words that select it, e.g. `handoff create`. */
  name: string;
  summary: string;
  /** The help text's flags: [flag, description]; an empty flag continues the line above. */
  usage: [string, string][];
  options: OptionSpec;
  run(ctx: CliContext, flags: Flags): Promise<void>;
}

/**
 * Opens the data dir named by C2M_DATA_DIR. SQLite in WAL mode lets this run beside a live server:
 * each command is one short write (a statement or a small transaction), and a write that finds
 * the server's lock taken waits up to C2M_SQLITE_BUSY_TIMEOUT_MS for it.
 */
export async function openContext(
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<CliContext & { close(): Promise<void> }> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { db, sqlite, keys } = await openDataDir(config);
  return {
    ...io,
    config,
    db,
    uow: createUnitOfWork(db),
    reads: new ReadCache(),
    encryptionKey: keys.secrets,
    baseUrl: publicBaseUrl(config),
    now: Date.now,
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}

/** The account named by `--account`, or a usage error that says it does not exist. */
export async function accountFlag(ctx: CliContext, flags: Flags): Promise<Account> {
  const id = flags.required('account');
  const account = await findAccount(ctx, id);
  if (!account) throw new UsageError(`--account: no account ${id} in ${ctx.config.dataDir}`);
  return account;
}

/** True for a write refused by a UNIQUE constraint (a duplicate name or title). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
