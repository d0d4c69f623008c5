// Sign-out ends a session on the server (DELETE /api/admin/account/:accountId/session): its token
// is refused from then on by the admin API, the widget and the sockets, on this node at once, on
// the others through the cluster bus, and after a restart; the user's other sessions stay.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signJwt } from '../src/auth/jwt.js';
import { createUser } from '../src/modules/sessions/users.repo.js';
import {
  adminApi,
  adminSession,
  call,
  openSessionSocket,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type SessionSocket,
  type TestC2m,
} from './helpers.js';
import { dropEngineData, onPostgres } from './test-engine.js';

const PASSWORD = 'correct horse battery';

/** The claims of a token, read without checking it (the test's own look at what was minted). */
function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

function signOut(t: Pick<TestC2m, 'url'>, accountId: string, token?: string) {
  return call(`${t.url}/api/admin/account/${accountId}/session`, {
    method: 'DELETE',
    ...(token !== undefined && { authorization: `Bearer ${token}` }),
  });
}

async function signIn(t: TestC2m, accountId: string, username: string): Promise<string> {
  const res = await call(`${t.url}/api/login`, {
    body: { accountId, username, password: PASSWORD },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { token: string }).token;
}

async function addUser(t: TestC2m, accountId: string, username: string) {
  await createUser(t.c2m.deps.db, {
    accountId,
    username,
    role: 'admin',
    password: PASSWORD,
    now: t.clock.now(),
  });
}

describe('signing out', () => {
  let t: TestC2m;
  let a: SeededAccount;
  const sockets: SessionSocket[] = [];

  before(async () => {
    t = await startTestC2m({ C2M_OAUTH1_WINDOW_SECONDS: String(86_400) });
    a = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    await addUser(t, a.accountId, 'ada');
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  const open = (token: string) => openSessionSocket(t, token, sockets);

  it('every way to a session gives it an id of its own', async () => {
    const login = claims(await signIn(t, a.accountId, 'ada'));
    const minted = claims(await adminSession(t, a, 'agent'));
    const key = await adminApi(t, a.accountId, await adminSession(t, a, 'admin')).post(
      '/widget-keys',
      { name: 'Agent Workspace' },
    );
    assert.equal(key.status, 201, JSON.stringify(key.body));
    const widget = await call(`${t.url}/api/widget/sessions`, {
      body: { key: (key.body as { key: string }).key },
    });
    assert.equal(widget.status, 200, JSON.stringify(widget.body));
    const fromKey = claims((widget.body as { token: string }).token);
    const ids = [login.sid, minted.sid, fromKey.sid];
    for (const id of ids) assert.match(String(id), /^[0-9a-f-]{36}$/);
    assert.equal(new Set(ids).size, 3);
  });

  it('ends the session on REST and its sockets; the same user’s other session stays', async () => {
    const first = await signIn(t, a.accountId, 'ada');
    const second = await signIn(t, a.accountId, 'ada');
    const agent = await adminSession(t, a, 'agent', 'agent-7');
    const otherAgent = await adminSession(t, a, 'agent', 'agent-7');
    const socket = await open(agent);
    const otherSocket = await open(otherAgent);
    assert.equal((await adminApi(t, a.accountId, first).get('/handoffs')).status, 200);

    assert.equal((await signOut(t, a.accountId, first)).status, 204);
    assert.equal((await adminApi(t, a.accountId, first).get('/handoffs')).status, 401);
    assert.equal((await adminApi(t, a.accountId, second).get('/handoffs')).status, 200);

    // an agent's session ends its open socket at once, and the door stays shut to it
    assert.equal((await signOut(t, a.accountId, agent)).status, 204);
    await waitFor(() => socket.disconnected(), 'the socket ended at the sign-out');
    assert.equal(socket.ended[0]?.reason, 'revoked');
    await assert.rejects(open(agent), /unauthorized/);
    const widgetList = await call(
      `${t.url}/api/widget/account/${a.accountId}/outbound?consumerPhoneNumber=%2B14155550123`,
      { method: 'GET', authorization: `Bearer ${agent}` },
    );
    assert.equal(widgetList.status, 401);
    // the same agent's other session and socket are untouched
    assert.equal(otherSocket.disconnected(), undefined);
    const ack: unknown = await otherSocket.socket
      .timeout(5000)
      .emitWithAck('widget:subscribe', { consumerPhoneNumber: '+14155550177' });
    assert.ok(ack && typeof ack === 'object' && 'data' in ack, JSON.stringify(ack));
  });

  it('is idempotent, and 401 without a valid token', async () => {
    const token = await signIn(t, a.accountId, 'ada');
    assert.equal((await signOut(t, a.accountId, token)).status, 204);
    assert.equal((await signOut(t, a.accountId, token)).status, 204);
    assert.equal((await signOut(t, a.accountId)).status, 401);
    assert.equal((await signOut(t, a.accountId, 'not-a-token')).status, 401);
    // a token signed with another key
    const forged = signJwt(
      { iss: 'c2m-session', aud: a.accountId, sub: 'x', role: 'admin', sid: 'x' },
      Buffer.alloc(32, 7),
      { expiresInSeconds: 600, now: t.clock.now },
    );
    assert.equal((await signOut(t, a.accountId, forged)).status, 401);
  });

  it("another account's token cannot end this account's session", async () => {
    const b = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const mine = await signIn(t, a.accountId, 'ada');
    const theirs = await adminSession(t, b, 'admin');
    assert.equal((await signOut(t, a.accountId, theirs)).status, 404);
    assert.equal((await adminApi(t, a.accountId, mine).get('/handoffs')).status, 200);
    // ending their own ends theirs only
    assert.equal((await signOut(t, b.accountId, theirs)).status, 204);
    assert.equal((await adminApi(t, b.accountId, theirs).get('/handoffs')).status, 401);
    assert.equal((await adminApi(t, a.accountId, mine).get('/handoffs')).status, 200);
  });

  it('a token minted before sessions had an id works, and can be ended too', async () => {
    const old = signJwt(
      { iss: 'c2m-session', aud: a.accountId, sub: 'user-old', role: 'admin' },
      t.c2m.deps.keys.tokens,
      { expiresInSeconds: 600, now: t.clock.now },
    );
    const api = adminApi(t, a.accountId, old);
    assert.equal((await api.get('/handoffs')).status, 200);
    assert.equal((await signOut(t, a.accountId, old)).status, 204);
    assert.equal((await api.get('/handoffs')).status, 401);
  });

  it('rows past their token’s expiry are deleted by later sign-outs', async () => {
    const { db } = t.c2m.deps;
    const short = await signIn(t, a.accountId, 'ada'); // an hour
    assert.equal((await signOut(t, a.accountId, short)).status, 204);
    const rows = () => db.selectFrom('ended_sessions').select('id').execute();
    const shortId = claims(short).sid;
    assert.ok((await rows()).some((r) => r.id === shortId));
    t.clock.advance(3601_000);
    const later = await signIn(t, a.accountId, 'ada');
    assert.equal((await signOut(t, a.accountId, later)).status, 204);
    const left = (await rows()).map((r) => r.id);
    assert.ok(!left.includes(shortId as string), 'the expired row is gone');
    assert.ok(left.includes(claims(later).sid as string));
  });
});

describe('a session signed out before a restart', () => {
  it('stays ended on the same data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'c2m-test-'));
    try {
      const first = await startTestC2m({}, { dataDir });
      let a: SeededAccount;
      let ended: string;
      let kept: string;
      try {
        a = await seedAccount(first, { permissions: ['ivr', 'admin'] });
        await addUser(first, a.accountId, 'ada');
        ended = await signIn(first, a.accountId, 'ada');
        kept = await signIn(first, a.accountId, 'ada');
        assert.equal((await signOut(first, a.accountId, ended)).status, 204);
      } finally {
        await first.close();
      }
      const second = await startTestC2m({}, { dataDir });
      try {
        assert.equal((await adminApi(second, a.accountId, kept).get('/handoffs')).status, 200);
        assert.equal((await adminApi(second, a.accountId, ended).get('/handoffs')).status, 401);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await dropEngineData(dataDir);
    }
  });
});

// two nodes share a database only on PostgreSQL (SQLite's file is one node's): on that pass only
if (onPostgres)
  describe('two nodes of one installation', () => {
    it('a sign-out on one node ends the session on the other at once', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'c2m-test-'));
      const one = await startTestC2m({}, { dataDir });
      const two = await startTestC2m({}, { dataDir });
      try {
        const a = await seedAccount(one, { permissions: ['ivr', 'admin'] });
        await addUser(one, a.accountId, 'ada');
        const token = await signIn(one, a.accountId, 'ada');
        const onTwo = adminApi(two, a.accountId, token);
        // node two has read the session as standing: its answer is cached for seconds
        assert.equal((await onTwo.get('/handoffs')).status, 200);
        assert.equal((await signOut(one, a.accountId, token)).status, 204);
        // told over the bus, not by the cache's expiry (its clock does not move)
        await waitFor(
          async () => (await onTwo.get('/handoffs')).status === 401,
          'node two refuses the session',
        );
      } finally {
        await one.close();
        await two.close();
        rmSync(dataDir, { recursive: true, force: true });
        await dropEngineData(dataDir);
      }
    });
  });
