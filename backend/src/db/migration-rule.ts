import type { Logger } from 'pino';
import type { Db } from './database.js';
import { migrateToLatest, migrationState, type MigrationState } from './migrate.js';
import { StartupError } from '../startup-error.js';

/**
 * What a process does about migrations the database lacks before it uses it:
 * - `apply`: applies them (under the migrator's lock): SQLite's single process, `C2M_MIGRATE=auto`;
 * - `wait`: waits until `c2m migrate` has applied them: a PostgreSQL node by default, so nodes of
 *   a rolling upgrade never serve on a schema behind their code, and only one command migrates;
 * - `require`: fails at once (a CLI command on PostgreSQL: the operator runs `c2m migrate` first).
 * Whatever the rule, a database migrated by newer code than this stops it: it does not know that
 * schema.
 */
export type MigrationRule = 'apply' | 'wait' | 'require';

/** How often a waiting node looks again. */
export const MIGRATION_WAIT_POLL_MS = 1000;

export async function bringUpToDate(
  db: Db,
  rule: MigrationRule,
  opts: {
    /** Names the database in messages: `C2M_DATABASE_URL (host:5432/db)`, the SQLite file. */
    where: string;
    log?: Pick<Logger, 'info' | 'warn'>;
    pollMs?: number;
  },
): Promise<void> {
  let state = await current(db, opts.where);
  if (state.pending.length === 0) return;
  if (rule === 'apply') {
    await migrateToLatest(db);
    return;
  }
  const pending = state.pending.join(', ');
  if (rule === 'require') {
    throw new StartupError(
      `${opts.where}: migrations not applied yet (${pending}); run 'npx c2m migrate' first`,
    );
  }
  opts.log?.warn(
    { pending: state.pending },
    `waiting for migrations ${pending} on ${opts.where}: run 'npx c2m migrate' (or start one node with C2M_MIGRATE=auto)`,
  );
  while (state.pending.length > 0) {
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? MIGRATION_WAIT_POLL_MS));
    state = await current(db, opts.where);
  }
  opts.log?.info('migrations applied; starting');
}

/** The state, refused when newer code has migrated the database. */
async function current(db: Db, where: string): Promise<MigrationState> {
  const state = await migrationState(db);
  if (state.unknown.length > 0) {
    throw new StartupError(
      `${where}: the database has migrations this c2m does not know (${state.unknown.join(', ')}); a newer c2m migrated it, so run that version`,
    );
  }
  return state;
}
