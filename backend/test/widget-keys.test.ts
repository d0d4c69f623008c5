// Widget installation keys: an admin creates one (the key shown once, kept hashed), the Agent
// Workspace page trades it for short widget sessions and renews them on its open socket, and a
// revoke ends them all. A key, and a session minted from one, read the widget and nothing else.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  ConnectRefusal,
  ServerToClientEvents,
  SessionEnded,
} from '../contract/realtime.js';
import type { CreatedWidgetKey, WidgetSessionResponse } from '../contract/widget-keys.js';
import { createRouters, documentedOperations } from '../src/app.js';
import { hashSecret } from '../src/auth/secrets.js';
import { mintSession } from '../src/modules/sessions/admin-auth.js';
import {
  adminApi,
  adminSession,
  call,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { deflect, freshPhone } from './sandbox-phone.js';

type WidgetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('widget installation keys', () => {
  let t: TestC2m;
  let a: SeededAccount;
  let b: SeededAccount;
  let adminToken: string;
  const sockets: WidgetSocket[] = [];

  before(async () => {
    t = await startTestC2m({ C2M_OAUTH1_WINDOW_SECONDS: String(86_400) });
    a = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    b = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    adminToken = await adminSession(t, a, 'admin');
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  async function createKey(account = a, token = adminToken, name = 'Agent Workspace') {
    const res = await adminApi(t, account.accountId, token).post('/widget-keys', { name });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as CreatedWidgetKey;
  }

  const mint = (key: string) => call(`${t.url}/api/widget/sessions`, { body: { key } });

  async function sessionOf(key: string): Promise<WidgetSessionResponse> {
    const res = await mint(key);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as WidgetSessionResponse;
  }

  const widgetList = (accountId: string, token: string) =>
    call(`${t.url}/api/widget/account/${accountId}/outbound?consumerPhoneNumber=%2B14155550123`, {
      method: 'GET',
      authorization: `Bearer ${token}`,
    });

  async function open(token: string) {
    const socket: WidgetSocket = connect(t.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    sockets.push(socket);
    const ended: SessionEnded[] = [];
    const seen: string[] = [];
    socket.on('session:expired', (e) => ended.push(e));
    socket.onAny((event: string) => seen.push(event));
    await new Promise<void>((ok, fail) => {
      socket.once('connect', () => ok());
      socket.once('connect_error', fail);
    });
    return { socket, ended, seen };
  }

  it('is created with its key shown once and kept hashed; the list never shows it', async () => {
    const created = await createKey();
    assert.match(created.key, /^c2m_wk_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.workspaceUrl, `${t.url}/agent-workspace#key=${created.key}`);
    assert.equal(created.revokedAt, null);

    const row = await t.c2m.deps.db
      .selectFrom('widget_keys')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, hashSecret(created.key));
    assert.ok(!JSON.stringify(row).includes(created.key), 'the key is not stored');

    const list = await adminApi(t, a.accountId, adminToken).get('/widget-keys');
    assert.equal(list.status, 200);
    const items = (list.body as { items: Record<string, unknown>[] }).items;
    assert.deepEqual(
      items.find((k) => k.id === created.id),
      { id: created.id, name: 'Agent Workspace', createdAt: created.createdAt, revokedAt: null },
    );
    assert.ok(!JSON.stringify(list.body).includes(created.key));
  });

  it('names the field of bad input and stores nothing', async () => {
    const api = adminApi(t, a.accountId, adminToken);
    const before = ((await api.get('/widget-keys')).body as { items: unknown[] }).items.length;
    const res = await api.post('/widget-keys', { name: '   ' });
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(res.body), /name/);
    const after = ((await api.get('/widget-keys')).body as { items: unknown[] }).items.length;
    assert.equal(after, before);
  });

  it('is managed by admins and campaign managers only, per the policy table', async () => {
    const manager = await adminSession(t, a, 'campaign_manager');
    const created = await createKey(a, manager, 'by the campaign manager');
    for (const role of ['read_only', 'agent_manager', 'agent'] as const) {
      const api = adminApi(t, a.accountId, await adminSession(t, a, role));
      assert.equal((await api.get('/widget-keys')).status, 403, `${role} lists`);
      assert.equal((await api.post('/widget-keys', { name: 'x' })).status, 403, `${role} creates`);
      assert.equal((await api.delete(`/widget-keys/${created.id}`)).status, 403, `${role} revokes`);
    }
    // another account's key is simply not there
    const other = adminApi(t, b.accountId, await adminSession(t, b, 'admin'));
    assert.equal((await other.delete(`/widget-keys/${created.id}`)).status, 404);
    assert.equal((await mint(created.key)).status, 200, 'still active');
  });

  it('mints a short widget session that reads the widget list and connects its socket', async () => {
    const { key } = await createKey();
    const session = await sessionOf(key);
    assert.equal(session.accountId, a.accountId);
    const lifetime = Date.parse(session.expiresAt) - t.clock.now();
    assert.ok(lifetime > 0 && lifetime <= 15 * 60_000, `15 minutes at most (${lifetime} ms)`);
    assert.equal((await widgetList(a.accountId, session.token)).status, 200);
    assert.equal((await widgetList(b.accountId, session.token)).status, 404);
    const w = await open(session.token);
    const ack = (await w.socket
      .timeout(5000)
      .emitWithAck('widget:subscribe', { consumerPhoneNumber: '+14155550123' })) as Ack<unknown>;
    assert.ok('data' in ack);
  });

  it('refuses an unknown key (401) and a malformed one (400), naming no account', async () => {
    const unknown = await mint(`c2m_wk_${'A'.repeat(43)}`);
    assert.equal(unknown.status, 401);
    assert.equal((await mint('')).status, 400);
    assert.equal((await mint(adminToken.slice(0, 200))).status, 401, 'a session token is no key');
  });

  it('neither a key nor its session is let into any other admin, IVR or reporting endpoint', async () => {
    const { key } = await createKey();
    const { token } = await sessionOf(key);
    const operations = documentedOperations(
      createRouters(t.c2m.deps, { publicDir: '', bundleDir: '' }),
    ).filter(
      (op) =>
        typeof op.access === 'object' &&
        // the widget's own, and sign-out (any session may end itself: sign-out.test.ts)
        !('session' in op.access && ['widget', 'own'].includes(op.access.session)),
    );
    assert.ok(operations.length > 30, `the endpoints are found (${operations.length})`);
    const checked: string[] = [];
    for (const op of operations) {
      const path = op.path.replace(':accountId', a.accountId).replace(/:[A-Za-z]+/g, 'x1');
      for (const [what, bearer] of [
        ['key', key],
        ['key session', token],
      ]) {
        const res = await call(`${t.url}${path}?v=2.0`, {
          method: op.method.toUpperCase(),
          authorization: `Bearer ${bearer}`,
          body: op.method === 'get' || op.method === 'delete' ? undefined : {},
        });
        assert.ok(
          res.status === 401 || res.status === 403,
          `${what}: ${op.method} ${op.path} answered ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
      checked.push(`${op.method} ${op.path}`);
    }
    assert.ok(checked.some((c) => c.includes('/eligibility')));
    assert.ok(checked.some((c) => c.includes('/api/admin/account/:accountId/widget-keys')));
    // the reports dashboard's socket namespace too
    const reports: WidgetSocket = connect(`${t.url}/reports`, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    sockets.push(reports);
    const err = await new Promise<Error>((ok, fail) => {
      reports.once('connect', () => fail(new Error('the key session entered /reports')));
      reports.once('connect_error', ok);
    });
    assert.equal(err.message, 'unauthorized');
  });

  it('renews the session on the open socket: the feed carries on past the first expiry', async () => {
    const { id, key } = await createKey();
    const short = mintSession(t.c2m.deps, {
      accountId: a.accountId,
      userId: `widget-key:${id}`,
      role: 'agent',
      widgetKeyId: id,
      ttlSeconds: 2,
    });
    const w = await open(short.token);
    const phone = freshPhone();
    const subscribed = (await w.socket
      .timeout(5000)
      .emitWithAck('widget:subscribe', { consumerPhoneNumber: phone })) as Ack<unknown>;
    assert.ok('data' in subscribed);

    const fresh = await sessionOf(key);
    const renewed = (await w.socket
      .timeout(5000)
      .emitWithAck('session:renew', fresh.token)) as Ack<{ expiresAt: string }>;
    assert.ok('data' in renewed, JSON.stringify(renewed));
    // the token's expiry, in whole seconds
    assert.ok(Math.abs(Date.parse(renewed.data.expiresAt) - Date.parse(fresh.expiresAt)) < 1000);

    await new Promise((r) => setTimeout(r, 2500)); // past the first session's expiry
    assert.ok(w.socket.connected, 'still connected');
    assert.deepEqual(w.ended, []);
    await deflect(t, a, phone);
    await waitFor(() => w.seen.includes('outbound:created'), 'the invite on the renewed socket');

    // a token of another account, or none, leaves the session as it was
    const otherKey = await createKey(b, await adminSession(t, b, 'admin'));
    const other = await sessionOf(otherKey.key);
    const foreign = (await w.socket
      .timeout(5000)
      .emitWithAck('session:renew', other.token)) as Ack<unknown>;
    assert.equal('error' in foreign && foreign.error.code, 'forbidden');
    const bogus = (await w.socket
      .timeout(5000)
      .emitWithAck('session:renew', 'not-a-token')) as Ack<unknown>;
    assert.equal('error' in bogus && bogus.error.code, 'unauthorized');
    assert.ok(w.socket.connected);
  });

  it('tells a socket refused for an expired session why (connect_error data)', async () => {
    const { id } = await createKey();
    const { token } = mintSession(t.c2m.deps, {
      accountId: a.accountId,
      userId: `widget-key:${id}`,
      role: 'agent',
      widgetKeyId: id,
      ttlSeconds: 60,
    });
    t.clock.advance(61_000);
    const refused = async (auth: string) => {
      const s: WidgetSocket = connect(t.url, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        auth: { token: auth },
      });
      sockets.push(s);
      return new Promise<Error & { data?: ConnectRefusal }>((ok, fail) => {
        s.once('connect', () => fail(new Error('connected')));
        s.once('connect_error', ok);
      });
    };
    const expired = await refused(token);
    assert.equal(expired.message, 'unauthorized');
    assert.deepEqual(expired.data, { reason: 'expired' });
    const invalid = await refused('not-a-token');
    assert.deepEqual(invalid.data, { reason: 'unauthorized' });
  });

  it('a revoke ends its sessions (REST and socket) and later mints are told it was revoked', async () => {
    const { id, key } = await createKey();
    const session = await sessionOf(key);
    const w = await open(session.token);
    const res = await adminApi(t, a.accountId, adminToken).delete(`/widget-keys/${id}`);
    assert.equal(res.status, 204);
    await waitFor(() => w.ended.length > 0, 'the socket is told');
    assert.equal(w.ended[0].reason, 'revoked');
    assert.equal((await widgetList(a.accountId, session.token)).status, 401);

    const again = await mint(key);
    assert.equal(again.status, 403);
    assert.match(JSON.stringify(again.body), /revoked/);
    const list = await adminApi(t, a.accountId, adminToken).get('/widget-keys');
    const listed = (list.body as { items: { id: string; revokedAt: string | null }[] }).items;
    assert.ok(listed.find((k) => k.id === id)?.revokedAt);
    // revoked twice: there is no active key by that id
    assert.equal(
      (await adminApi(t, a.accountId, adminToken).delete(`/widget-keys/${id}`)).status,
      404,
    );
  });
});
