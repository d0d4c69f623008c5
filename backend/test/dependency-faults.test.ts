// Which failures are PostgreSQL being away (a 503 with Retry-After, the loops resting) and which
// are not: the same socket codes come from a client that hangs up mid-request and from a provider
// that refuses a connection, and those must stay what they are (no "PostgreSQL unreachable").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openPostgres } from '../src/db/database.js';
import { isDatabaseUnreachable } from '../src/db/unreachable.js';
import { freePort } from './node-process.js';

/** A Node socket error as Node makes it: a message and a code. */
const socketError = (message: string, code: string) =>
  Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });

describe('a dependency that is away', () => {
  it('is PostgreSQL when the driver could not reach it', async () => {
    const port = await freePort();
    const opened = openPostgres(`postgres://root@127.0.0.1:${port}/test`, { poolSize: 1 });
    try {
      const thrown = await sql`select 1`.execute(opened.db).then(
        () => undefined,
        (err: unknown) => err,
      );
      assert.ok(thrown instanceof Error, 'the query failed');
      assert.equal(isDatabaseUnreachable(thrown), true);
    } finally {
      await opened.close();
    }
  });

  it('is not PostgreSQL when a client hung up or a provider refused the connection', () => {
    // what Node's http server throws when the client goes away while its body is read
    assert.equal(isDatabaseUnreachable(socketError('aborted', 'ECONNRESET')), false);
    // what fetch throws for a messaging provider that refuses the connection
    const refused = new TypeError('fetch failed', {
      cause: socketError('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'),
    });
    assert.equal(isDatabaseUnreachable(refused), false);
    assert.equal(isDatabaseUnreachable(new Error('Connection terminated unexpectedly')), false);
  });
});
