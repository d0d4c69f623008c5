import {
  sql,
  DataTypeNode,
  Migrator,
  OperationNodeTransformer,
  type ColumnDefinitionNode,
  type KyselyPlugin,
  type Migration,
  type MigrationProvider,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Db } from './database.js';
import { isPostgres } from './engine.js';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_channels.js';
import * as m003 from './migrations/003_admin.js';
import * as m004 from './migrations/004_reporting.js';
import * as m005 from './migrations/005_event_webhooks.js';
import * as m006 from './migrations/006_events_by_transaction.js';
import * as m007 from './migrations/007_webhook_subscriptions_enabled.js';
import * as m008 from './migrations/008_postgres_insert_order.js';
import * as m009 from './migrations/009_cluster_leases.js';
import * as m010 from './migrations/010_postgres_jsonb.js';

/** Numbered migrations, applied in name order. Add a file and a line here; never edit a shipped one. */
const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_channels': m002,
  '003_admin': m003,
  '004_reporting': m004,
  '005_event_webhooks': m005,
  '006_events_by_transaction': m006,
  '007_webhook_subscriptions_enabled': m007,
  '008_postgres_insert_order': m008,
  '009_cluster_leases': m009,
  '010_postgres_jsonb': m010,
};

export const latestMigration = Object.keys(migrations).sort().at(-1)!;

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/**
 * The migrations are written once, in SQLite's types: `integer` holds epoch milliseconds, counts
 * and 0/1 flags, and an `integer primary key` numbers itself. On PostgreSQL each becomes `bigint`
 * (a millisecond time outgrows `integer` in 1970) and the numbered key a `bigserial`.
 */
class PostgresColumnTypes extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node);
    return column.autoIncrement
      ? { ...column, autoIncrement: false, dataType: DataTypeNode.create('bigserial') }
      : column;
  }

  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    return node.dataType === 'integer' ? DataTypeNode.create('bigint') : node;
  }
}

const postgresColumnTypes: KyselyPlugin = {
  transformQuery: (args: PluginTransformQueryArgs): RootOperationNode =>
    new PostgresColumnTypes().transformNode(args.node),
  transformResult: (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> =>
    Promise.resolve(args.result),
};

/**
 * A migrator of `db`: on PostgreSQL with SQLite's types translated, and its bookkeeping tables
 * in the schema the connection works in (Kysely would otherwise take a same-named table in any
 * schema of the database for its own).
 */
async function migratorOf(db: Db): Promise<Migrator> {
  if (!isPostgres(db)) return new Migrator({ db, provider });
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({
    db: db.withPlugin(postgresColumnTypes),
    provider,
    migrationTableSchema: rows[0].schema,
  });
}

/**
 * Applies what is missing. Kysely's migrator holds a lock while it works (a row lock on
 * PostgreSQL), so several nodes or `c2m migrate` starting together apply each migration once.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const { error, results } = await (await migratorOf(db)).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** True when every known migration has been applied (the readiness check). */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const all = await (await migratorOf(db)).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
