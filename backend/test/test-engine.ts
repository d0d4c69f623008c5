// Which engine the backend suite runs on. `npm test` runs it twice (scripts/run-node-tests.mjs):
// on SQLite, then with C2M_TEST_ENGINE=postgres on PostgreSQL + Redis, where every data dir a test
// makes gets a schema of its own and a Redis key prefix of its own, so the files never see each
// other's rows, and a test that restarts c2m on the same data dir finds its data again.
import { createHash } from 'node:crypto';
import pg from 'pg';

export const onPostgres = process.env.C2M_TEST_ENGINE === 'postgres';

export const testDatabaseUrl =
  process.env.C2M_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
export const testRedisUrl = process.env.C2M_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One run of the suite: what it made is named after it, and the runner drops it at the end. */
const run = process.env.C2M_TEST_RUN ?? String(process.pid);
export const TEST_SCHEMA_PREFIX = `c2m_t_${run}_`;
export const TEST_REDIS_PREFIX = `c2m-test-${run}-`;

const tagOf = (dataDir: string) => createHash('sha256').update(dataDir).digest('hex').slice(0, 12);

/** The schema of `dataDir`'s database on the PostgreSQL pass. */
export const schemaOf = (dataDir: string) => `${TEST_SCHEMA_PREFIX}${tagOf(dataDir)}`;

/** `url` with its connections' search_path set to `schema`. */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** PostgreSQL as the tests' administrator: schemas, databases, counts. */
export async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The environment that puts c2m on `dataDir`'s own schema and Redis prefix on the PostgreSQL
 * pass (the schema made if missing); nothing on the SQLite pass.
 */
export async function engineEnv(dataDir: string): Promise<Record<string, string>> {
  if (!onPostgres) return {};
  const schema = schemaOf(dataDir);
  await admin((c) => c.query(`create schema if not exists ${schema}`));
  return {
    C2M_DATABASE_URL: withSchema(testDatabaseUrl, schema),
    C2M_DATABASE_POOL_SIZE: '4',
    C2M_REDIS_URL: testRedisUrl,
    C2M_REDIS_PREFIX: `${TEST_REDIS_PREFIX}${tagOf(dataDir)}:`,
    // the nodes of one installation share the secret that signs tokens and encrypts secrets
    C2M_SECRET: 'test-secret-shared-by-every-node-of-the-cluster',
    // each data dir's schema is its own installation, migrated by its first start; the rule for
    // nodes that share one (wait for `c2m migrate`) is tested in ops-migrate.test.ts
    C2M_MIGRATE: 'auto',
  };
}

/** Drops what `engineEnv(dataDir)` made: its schema (Redis keys go at the end of the run). */
export async function dropEngineData(dataDir: string): Promise<void> {
  if (!onPostgres) return;
  await admin((c) => c.query(`drop schema if exists ${schemaOf(dataDir)} cascade`));
}
