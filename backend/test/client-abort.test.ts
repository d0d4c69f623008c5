// A client that hangs up before its request body has arrived (an IVR that timed out, a load
// generator stopping) is nobody's error: nothing is stored, and the log says so at info level,
// not as an unhandled error (nor, on PostgreSQL, as the database being away).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import {
  bearerToken,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

describe('a client that hangs up mid-request', () => {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as { level: number; msg: string });
      }
      done();
    },
  });
  let t: TestC2m;
  let a: SeededAccount;

  before(async () => {
    t = await startTestC2m({}, { log: pino({ level: 'info' }, sink) });
    a = await seedAccount(t);
  });
  after(() => t?.close());

  it('is logged at info as a client that went away, not as an error', async () => {
    const token = await bearerToken(t.url, a.oauth2);
    const { port } = new URL(t.url);
    const calls = async () =>
      Number(
        (
          await t.c2m.deps.db
            .selectFrom('calls')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await calls();
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((ok) => socket.once('connect', ok));
    // the headers promise a body of 500 bytes; 20 come, then the connection is cut
    socket.write(
      [
        `POST /api/account/${a.accountId}/eligibility?v=2.0 HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${token}`,
        'Content-Type: application/json',
        'Content-Length: 500',
        '',
        '{"skill":"sales","co',
      ].join('\r\n'),
    );
    await new Promise((r) => setTimeout(r, 100));
    socket.resetAndDestroy();
    const noted = await waitFor(
      () => lines.find((l) => /client closed the request/.test(l.msg)),
      'the log line of the client that went away',
    );
    assert.equal(noted.level, 30);
    assert.deepEqual(
      lines.filter((l) => l.level >= 40).map((l) => l.msg),
      [],
      'nothing logged as a warning or an error',
    );
    assert.equal(await calls(), before, 'nothing stored');
  });
});
