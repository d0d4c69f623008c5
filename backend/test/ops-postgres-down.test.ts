// engine: postgres
// PostgreSQL going away under a running node: requests that need it answer 503 with Retry-After
// (never a 500, never a hang), /readyz names the dependency, and the node recovers by itself when
// PostgreSQL is back. Only one PostgreSQL runs here, so the node reaches it through a TCP proxy of
// the test's own, which is closed (connections cut, new ones refused) and opened again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminApi,
  adminSession,
  call,
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { dropEngineData, schemaOf, testDatabaseUrl, withSchema } from './test-engine.js';

/** A TCP proxy to PostgreSQL on a loopback port that the test can take down and bring back. */
class PostgresProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    const target = new URL(testDatabaseUrl);
    const server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        // a cut connection is the point of the test: both ends just close
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** PostgreSQL gone: every open connection cut, new ones refused. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

const eligibilityBody = (account: SeededAccount) => ({
  skill: 'sales',
  consumerPhoneNumber: '+14155550123',
  handoffId: account.handoffs.sms,
});

describe('PostgreSQL down at run time', () => {
  const proxy = new PostgresProxy();
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-pg-down-'));
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    await proxy.open();
    const url = new URL(testDatabaseUrl);
    url.port = String(proxy.port);
    url.hostname = '127.0.0.1';
    t = await startTestC2m(
      { C2M_DATABASE_URL: withSchema(url.toString(), schemaOf(dataDir)) },
      { dataDir },
    );
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
  });

  after(async () => {
    await t?.close();
    await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
    await dropEngineData(dataDir);
  });

  it('answers 503 with Retry-After while it is gone, and serves again once it is back', async () => {
    const ivr = ivrClient(t, account);
    const admin = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    assert.equal((await ivr.eligibility(eligibilityBody(account))).status, 200);
    assert.equal((await admin.get('/handoffs')).status, 200);
    const ready = await call(`${t.url}/readyz`, { method: 'GET' });
    assert.equal(ready.status, 200, JSON.stringify(ready.body));

    await proxy.close();
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const res = await ivr.eligibility(eligibilityBody(account));
      // the pool gives up on a connection within its connect timeout: never a hang
      assert.ok(performance.now() - started < 6000, 'answered within the connect timeout');
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
      assert.deepEqual(res.body, {
        errorCode: 5003,
        errorMessage: 'The database is unreachable; retry shortly',
      });
    }
    const down = await call(`${t.url}/readyz`, { method: 'GET' });
    assert.equal(down.status, 503);
    assert.ok(Number(down.headers.get('retry-after')) > 0, 'Retry-After');
    assert.deepEqual(down.body, {
      status: 'unavailable',
      checks: { postgresql: 'failed', redis: 'ok' },
    });
    // the admin API answers in its own shape, a 503 too
    const listed = await admin.get('/handoffs');
    assert.equal(listed.status, 503, JSON.stringify(listed.body));
    assert.ok(Number(listed.headers.get('retry-after')) > 0, 'Retry-After');
    assert.equal((listed.body as { error: { code: string } }).error.code, 'unavailable');

    await proxy.open();
    // no restart: the pool makes new connections once PostgreSQL answers
    const back: ApiResponse = await waitFor(
      async () => {
        const res = await ivr.eligibility(eligibilityBody(account));
        assert.ok([200, 503].includes(res.status), `${res.status} ${JSON.stringify(res.body)}`);
        return res.status === 200 ? res : undefined;
      },
      'eligibility answered again',
      15_000,
    );
    assert.equal(back.status, 200);
    const readyAgain = await call(`${t.url}/readyz`, { method: 'GET' });
    assert.equal(readyAgain.status, 200, JSON.stringify(readyAgain.body));
  });
});
