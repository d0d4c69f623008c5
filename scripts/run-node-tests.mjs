// Runs every backend node:test suite, twice: on the embedded SQLite, then on PostgreSQL + Redis
// (C2M_TEST_ENGINE=postgres) when both answer, on their default local ports or at
// C2M_TEST_DATABASE_URL / C2M_TEST_REDIS_URL. Node 20 expands no globs and finds no .ts files in
// a folder, so the files are listed here and passed explicitly. A file whose first lines say
// `// engine: sqlite` tests the embedded engine's own machinery and runs on the first pass only;
// one that says `// engine: postgres` (several nodes on one database) on the second only.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

const roots = ['backend/test'];
const files = roots
  .flatMap(function walk(dir) {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name))
        : e.name.endsWith('.test.ts')
          ? [join(dir, e.name)]
          : [],
    );
  })
  .sort();
if (files.length === 0) {
  console.error('no backend test files found');
  process.exit(1);
}
/** `sqlite` or `postgres` for a file that tests one engine only. */
const engineOf = (file) =>
  /^\/\/ engine: (sqlite|postgres)\b/m.exec(readFileSync(file, 'utf8').slice(0, 2000))?.[1];

const databaseUrl = process.env.C2M_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const redisUrl = process.env.C2M_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${process.pid}${Date.now().toString(36)}`;

function runPass(label, passFiles, env) {
  console.log(`\n# backend tests on ${label}: ${passFiles.length} files\n`);
  const args = [
    '--enable-source-maps',
    '--import',
    'tsx',
    '--test',
    ...process.argv.slice(2),
    ...passFiles,
  ];
  const { status } = spawnSync(process.execPath, args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return status ?? 1;
}

/** Why PostgreSQL or Redis cannot be used, or undefined when both answer. */
async function unreachable() {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    return `PostgreSQL at ${databaseUrl}: ${err.message}`;
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return `Redis at ${redisUrl}: ${err.message}`;
  } finally {
    redis.disconnect();
  }
  return undefined;
}

/**
 * The tests of several nodes run the README's load balancers (nginx, HAProxy), its backup
 * (pg_dump, pg_restore) and a Redis of their own. As root on Debian, install what is missing, as
 * ensure-chromium does for the browser tests; elsewhere say what to install.
 */
function ensureDeployTools() {
  const tools = {
    nginx: 'nginx-light',
    haproxy: 'haproxy',
    pg_dump: 'postgresql-client',
    pg_restore: 'postgresql-client',
    'redis-server': 'redis-server',
  };
  const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  const missing = [
    ...new Set(
      Object.keys(tools)
        .filter((t) => !has(t))
        .map((t) => tools[t]),
    ),
  ];
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && has('apt-get');
  if (!canInstall) {
    console.log(
      `# the several-nodes tests need: ${missing.join(' ')} (apt-get install -y ${missing.join(' ')})`,
    );
    return;
  }
  console.log(`# installing for the several-nodes tests: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

/** Drops the schemas and Redis keys this run's PostgreSQL pass made (a crashed test's too). */
async function cleanUp() {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query(`select nspname from pg_namespace where nspname like $1`, [
    `c2m_t_${run}_%`,
  ]);
  for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
  await client.end();
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `c2m-test-${run}-*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

const first = runPass(
  'SQLite',
  files.filter((f) => engineOf(f) !== 'postgres'),
  { C2M_TEST_ENGINE: 'sqlite' },
);
const why = await unreachable();
if (why) {
  console.log(`\n# PostgreSQL + Redis pass SKIPPED: ${why}`);
  console.log('# (start them, or set C2M_TEST_DATABASE_URL / C2M_TEST_REDIS_URL)');
  process.exit(first);
}
ensureDeployTools();
const shared = files.filter((f) => engineOf(f) !== 'sqlite');
let second;
try {
  second = runPass('PostgreSQL + Redis', shared, {
    C2M_TEST_ENGINE: 'postgres',
    C2M_TEST_RUN: run,
    C2M_TEST_DATABASE_URL: databaseUrl,
    C2M_TEST_REDIS_URL: redisUrl,
  });
} finally {
  await cleanUp();
}
console.log(
  `\n# backend passes: SQLite ${first === 0 ? 'passed' : 'FAILED'}, PostgreSQL + Redis ${second === 0 ? 'passed' : 'FAILED'} (engine-specific files: ${files
    .filter(engineOf)
    .map((f) => `${f} (${engineOf(f)})`)
    .join(', ')})`,
);
process.exit(first || second);
