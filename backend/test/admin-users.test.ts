// The users page's API against a real c2m: list without passwords, add with a role (the person
// then signs in), a new password set by an administrator (the old one stops working), removal
// (not oneself, not the last admin), field errors with nothing stored, other accounts' users out
// of reach, and each role against the policy table.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { can, Role } from '../contract/policy.js';
import type { AdminErrorBody } from '../contract/errors.js';
import { SessionResponse } from '../contract/sessions.js';
import { UserList, UserView } from '../contract/users.js';
import {
  adminApi,
  adminSession,
  call,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

describe('admin users', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let api: ReturnType<typeof adminApi>;
  let n = 0;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
  });
  after(() => t?.close());

  const list = async (as = api) => {
    const res = await as.get('/users');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return UserList.parse(res.body).items;
  };
  const add = async (role: Role, password = 'a long enough password', as = api) => {
    n += 1;
    const res = await as.post('/users', { username: `person-${n}`, role, password });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return UserView.parse(res.body);
  };
  const login = (username: string, password: string, accountId = account.accountId) => {
    // the sign-in throttle counts per second: each attempt a little later
    t.clock.advance(1_100);
    return call(`${t.url}/api/login`, { body: { accountId, username, password } });
  };

  it('adds a user with a role, who signs in; the list never holds a password', async () => {
    const user = await add('campaign_manager', 'first password 1');
    assert.equal(user.role, 'campaign_manager');
    const signedIn = await login(user.username, 'first password 1');
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    assert.equal(SessionResponse.parse(signedIn.body).role, 'campaign_manager');

    const res = await api.get('/users');
    const listed = UserList.parse(res.body).items.find((u) => u.id === user.id);
    assert.deepEqual(listed, user);
    const text = JSON.stringify(res.body);
    assert.equal(text.includes('first password 1'), false);
    assert.equal(/scrypt|hash|password/i.test(text), false, text);
    const row = await t.c2m.deps.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^scrypt\$/);
  });

  it('sets a new password: the new one signs in, the old one no longer does', async () => {
    const user = await add('read_only', 'the old password');
    const res = await api.put(`/users/${user.id}/password`, { password: 'the new password' });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    assert.equal((await login(user.username, 'the old password')).status, 401);
    assert.equal((await login(user.username, 'the new password')).status, 200);
  });

  it('bad input: 400 naming the field, nothing stored', async () => {
    const before = (await list()).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ username: 'x', role: 'admin', password: 'short' }, 'password'],
      [{ username: 'x', role: 'owner', password: 'long enough 123' }, 'role'],
      [{ username: '', role: 'admin', password: 'long enough 123' }, 'username'],
      [{ username: 'bad\u202ename', role: 'admin', password: 'long enough 123' }, 'username'],
      [{ username: 'x', role: 'admin', password: ' padded password ' }, 'password'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/users', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const error = (res.body as AdminErrorBody).error;
      assert.equal(error.code, 'validation_failed');
      assert.ok(error.details?.fieldErrors[field], `${field} in ${JSON.stringify(error)}`);
    }
    const taken = await add('read_only');
    const dup = await api.post('/users', {
      username: taken.username,
      role: 'admin',
      password: 'long enough 123',
    });
    assert.equal(dup.status, 400);
    assert.ok((dup.body as AdminErrorBody).error.details?.fieldErrors.username);
    assert.equal((await list()).length, before + 1);

    const reset = await api.put(`/users/${taken.id}/password`, { password: 'short' });
    assert.equal(reset.status, 400);
    assert.ok((reset.body as AdminErrorBody).error.details?.fieldErrors.password);
    assert.equal(
      (await api.put(`/users/no-such-user/password`, { password: 'long enough 123' })).status,
      404,
    );
  });

  it('removes a user, whose sign-in then fails; not oneself; never the last admin', async () => {
    const gone = await add('read_only', 'password to lose');
    assert.equal((await api.delete(`/users/${gone.id}`)).status, 204);
    assert.equal(
      (await list()).some((u) => u.id === gone.id),
      false,
    );
    assert.equal((await login(gone.username, 'password to lose')).status, 401);
    assert.equal((await api.delete(`/users/${gone.id}`)).status, 404);

    // a fresh account, whose only admin signs in and tries to remove themself
    const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const portal = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
    const first = await add('admin', 'first admin pass', portal);
    const signedIn = await login(first.username, 'first admin pass', other.accountId);
    const self = adminApi(t, other.accountId, SessionResponse.parse(signedIn.body).token);
    const own = await self.delete(`/users/${first.id}`);
    assert.equal(own.status, 409, JSON.stringify(own.body));
    assert.match((own.body as AdminErrorBody).error.message, /yourself/);

    // the portal's session is no user of c2m: it may remove users, but not the last admin
    const last = await portal.delete(`/users/${first.id}`);
    assert.equal(last.status, 409, JSON.stringify(last.body));
    assert.equal((last.body as AdminErrorBody).error.code, 'conflict');
    assert.match((last.body as AdminErrorBody).error.message, /at least one admin/);

    const second = await add('admin', 'second admin pass', portal);
    assert.equal((await self.delete(`/users/${second.id}`)).status, 204);
    assert.deepEqual(
      (await list(portal)).map((u) => u.id),
      [first.id],
    );
  });

  it("another account's users are neither listed nor reachable", async () => {
    const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const theirs = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
    const theirUser = await add('read_only', 'their password 1', theirs);
    assert.equal(
      (await list()).some((u) => u.id === theirUser.id),
      false,
    );
    const put = await api.put(`/users/${theirUser.id}/password`, { password: 'taken over 123' });
    assert.equal(put.status, 404);
    assert.equal((await api.delete(`/users/${theirUser.id}`)).status, 404);
    // and their admin path is not reachable with our session
    const crossed = adminApi(t, other.accountId, await adminSession(t, account, 'admin'));
    assert.equal((await crossed.get('/users')).status, 404);
    const posted = await crossed.post('/users', {
      username: 'intruder',
      role: 'admin',
      password: 'long enough 123',
    });
    assert.equal(posted.status, 404);
    assert.deepEqual(
      (await list(theirs)).map((u) => u.id),
      [theirUser.id],
    );
    assert.equal(
      (await login(theirUser.username, 'their password 1', other.accountId)).status,
      200,
    );
  });

  describe('role × action', () => {
    for (const role of Role.options) {
      const view = can(role, 'users:view');
      const manage = can(role, 'users:manage');
      it(`${role}: view ${view ? 'yes' : 'no'}, manage ${manage ? 'yes' : 'no'}`, async () => {
        const as = adminApi(t, account.accountId, await adminSession(t, account, role));
        const target = await add('read_only');
        const count = (await list()).length;

        const listed = await as.get('/users');
        assert.equal(listed.status, view ? 200 : 403, JSON.stringify(listed.body));
        const added = await as.post('/users', {
          username: `by-${role}`,
          role: 'read_only',
          password: 'long enough 123',
        });
        assert.equal(added.status, manage ? 201 : 403, JSON.stringify(added.body));
        const reset = await as.put(`/users/${target.id}/password`, { password: 'another one 123' });
        assert.equal(reset.status, manage ? 204 : 403, JSON.stringify(reset.body));
        const removed = await as.delete(`/users/${target.id}`);
        assert.equal(removed.status, manage ? 204 : 403, JSON.stringify(removed.body));

        const after = await list();
        if (manage) {
          assert.equal(after.length, count);
        } else {
          for (const res of [listed, added, reset, removed].filter((r) => r.status === 403)) {
            assert.equal((res.body as AdminErrorBody).error.code, 'forbidden');
          }
          assert.equal(after.length, count);
          assert.ok(after.some((u) => u.id === target.id));
        }
      });
    }
  });
});
