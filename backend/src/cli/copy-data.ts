import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { copyData as copyRows, TargetNotEmpty } from '../db/copy-data.js';
import { describePostgresUrl, openDatabase, openPostgres } from '../db/database.js';
import { bringUpToDate } from '../db/migration-rule.js';
import { connectionFailure } from '../db/unreachable.js';
import { UsageError } from './args.js';
import type { StandaloneCommand } from './context.js';

/**
 * `c2m copy-data --from sqlite:./data/c2m.sqlite --to postgres://…`: moves an installation from
 * its SQLite file to PostgreSQL. Both are brought to this version's migrations first, then every
 * table is copied in one transaction (db/copy-data.ts) and its count checked.
 */
export const copyData: StandaloneCommand = {
  name: 'copy-data',
  summary: 'copy an installation from its SQLite file into PostgreSQL (stop the server first)',
  flags: {
    from: { value: 'sqlite:FILE', help: 'the SQLite database, e.g. sqlite:./data/c2m.sqlite' },
    to: { value: 'postgres://…', help: 'the PostgreSQL database (its schema: the search_path)' },
    replace: { help: 'empty the target first when it holds rows (otherwise it is refused)' },
  },
  standalone: true,
  async run(io, flags) {
    const from = flags.required('from', 4096);
    const to = flags.required('to', 4096);
    if (!from.startsWith('sqlite:')) throw new UsageError('--from: must be sqlite:FILE');
    const file = resolve(from.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
    if (!existsSync(file)) throw new UsageError(`--from: no file ${file}`);
    if (!/^postgres(ql)?:\/\//.test(to)) throw new UsageError('--to: must be a postgres:// URL');
    const where = `PostgreSQL at ${describePostgresUrl(to)}`;

    const source = openDatabase(file, { synchronous: 'normal', busyTimeoutMs: 5000 });
    const target = openPostgres(to, { poolSize: 1 });
    const client = new pg.Client({ connectionString: to, connectionTimeoutMillis: 5_000 });
    // a cut connection fails the copy's query, which rolls back; the event itself says nothing more
    client.on('error', () => undefined);
    try {
      // the same schema on both sides: what this version of c2m reads
      await bringUpToDate(source.db, 'apply', { where: file });
      try {
        await bringUpToDate(target.db, 'apply', { where });
        await client.connect();
      } catch (err) {
        throw new Error(`--to: cannot use ${where}: ${connectionFailure(err)}`, { cause: err });
      }
      io.out(`copying ${file} into ${where}`);
      const counts = await copyRows({
        source: source.sqlite,
        target: client,
        replace: flags.bool('replace'),
        onTable: ({ table, rows }) => io.out(`  ${table.padEnd(28)} ${rows}`),
      });
      const total = counts.reduce((sum, c) => sum + c.rows, 0);
      io.out(`copied ${total} rows in ${counts.length} tables; every count checked`);
      io.out(secretAdvice(file));
    } catch (err) {
      if (err instanceof TargetNotEmpty) throw new UsageError(`--to: ${err.message}`);
      throw err;
    } finally {
      await client.end().catch(() => undefined);
      await target.close();
      await source.close();
    }
  },
};

/**
 * Stored secrets (provider tokens, credentials) are encrypted with a key derived from the
 * installation's secret: every node must start with that same secret, or it reads none of them.
 */
function secretAdvice(file: string): string {
  const keyFile = join(dirname(file), 'secret.key');
  return existsSync(keyFile)
    ? `stored secrets are encrypted with the key of ${keyFile}: start every node with C2M_SECRET="$(cat '${keyFile}')"`
    : `no secret.key beside ${file}: the installation ran with C2M_SECRET; start every node with that same value`;
}
