// Several nodes share their state through Redis (C2M_REDIS_URL): two c2m apps in this process on
// one data dir and one key prefix stand for two nodes behind a load balancer. The per-account
// limit is counted once for both; a nonce spent on one is spent on the other; a change made
// through one is seen by the other at once; a widget on one hears what happens on the other; a
// session ended on one ends its sockets on the other. Without Redis, what needs it answers 503 with
// Retry-After, and recovers when Redis returns; at start, a Redis that does not answer stops c2m
// with one line naming C2M_REDIS_URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import type { HandoffView } from '../contract/handoffs.js';
import type { OutboundMessageView } from '../contract/outbound.js';
import {
  REPORTS_NAMESPACE,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionEnded,
} from '../contract/realtime.js';
import { createUser } from '../src/modules/sessions/users.repo.js';
import {
  adminApi,
  adminSession,
  bearerToken,
  call,
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  TestClock,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { deflect, freshPhone } from './sandbox-phone.js';
import { dropEngineData, onPostgres, testRedisUrl } from './test-engine.js';
import { freePort, OwnRedis } from './node-process.js';

type WidgetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every key under `prefix`, deleted: the tests share one Redis with other sessions. */
async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A widget socket on `t`, connected with `token`, recording what it is sent. */
async function widgetOn(t: TestC2m, token: string, sockets: WidgetSocket[]) {
  const socket: WidgetSocket = connect(t.url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    auth: { token },
  });
  sockets.push(socket);
  const seen: { event: string; payload: unknown }[] = [];
  const ended: SessionEnded[] = [];
  let disconnected = false;
  socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  socket.on('session:expired', (e) => ended.push(e));
  socket.on('disconnect', () => (disconnected = true));
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', fail);
  });
  return { socket, seen, ended, disconnected: () => disconnected };
}

describe('two nodes sharing Redis', () => {
  const prefix = `c2m-test-${randomUUID()}:`;
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-test-'));
  // one clock: the nodes agree on the rate limits' one-second windows, as real clocks do
  const clock = new TestClock();
  const redis = new Redis(testRedisUrl);
  const sockets: WidgetSocket[] = [];
  let a: TestC2m;
  let b: TestC2m;
  let account: SeededAccount;

  before(async () => {
    const shared = {
      C2M_REDIS_URL: testRedisUrl,
      C2M_REDIS_PREFIX: prefix,
      // the load balancer's host reaches both: OAuth 1.0a signs it, so both must read it alike
      C2M_TRUST_PROXY: '1',
    };
    // node A serves only; node B also runs the outbox, so what is sent and delivered happens on B
    a = await startTestC2m({ ...shared, C2M_OUTBOX_WORKER: '0' }, { dataDir, clock });
    b = await startTestC2m(shared, { dataDir, clock });
    account = await seedAccount(a, { permissions: ['ivr', 'admin'] });
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await a?.close();
    await b?.close();
    rmSync(dataDir, { recursive: true, force: true });
    await dropEngineData(dataDir);
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('counts the per-account limit once for both nodes', async () => {
    const limited = await seedAccount(a, { rateLimitPerSec: 4 });
    const eligibility = (t: TestC2m) =>
      ivrClient(t, limited).eligibility({
        skill: 'sales',
        consumerPhoneNumber: freshPhone(),
        handoffId: limited.handoffs.sms,
      });
    for (const t of [a, b, a, b]) assert.equal((await eligibility(t)).status, 200);
    // 4 per second in all: each node has seen only 2, yet both refuse the fifth
    for (const t of [a, b]) {
      const refused = await eligibility(t);
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.equal(refused.headers.get('Retry-After'), '1');
    }
    clock.advance(1000);
    assert.equal((await eligibility(b)).status, 200);
  });

  it('refuses a nonce replayed to the other node', async () => {
    const host = 'c2m.lb.example';
    const path = `/api/account/${account.accountId}/eligibility?v=2.0`;
    const body = {
      skill: 'sales',
      consumerPhoneNumber: freshPhone(),
      handoffId: account.handoffs.sms,
    };
    const send = (t: TestC2m, authorization: string) =>
      call(`${t.url}${path}`, { body, authorization, headers: { 'X-Forwarded-Host': host } });
    // signed once, for the address the load balancer answers at
    const signed = oauth1Header(account.oauth1, 'POST', `http://${host}${path}`);
    assert.equal((await send(a, signed)).status, 200);
    const replayed = await send(b, signed);
    assert.equal(replayed.status, 401, JSON.stringify(replayed.body));
    // B takes the same request freshly signed: what it refused was the spent nonce
    const fresh = oauth1Header(account.oauth1, 'POST', `http://${host}${path}`);
    assert.equal((await send(b, fresh)).status, 200);
  });

  it("clears the other node's configuration memo at once when one node writes", async () => {
    // the memo itself: a read remembered on B is read again after a write on A, well within the
    // second it would otherwise be believed
    let reads = 0;
    const readOnB = () =>
      b.c2m.deps.reads.read(b.c2m.deps.db, 'probe', () => Promise.resolve((reads += 1)));
    assert.equal(await readOnB(), 1);
    assert.equal(await readOnB(), 1);
    a.c2m.deps.reads.forget();
    await waitFor(async () => (await readOnB()) === 2, "B's memo cleared by A's write", 500);

    // through the API: a handoff switched off on A is refused by B's next eligibility
    const ivrB = ivrClient(b, account);
    const ask = () =>
      ivrB.eligibility({
        skill: 'sales',
        consumerPhoneNumber: freshPhone(),
        handoffId: account.handoffs.sms,
      });
    assert.equal((await ask()).status, 200);
    const admin = adminApi(a, account.accountId, await adminSession(a, account, 'admin'));
    const handoff = await admin.get(`/handoffs/${account.handoffs.sms}`);
    assert.equal(handoff.status, 200);
    const { title, lookback, channels } = handoff.body as HandoffView;
    const saved = await admin.put(`/handoffs/${account.handoffs.sms}`, {
      title,
      lookback,
      // a message's {{1}} needs a default to be saved through the admin API
      channels: channels.map((c) => ({ ...c, defaults: { '1': 'there' } })),
      active: false,
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const refused = await ask();
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.match((refused.body as { errorMessage: string }).errorMessage, /No handoff/);
  });

  it('brings a status produced on node B to a widget connected to node A', async () => {
    const other = await seedAccount(a, { permissions: ['ivr', 'admin'] });
    const phone = freshPhone();
    const widget = await widgetOn(a, await adminSession(a, other, 'agent'), sockets);
    const ack = (await widget.socket
      .timeout(5000)
      .emitWithAck('widget:subscribe', { consumerPhoneNumber: phone })) as Ack<
      OutboundMessageView[]
    >;
    assert.deepEqual(ack, { data: [] });

    // eligibility, invite, send and receipt: all on B (A runs no outbox)
    const { callId } = await deflect(b, other, phone);
    const arrived = (event: string, status?: string) =>
      waitFor(
        () =>
          widget.seen.find((s) => {
            const m = s.payload as OutboundMessageView;
            return s.event === event && m.callId === callId && (!status || m.status === status);
          }),
        `${event} ${status ?? ''} on A`,
      );
    await arrived('outbound:created');
    await arrived('outbound:status-changed', 'delivered');
  });

  it('ends on node B the sockets of a session ended on node A', async () => {
    const c = await seedAccount(a, { permissions: ['ivr', 'admin'] });
    // a session minted with c's OAuth 1.0a credential, its widget on B
    const widget = await widgetOn(b, await adminSession(a, c, 'agent'), sockets);
    await createUser(a.c2m.deps.db, {
      accountId: c.accountId,
      username: 'ada',
      role: 'admin',
      password: 'correct horse battery',
      now: clock.now(),
    });
    const login = await call(`${a.url}/api/login`, {
      body: { accountId: c.accountId, username: 'ada', password: 'correct horse battery' },
    });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const admin = adminApi(a, c.accountId, (login.body as { token: string }).token);
    assert.equal((await admin.delete(`/credentials/${c.oauth1.id}`)).status, 204);
    // B's clock stands still, so its own cached answer would hold for ever: only A's news ends it
    await waitFor(() => widget.disconnected(), 'the socket on B ended by the revoke on A', 2000);
    assert.equal(widget.ended[0]?.reason, 'revoked');
  });

  it('locks a name out on both nodes after failures spread over them', async () => {
    await createUser(a.c2m.deps.db, {
      accountId: account.accountId,
      username: 'grace',
      role: 'admin',
      password: 'correct horse battery',
      now: clock.now(),
    });
    const login = (t: TestC2m, password: string) =>
      call(`${t.url}/api/login`, {
        body: { accountId: account.accountId, username: 'grace', password },
        headers: { 'X-Forwarded-For': '198.51.100.7' },
      });
    for (const [i, t] of [a, b, a, b, a].entries()) {
      assert.equal((await login(t, `guess-${i}`)).status, 401, `failure ${i + 1}`);
    }
    // 5 failures in all, never 5 on one node: the right password is throttled on both
    for (const t of [b, a]) {
      const throttled = await login(t, 'correct horse battery');
      assert.equal(throttled.status, 429, JSON.stringify(throttled.body));
      assert.ok(Number(throttled.headers.get('Retry-After')) >= 1);
    }
  });

  it('tells a dashboard on node A of a count that moved on node B', async () => {
    const dashboard: WidgetSocket = connect(`${a.url}${REPORTS_NAMESPACE}`, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token: await adminSession(a, account, 'admin') },
    });
    sockets.push(dashboard);
    const changed: unknown[] = [];
    dashboard.on('reports:changed', (e) => changed.push(e));
    const ack: unknown = await dashboard.timeout(5000).emitWithAck('reports:subscribe');
    assert.deepEqual(ack, { data: { accountId: account.accountId } });
    const res = await ivrClient(b, account).eligibility({
      skill: 'sales',
      consumerPhoneNumber: freshPhone(),
      handoffId: account.handoffs.waSms,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await waitFor(() => changed.length > 0, 'reports:changed on A');
  });

  it('answers /readyz with Redis reachable', async () => {
    for (const t of [a, b]) {
      const res = await call(`${t.url}/readyz`, { method: 'GET' });
      const engine = onPostgres ? 'postgresql' : 'sqlite';
      assert.deepEqual(
        [res.status, res.body],
        [200, { status: 'ready', checks: { [engine]: 'ok', redis: 'ok' } }],
      );
    }
  });
});

describe('Redis unreachable', () => {
  it('stops start-up with one line naming C2M_REDIS_URL', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'c2m-test-'));
    try {
      await assert.rejects(
        startTestC2m({ C2M_REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` }, { dataDir }),
        (err: Error) => {
          assert.match(
            err.message,
            new RegExp(
              `^C2M_REDIS_URL: cannot connect to redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`,
            ),
          );
          assert.doesNotMatch(err.message, /hunter2|\n/);
          return true;
        },
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await dropEngineData(dataDir);
    }
  });

  it('answers 503 with Retry-After while Redis is away, and recovers by itself', async () => {
    // DEBUG SLEEP stands for a Redis that holds the connection but stops answering
    const redisServer = new OwnRedis(await freePort(), ['--enable-debug-command', 'local']);
    const port = redisServer.port;
    await redisServer.start();
    const t = await startTestC2m({
      C2M_REDIS_URL: `redis://127.0.0.1:${port}`,
      C2M_REDIS_PREFIX: `c2m-test-${randomUUID()}:`,
    });
    try {
      // limited, so a bearer token's request needs Redis for its count (an OAuth 1.0a one also
      // for its nonce)
      const account = await seedAccount(t, { rateLimitPerSec: 1000 });
      const ivr = ivrClient(t, account);
      const token = await bearerToken(t.url, account.oauth2);
      const askWithToken = () =>
        call(ivr.url('eligibility'), {
          authorization: `Bearer ${token}`,
          body: {
            skill: 'sales',
            consumerPhoneNumber: freshPhone(),
            handoffId: account.handoffs.sms,
          },
        });
      const ask = () =>
        ivr.eligibility({
          skill: 'sales',
          consumerPhoneNumber: freshPhone(),
          handoffId: account.handoffs.sms,
        });
      assert.equal((await ask()).status, 200);
      assert.equal((await askWithToken()).status, 200);

      // a Redis that stops answering: 503 after the command timeout, not a hang
      const sleeper = new Redis({ port, lazyConnect: true });
      await sleeper.connect();
      const asleep = sleeper.call('DEBUG', 'SLEEP', '2');
      const started = Date.now();
      const stalled = await ask();
      assert.equal(stalled.status, 503, JSON.stringify(stalled.body));
      assert.ok(Date.now() - started < 1500, `answered after ${Date.now() - started} ms`);
      await asleep;
      await sleeper.quit();

      await redisServer.stop();
      const down = await ask();
      assert.equal(down.status, 503, JSON.stringify(down.body));
      assert.equal(down.headers.get('Retry-After'), '1');
      assert.equal((down.body as { errorCode: number }).errorCode, 5003);
      const limited = await askWithToken();
      assert.equal(limited.status, 503, JSON.stringify(limited.body));
      assert.equal(limited.headers.get('Retry-After'), '1');
      const ready = await call(`${t.url}/readyz`, { method: 'GET' });
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, {
        status: 'unavailable',
        checks: { [onPostgres ? 'postgresql' : 'sqlite']: 'ok', redis: 'failed' },
      });
      // what does not need Redis goes on
      assert.equal((await call(`${t.url}/healthz`, { method: 'GET' })).status, 200);

      await redisServer.start();
      const back = await waitFor(
        async () => ((await ask()).status === 200 ? true : undefined),
        'eligibility answered again once Redis is back',
        10_000,
      );
      assert.equal(back, true);
      const readyAgain = await call(`${t.url}/readyz`, { method: 'GET' });
      assert.equal(readyAgain.status, 200);
    } finally {
      await t.close();
      await redisServer.stop();
    }
  });
});
