// Sessions for the admin API against a real c2m: minted by a brand portal's backend with an admin
// credential, or by a person signing in as a user that `c2m user add` created; their expiry and
// account; and the CORS allow-list that decides which browser pages may call the admin API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { POLICY, Role } from '../contract/policy.js';
import { SessionResponse } from '../contract/sessions.js';
import { IvrErrorCode, type AdminErrorBody, type IvrErrorBody } from '../contract/errors.js';
import {
  adminApi,
  adminSession,
  call,
  oauth1Header,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { c2m } from './cli-run.js';

describe('admin sessions', () => {
  let t: TestC2m;
  let account: SeededAccount;
  const mintUrl = (a: SeededAccount) => `${t.url}/api/account/${a.accountId}/sessions`;
  const mint = (a: SeededAccount, body: unknown) =>
    call(mintUrl(a), { authorization: oauth1Header(a.oauth1, 'POST', mintUrl(a)), body });

  before(async () => {
    // the expiry test moves the server's clock; keep OAuth 1.0a timestamps (real time) valid
    t = await startTestC2m({ C2M_OAUTH1_WINDOW_SECONDS: String(86_400) });
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
  });
  after(() => t?.close());

  describe('minted by the brand portal with an admin credential', () => {
    for (const role of Role.options) {
      it(`${role}: 200 with the policy's actions and a 15-minute expiry`, async () => {
        const res = await mint(account, { userId: 'portal-user-1', role });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.headers.get('Cache-Control'), 'no-store');
        const session = SessionResponse.parse(res.body);
        assert.equal(session.role, role);
        assert.deepEqual(session.actions, [...POLICY[role]]);
        assert.equal(Date.parse(session.expiresAt), t.clock.now() + 900_000);
      });
    }

    it('takes a shorter lifetime', async () => {
      const res = await mint(account, { userId: 'u', role: 'admin', ttlSeconds: 60 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { expiresAt } = SessionResponse.parse(res.body);
      assert.equal(Date.parse(expiresAt), t.clock.now() + 60_000);
    });

    it('a credential without the admin permission: 403', async () => {
      const ivrOnly = await seedAccount(t, { permissions: ['ivr'] });
      const res = await mint(ivrOnly, { userId: 'u', role: 'admin' });
      assert.equal(res.status, 403);
      assert.equal((res.body as IvrErrorBody).errorCode, IvrErrorCode.forbidden);
    });

    it('an unknown role or a bad lifetime: 400 naming the field', async () => {
      const role = await mint(account, { userId: 'u', role: 'root' });
      assert.equal(role.status, 400);
      assert.match((role.body as IvrErrorBody).errorMessage, /^role: /);
      const ttl = await mint(account, { userId: 'u', role: 'admin', ttlSeconds: 7200 });
      assert.equal(ttl.status, 400);
      assert.match((ttl.body as IvrErrorBody).errorMessage, /^ttlSeconds: /);
    });

    it('no credential: 401', async () => {
      const res = await call(mintUrl(account), { body: { userId: 'u', role: 'admin' } });
      assert.equal(res.status, 401);
    });
  });

  it("a session of one account on another account's admin path: 404", async () => {
    const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const token = await adminSession(t, account, 'admin');
    for (const path of ['/settings', '/credentials']) {
      const res = await adminApi(t, other.accountId, token).get(path);
      assert.equal(res.status, 404, path);
      assert.equal((res.body as AdminErrorBody).error.code, 'not_found');
      assert.equal((await adminApi(t, account.accountId, token).get(path)).status, 200);
    }
  });

  it('an expired session: 401', async () => {
    const res = await mint(account, { userId: 'u', role: 'admin', ttlSeconds: 60 });
    const { token } = SessionResponse.parse(res.body);
    const api = adminApi(t, account.accountId, token);
    assert.equal((await api.get('/settings')).status, 200);
    t.clock.advance(61_000);
    const expired = await api.get('/settings');
    assert.equal(expired.status, 401);
    assert.equal((expired.body as AdminErrorBody).error.code, 'unauthorized');
  });

  it('a forged or foreign token: 401', async () => {
    const token = await adminSession(t, account, 'read_only');
    const [head, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString(
      'base64url',
    );
    const forged = `${head}.${promoted}.${token.split('.')[2]}`;
    const api = adminApi(t, account.accountId, forged);
    assert.equal((await api.put('/settings', { deviceCheck: true })).status, 401);
    assert.equal((await adminApi(t, account.accountId, 'x.y.z').get('/settings')).status, 401);
  });

  describe('login on c2m’s own page, as a user the CLI created', () => {
    const password = 'correct horse battery';
    const login = (over: Record<string, unknown> = {}) => {
      // one attempt per second per user name: each attempt here is a second later
      t.clock.advance(1_100);
      return call(`${t.url}/api/login`, {
        body: { accountId: account.accountId, username: 'maria', password, ...over },
      });
    };

    before(async () => {
      const res = await c2m(
        t.dataDir,
        ['user', 'add', '--account', account.accountId, '--username', 'maria'].concat([
          '--role',
          'campaign_manager',
          '--password-stdin',
        ]),
        { stdin: `${password}\n` },
      );
      assert.equal(res.code, 0, res.stderr);
    });

    it('signs in and the token works on the admin API', async () => {
      const res = await login();
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const session = SessionResponse.parse(res.body);
      assert.equal(session.role, 'campaign_manager');
      assert.deepEqual(session.actions, [...POLICY.campaign_manager]);
      const api = adminApi(t, account.accountId, session.token);
      assert.equal((await api.get('/settings')).status, 200);
      assert.equal((await api.put('/settings', { deviceCheck: false })).status, 200);
    });

    it('a wrong password, user or account: 401', async () => {
      for (const over of [
        { password: 'correct horse battery!' },
        { username: 'mario' },
        { accountId: '00000000' },
      ]) {
        const res = await login(over);
        assert.equal(res.status, 401, JSON.stringify(over));
      }
    });

    it('keeps the password as a salted scrypt hash, not the password', async () => {
      const row = await t.c2m.deps.db
        .selectFrom('users')
        .select(['password_hash', 'role'])
        .where('account_id', '=', account.accountId)
        .where('username', '=', 'maria')
        .executeTakeFirstOrThrow();
      assert.equal(row.role, 'campaign_manager');
      assert.match(row.password_hash, /^scrypt\$[\w-]+\$[\w-]+$/);
      assert.equal(row.password_hash.includes(password), false);
    });

    it('the CLI refuses a taken name, a bad role and a short password, naming the flag', async () => {
      const add = ['user', 'add', '--account', account.accountId];
      const cases: [string[], string, string][] = [
        [
          [...add, '--username', 'maria', '--role', 'admin', '--password-stdin'],
          password,
          '--username',
        ],
        [[...add, '--username', 'bob', '--role', 'root', '--password-stdin'], password, '--role'],
        [[...add, '--username', 'bob', '--role', 'agent', '--password', 'short'], '', '--password'],
        [[...add, '--username', 'bob', '--role', 'agent'], '', '--password'],
      ];
      const results = await Promise.all(
        cases.map(([args, stdin]) => c2m(t.dataDir, args, { stdin })),
      );
      for (const [i, res] of results.entries()) {
        assert.equal(res.code, 2, `${cases[i][0].join(' ')}: ${res.stderr}`);
        assert.ok(res.stderr.includes(cases[i][2]), res.stderr);
      }
      const users = await t.c2m.deps.db
        .selectFrom('users')
        .select('username')
        .where('account_id', '=', account.accountId)
        .execute();
      assert.deepEqual(
        users.map((u) => u.username),
        ['maria'],
      );
    });
  });

  describe('CORS: an allow-list of embedding origins per account', () => {
    const PORTAL = 'https://portal.example.com';
    let token: string;
    const request = (method: string, origin?: string, body?: unknown) =>
      call(`${t.url}/api/admin/account/${account.accountId}/settings`, {
        method,
        authorization: `Bearer ${token}`,
        body,
        headers: origin ? { Origin: origin } : {},
      });

    before(async () => {
      token = await adminSession(t, account, 'admin');
      const res = await request('PUT', undefined, { allowedOrigins: [PORTAL] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('an origin not on the list: 403, nothing changed', async () => {
      const before = (await request('GET')).body as { frequencyCapPerHour: number };
      const res = await request('PUT', 'https://evil.example.com', {
        frequencyCapPerHour: before.frequencyCapPerHour + 1,
      });
      assert.equal(res.status, 403);
      assert.equal((res.body as AdminErrorBody).error.code, 'forbidden');
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), null);
      assert.deepEqual((await request('GET')).body, before);
    });

    it('an allowed origin gets itself back in Access-Control-Allow-Origin', async () => {
      const res = await request('GET', PORTAL);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), PORTAL);
      assert.match(res.headers.get('Vary') ?? '', /Origin/);
    });

    it('a preflight from an allowed origin: 204 with the methods and headers', async () => {
      const res = await call(`${t.url}/api/admin/account/${account.accountId}/settings`, {
        method: 'OPTIONS',
        headers: {
          Origin: PORTAL,
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'authorization, content-type',
        },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), PORTAL);
      assert.match(res.headers.get('Access-Control-Allow-Methods') ?? '', /\bPUT\b/);
      assert.match(res.headers.get('Access-Control-Allow-Headers') ?? '', /Authorization/);
      assert.match(res.headers.get('Access-Control-Allow-Headers') ?? '', /Content-Type/);
    });

    it('a preflight from another origin: 403', async () => {
      const res = await call(`${t.url}/api/admin/account/${account.accountId}/settings`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example.com', 'Access-Control-Request-Method': 'PUT' },
      });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('Access-Control-Allow-Methods'), null);
    });

    it("one account's origin is not allowed on another account", async () => {
      const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
      const res = await call(`${t.url}/api/admin/account/${other.accountId}/settings`, {
        method: 'GET',
        authorization: `Bearer ${await adminSession(t, other, 'admin')}`,
        headers: { Origin: PORTAL },
      });
      assert.equal(res.status, 403);
    });

    it('no Origin (a server, curl): served as usual, without CORS headers', async () => {
      const res = await request('GET');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), null);
    });
  });
});
