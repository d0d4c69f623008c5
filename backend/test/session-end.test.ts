// When a session ends before its token says so, and what its sockets are told: a session's expiry
// ends its sockets (with `session:expired`, then a disconnect); revoking the credential that minted
// a session ends the session on REST and on sockets at once; a login session ends with its user.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REPORTS_NAMESPACE } from '../contract/realtime.js';
import { mintSession } from '../src/modules/sessions/admin-auth.js';
import { revokeCredential } from '../src/modules/accounts/credentials.repo.js';
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

describe('sessions that end', () => {
  let t: TestC2m;
  let a: SeededAccount;
  const sockets: SessionSocket[] = [];

  before(async () => {
    // the tests move the server's clock; keep OAuth 1.0a timestamps (real time) valid
    t = await startTestC2m({ C2M_OAUTH1_WINDOW_SECONDS: String(86_400) });
    a = await seedAccount(t, { permissions: ['ivr', 'admin'] });
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  const open = (token: string, namespace = '') => openSessionSocket(t, token, sockets, namespace);

  const subject = { consumerPhoneNumber: '+14155550177' };

  it('a socket whose session expires is told and disconnected, without an event of its own', async () => {
    const { token } = mintSession(t.c2m.deps, {
      accountId: a.accountId,
      userId: 'agent-1',
      role: 'agent',
      ttlSeconds: 1,
    });
    const w = await open(token);
    assert.ok('data' in (await w.socket.timeout(5000).emitWithAck('widget:subscribe', subject)));
    await waitFor(() => w.disconnected(), 'the disconnect at the session expiry', 5000);
    assert.deepEqual(w.ended, [{ reason: 'expired', message: w.ended[0]?.message }]);
    assert.match(w.ended[0].message, /sign in again/i);
    assert.equal(w.disconnected(), 'io server disconnect');
  });

  it('an event on a socket whose session expired is refused, and the socket ended', async () => {
    const token = await adminSession(t, a, 'agent');
    const w = await open(token);
    t.clock.advance(16 * 60_000); // past the 15-minute session; the server's timer has not fired
    const ack: unknown = await w.socket.timeout(5000).emitWithAck('widget:subscribe', subject);
    assert.deepEqual(ack, {
      error: { code: 'unauthorized', message: 'Sign in again: the session expired' },
    });
    await waitFor(() => w.disconnected(), 'the disconnect after the refused event');
    assert.equal(w.ended[0]?.reason, 'expired');
  });

  it("the reports dashboard's socket ends with its session too", async () => {
    const { token } = mintSession(t.c2m.deps, {
      accountId: a.accountId,
      userId: 'reader-1',
      role: 'read_only',
      ttlSeconds: 1,
    });
    const r = await open(token, REPORTS_NAMESPACE);
    await waitFor(() => r.disconnected(), 'the disconnect at the session expiry', 5000);
    assert.equal(r.ended[0]?.reason, 'expired');
  });

  it('revoking the credential that minted a session ends it: REST 401 and its sockets told', async () => {
    const b = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const minted = await adminSession(t, b, 'admin'); // minted with b's OAuth 1.0a credential
    const agentToken = await adminSession(t, b, 'agent');
    const widget = await open(agentToken);
    const api = adminApi(t, b.accountId, minted);
    assert.equal((await api.get('/handoffs')).status, 200);

    // another admin (a login session, not minted by that credential) revokes it
    await createUser(t.c2m.deps.db, {
      accountId: b.accountId,
      username: 'ada',
      role: 'admin',
      password: 'correct horse battery',
      now: t.clock.now(),
    });
    const login = await call(`${t.url}/api/login`, {
      body: { accountId: b.accountId, username: 'ada', password: 'correct horse battery' },
    });
    const other = adminApi(t, b.accountId, (login.body as { token: string }).token);
    assert.equal((await other.delete(`/credentials/${b.oauth1.id}`)).status, 204);

    const after = await api.get('/handoffs');
    assert.equal(after.status, 401);
    // and it can no longer mint itself a new admin credential
    const escalate = await api.post('/credentials', { kind: 'oauth2', name: 'mine' });
    assert.equal(escalate.status, 401);
    await waitFor(() => widget.disconnected(), 'the widget socket ended at the revoke');
    assert.equal(widget.ended[0]?.reason, 'revoked');
    // a fresh socket with that session is refused at the door
    await assert.rejects(open(agentToken), /unauthorized/);
    // the admin who revoked it is not affected
    assert.equal((await other.get('/handoffs')).status, 200);
  });

  it('a credential revoked by another process (the CLI) ends its sessions within seconds', async () => {
    const c = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const minted = await adminSession(t, c, 'admin');
    const widget = await open(await adminSession(t, c, 'agent'));
    const api = adminApi(t, c.accountId, minted);
    assert.equal((await api.get('/handoffs')).status, 200);
    // what `npx c2m credentials revoke` does, in its own process: a write to the database only
    assert.ok(await revokeCredential(t.c2m.deps, c.accountId, c.oauth1.id, t.clock.now()));
    t.clock.advance(5_000); // the longest this process may go on believing its cached answer
    assert.equal((await api.get('/handoffs')).status, 401);
    await waitFor(() => widget.disconnected(), 'the sweep ends the socket', 15_000);
    assert.equal(widget.ended[0]?.reason, 'revoked');
  });

  it("a login session ends when its user is deleted or the user's role changes", async () => {
    const d = await seedAccount(t, { permissions: ['ivr'] });
    const signIn = async (username: string) => {
      const res = await call(`${t.url}/api/login`, {
        body: { accountId: d.accountId, username, password: 'correct horse battery' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return adminApi(t, d.accountId, (res.body as { token: string }).token);
    };
    const { db } = t.c2m.deps;
    for (const username of ['grace', 'linus']) {
      await createUser(db, {
        accountId: d.accountId,
        username,
        role: 'admin',
        password: 'correct horse battery',
        now: t.clock.now(),
      });
    }
    const grace = await signIn('grace');
    const linus = await signIn('linus');
    assert.equal((await grace.get('/handoffs')).status, 200);
    await db.deleteFrom('users').where('username', '=', 'grace').execute();
    await db
      .updateTable('users')
      .set({ role: 'read_only' })
      .where('username', '=', 'linus')
      .execute();
    t.clock.advance(5_000);
    assert.equal((await grace.get('/handoffs')).status, 401);
    assert.equal((await linus.get('/handoffs')).status, 401);
  });
});
