import { loadConfig, type Config } from '../config.js';
import { serverUrl } from '../server-url.js';
import type { Clock } from '../clock.js';
import { getAccount, type Account } from '../modules/accounts/accounts.service.js';
import type { AppDeps } from '../modules/deps.js';
import type { SetupDeps } from '../modules/providers/providers.service.js';
import { checkOutboundUrl } from '../outbound/outbound-url.js';
import { ReadCache } from '../db/read-cache.js';
import { createUnitOfWork } from '../db/unit-of-work.js';
import { openDataDir } from '../server.js';
import { openSharedState, type SharedState } from '../open-shared-state.js';
import type { ClusterBus } from '../shared-state/bus.js';
import { pino } from 'pino';
import { UsageError, type Flags, type FlagSpec } from './args.js';

/** What a command line reads and writes: the process's own, or a test's. */
export interface CliIo {
  /** C2M_DATA_DIR and the other settings, read as the server reads them. */
  env: Record<string, string | undefined>;
  /** One line of standard output (results: ids, JSON). */
  out: (line: string) => void;
  /** One line of standard error (warnings, failures). */
  err: (line: string) => void;
  /** Standard input, read only by a command that takes a secret from it. */
  stdin?: AsyncIterable<string | Uint8Array>;
}

/**
 * What a command runs against: the same data dir, secret and migrations as the server, and the
 * parts of the server's dependencies that services need (so the CLI calls the same services).
 */
export interface CliContext extends Pick<
  AppDeps,
  'config' | 'db' | 'clock' | 'keys' | 'uow' | 'reads'
> {
  outbound: SetupDeps['outbound'];
  channels: SetupDeps['channels'];
  out: CliIo['out'];
  err: CliIo['err'];
  stdin: CliIo['stdin'];
  /** Where clients reach the server (server-url.ts), for token URLs and the demo's curl example. */
  baseUrl: string;
  /** Tells the running nodes of a change they hold in memory (a revoked credential). */
  bus: ClusterBus;
}

export interface Command {
  /** The words that select it, e.g. `handoff create`. */
  name: string;
  /** Other words that select it too, not shown in the help (`users list` for `user list`). */
  alias?: string;
  summary: string;
  /** Its flags, in the order the help lists them. */
  flags: Record<string, FlagSpec>;
  /**
   * The flag that set a field a service names when it refuses the input; `--<field>` when the
   * command does not say. The flags are given for a field whose flag depends on them.
   */
  flagOf?(field: string, flags: Flags): string;
  run(ctx: CliContext, flags: Flags): Promise<void>;
}

/**
 * A command that opens what it needs itself rather than the data dir: `migrate` (the database
 * as it is, before any migration), `copy-data` (two databases named by its flags).
 */
export interface StandaloneCommand extends Omit<Command, 'run'> {
  standalone: true;
  run(io: CliIo, flags: Flags): Promise<void>;
}

export const ACCOUNT: FlagSpec = { value: 'ID', help: 'the account (required)' };
export const JSON_OUTPUT: FlagSpec = { help: 'print JSON instead of readable lines' };

/**
 * Opens the data dir named by C2M_DATA_DIR. SQLite in WAL mode lets this run beside a live server:
 * each command is one short write (a statement or a small transaction), and a write that finds
 * the server's lock taken waits up to C2M_SQLITE_BUSY_TIMEOUT_MS for it.
 */
export async function openContext(io: CliIo): Promise<CliContext & { close(): Promise<void> }> {
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // on PostgreSQL a command never migrates as a side effect: `c2m migrate` does, once
  const opened = await openDataDir(
    config,
    undefined,
    config.migrate === 'auto' ? 'apply' : 'require',
  );
  const { db, keys } = opened;
  // with several nodes (C2M_REDIS_URL), what this command changes is told to each of them at once
  let shared: SharedState;
  try {
    shared = await openSharedState(config, pino({ level: 'silent' }), Date.now);
  } catch (err) {
    await opened.close();
    throw err;
  }
  const { bus } = shared;
  const clock: Clock = Date.now;
  return {
    out: io.out,
    err: io.err,
    stdin: io.stdin,
    config,
    db,
    // nothing listens in this process: a running server learns of the events from the events
    // table (webhooks) or its next poll
    uow: createUnitOfWork(db),
    // one command lives too short to use the memo much; its writes clear the servers' memos
    reads: new ReadCache(undefined, bus),
    clock,
    keys,
    outbound: {
      check: (url) => checkOutboundUrl(url, { allowLoopback: config.allowLoopbackUrls }),
    },
    channels: { invalidate: (accountId) => bus.tell('providers-changed', accountId) },
    baseUrl: serverUrl(config),
    bus,
    async close() {
      await shared.close();
      await opened.close();
    },
  };
}

/** The account named by `--account`, or a usage error that says it does not exist. */
export async function accountFlag(ctx: CliContext, flags: Flags): Promise<Account> {
  const id = flags.required('account');
  const account = await getAccount(ctx, id);
  if (!account) throw new UsageError(`--account: no account ${id} in ${ctx.config.dataDir}`);
  return account;
}
