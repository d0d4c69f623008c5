import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_channels.js';
import * as m003 from './migrations/003_admin.js';
import * as m004 from './migrations/004_reporting.js';
import * as m005 from './migrations/005_event_webhooks.js';
import * as m006 from './migrations/006_events_by_transaction.js';
import * as m007 from './migrations/007_webhook_subscriptions_enabled.js';

/** Numbered migrations, applied in name order. Add a file and a line here; never edit a shipped one. */
const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_channels': m002,
  '003_admin': m003,
  '004_reporting': m004,
  '005_event_webhooks': m005,
  '006_events_by_transaction': m006,
  '007_webhook_subscriptions_enabled': m007,
};

export const latestMigration = Object.keys(migrations).sort().at(-1)!;

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export async function migrateToLatest(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** True when every known migration has been applied (the readiness check). */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const all = await new Migrator({ db, provider }).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
