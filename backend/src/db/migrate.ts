import {
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
  sql,
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
import * as m011 from './migrations/011_widget_keys.js';
import * as m012 from './migrations/012_wa_reachability.js';
import * as m013 from './migrations/013_retention.js';
import * as m014 from './migrations/014_ended_sessions.js';

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
  '011_widget_keys': m011,
  '012_wa_reachability': m012,
  '013_retention': m013,
  '014_ended_sessions': m014,
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

/** The database as migrations see it: on PostgreSQL, with SQLite's types translated. */
const forMigrations = (db: Db): Db => (isPostgres(db) ? db.withPlugin(postgresColumnTypes) : db);

/**
 * Kysely's migrator looks for its tables in every schema it can see: on PostgreSQL it is told the
 * schema c2m works in (the first of the search_path), so another installation's, or another test's,
 * schema in the same database is never taken for this one's.
 */
async function migrator(db: Db): Promise<Migrator> {
  const migrationTableSchema = isPostgres(db)
    ? ((await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]
        ?.schema ?? undefined)
    : undefined;
  return new Migrator({ db: forMigrations(db), provider, migrationTableSchema });
}

/**
 * Applies what is missing and returns the names it applied, in order. Kysely's migrator holds a
 * lock while it works (a row lock on PostgreSQL), so several nodes or `c2m migrate` starting
 * together apply each migration once.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await (await migrator(db)).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** How the database's migrations stand against the ones this code knows. */
export interface MigrationState {
  /** Known and applied, in order. */
  applied: string[];
  /** Known and not yet applied, in order. */
  pending: string[];
  /** Applied by code newer than this: this code does not know the schema it left. */
  unknown: string[];
}

export async function migrationState(db: Db): Promise<MigrationState> {
  const executed = new Set(await executedMigrations(db));
  const known = Object.keys(migrations).sort();
  return {
    applied: known.filter((name) => executed.has(name)),
    pending: known.filter((name) => !executed.has(name)),
    unknown: [...executed].filter((name) => !(name in migrations)).sort(),
  };
}

/** The names in Kysely's migration table; none when it is not there yet (a new database). */
async function executedMigrations(db: Db): Promise<string[]> {
  const exists = isPostgres(db)
    ? (await sql<{ t: string | null }>`select to_regclass('kysely_migration') as t`.execute(db))
        .rows[0]?.t != null
    : (
        await sql`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(
          db,
        )
      ).rows.length > 0;
  if (!exists) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** True when every known migration has been applied (the readiness check). */
export async function migrationsApplied(db: Db): Promise<boolean> {
  return (await migrationState(db)).pending.length === 0;
}
