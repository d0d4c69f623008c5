import { loadConfig, type Config } from '../config.js';
import { latestMigration, migrateToLatest, migrationState } from '../db/migrate.js';
import { databaseName, openConfiguredDatabase } from '../server.js';
import { UsageError } from './args.js';
import type { StandaloneCommand } from './context.js';

/**
 * `c2m migrate`: applies the migrations the database lacks, once for the whole cluster (the
 * migrator's lock makes a second run beside it wait, then find nothing to do). PostgreSQL nodes
 * wait for it at start-up (C2M_MIGRATE, db/migration-rule.ts).
 */
export const migrate: StandaloneCommand = {
  name: 'migrate',
  summary: "apply the database's missing migrations (PostgreSQL nodes wait for this)",
  flags: {},
  standalone: true,
  async run(io) {
    let config: Config;
    try {
      config = loadConfig(io.env);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const where = databaseName(config);
    const opened = await openConfiguredDatabase(config);
    try {
      const before = await migrationState(opened.db);
      if (before.unknown.length > 0) {
        throw new Error(
          `${where} has migrations this c2m does not know (${before.unknown.join(', ')}): a newer c2m migrated it`,
        );
      }
      const applied = await migrateToLatest(opened.db);
      for (const name of applied) io.out(`applied ${name}`);
      io.out(
        applied.length > 0
          ? `${where}: ${applied.length} migration(s) applied, now at ${latestMigration}`
          : `${where}: already current at ${latestMigration}`,
      );
    } finally {
      await opened.close();
    }
  },
};
