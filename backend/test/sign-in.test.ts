// Signing in on c2m's own page (POST /api/login) against guessing: consecutive failures lock a
// name out from the address that failed (not from everywhere), an address that fails too often is
// stopped, a throttled attempt is a 429 with Retry-After (never "wrong password"), success resets,
// an unknown user costs as much as a known one, and the limiter forgets.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createUser } from '../src/modules/sessions/users.repo.js';
import { hashPassword } from '../src/modules/sessions/passwords.js';
import {
  memorySignInLimiters,
  SignInThrottle,
  type SignInRules,
} from '../src/modules/sessions/sign-in-throttle.js';
import { call, seedAccount, startTestC2m, type SeededAccount, type TestC2m } from './helpers.js';

const PASSWORD = 'correct horse battery';

describe('sign-in throttling', () => {
  let t: TestC2m;
  let a: SeededAccount;
  let ip = 0;
  /** A new client address each call, so one test's failures never throttle another's. */
  const freshIp = () => `198.51.100.${++ip}`;

  before(async () => {
    // X-Forwarded-For stands for the client's address, as behind a trusted reverse proxy
    t = await startTestC2m({ C2M_TRUST_PROXY: '1' });
    a = await seedAccount(t);
    for (const username of ['ada', 'grace', 'linus']) {
      await createUser(t.c2m.deps.db, {
        accountId: a.accountId,
        username,
        role: 'admin',
        password: PASSWORD,
        now: t.clock.now(),
      });
    }
  });
  after(() => t?.close());

  const login = (username: string, password: string, from: string) =>
    call(`${t.url}/api/login`, {
      body: { accountId: a.accountId, username, password },
      headers: { 'X-Forwarded-For': from },
    });
  const message = (body: unknown) =>
    (body as { errorMessage?: string; error?: { message: string } }).errorMessage ??
    (body as { error: { message: string } }).error.message;

  it('locks a name out from the address that failed 5 times, not from another address', async () => {
    const attacker = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await login('ada', `guess-${i}`, attacker);
      assert.equal(res.status, 401, `failure ${i + 1}`);
      assert.match(message(res.body), /wrong/i);
    }
    // the 6th try from there is throttled, even with the right password: 429, never "wrong"
    const throttled = await login('ada', PASSWORD, attacker);
    assert.equal(throttled.status, 429);
    const retryAfter = Number(throttled.headers.get('Retry-After'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.match(message(throttled.body), /wait \d+ seconds?/i);
    assert.doesNotMatch(message(throttled.body), /wrong/i);
    // ada herself, from her own address, signs in
    const ada = await login('ada', PASSWORD, freshIp());
    assert.equal(ada.status, 200, JSON.stringify(ada.body));
    // and the attacker's address may still sign in as someone else
    assert.equal((await login('grace', PASSWORD, attacker)).status, 200);
  });

  it('a success resets the consecutive failures', async () => {
    const from = freshIp();
    for (let i = 0; i < 4; i++) assert.equal((await login('linus', 'nope', from)).status, 401);
    assert.equal((await login('linus', PASSWORD, from)).status, 200);
    for (let i = 0; i < 4; i++) assert.equal((await login('linus', 'nope', from)).status, 401);
    assert.equal((await login('linus', PASSWORD, from)).status, 200);
  });

  it('answers an unknown user no faster than a known one: both verify a password', async () => {
    const started = performance.now();
    await hashPassword('the cost of one scrypt');
    const scryptMs = performance.now() - started;
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const timed = async (username: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        const res = await login(username, 'wrong password', freshIp());
        times.push(performance.now() - t0);
        assert.equal(res.status, 401);
        assert.match(message(res.body), /Wrong account, user name or password/);
      }
      return median(times);
    };
    const known = await timed('grace');
    const unknown = await timed('no-such-user');
    assert.ok(unknown >= scryptMs * 0.5, `unknown ${unknown} ms, one scrypt ${scryptMs} ms`);
    assert.ok(unknown >= known * 0.5, `unknown ${unknown} ms vs known ${known} ms`);
    assert.ok(unknown <= known * 2, `unknown ${unknown} ms vs known ${known} ms`);
  });
});

describe('the sign-in limiter', () => {
  /** Seconds instead of minutes and hours, so expiry shows in real time. */
  const rules: SignInRules = {
    consecutiveFailures: 2,
    failureWindowSeconds: 1,
    firstBlockSeconds: 1,
    maxBlockSeconds: 4,
    failuresPerIp: 100,
    ipWindowSeconds: 1,
  };
  const key = { accountId: '1', username: 'ada', ip: '198.51.100.7' };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('stops an address that fails too often, across names, for the whole window', async () => {
    const few = { ...rules, failuresPerIp: 3, ipWindowSeconds: 60 };
    const throttle = new SignInThrottle(memorySignInLimiters(few), few);
    const from = (username: string) => ({ ...key, username });
    for (const username of ['a', 'b', 'c']) await throttle.failed(from(username));
    const wait = await throttle.waitMs(from('someone-else'));
    assert.ok(wait > 59_000 && wait <= 60_000, `address blocked ${wait} ms`);
    assert.equal(await throttle.waitMs({ ...key, ip: '198.51.100.8' }), 0, 'another address');
  });

  it('forgets a failure after its window: its entries are gone', async () => {
    const limiters = memorySignInLimiters(rules);
    const throttle = new SignInThrottle(limiters, rules);
    await throttle.failed(key);
    assert.equal(await throttle.waitMs(key), 0, 'one failure is no lockout');
    assert.notEqual(await limiters.byNameAndIp.get('1:ada:198.51.100.7'), null);
    await sleep(1100);
    assert.equal(await limiters.byNameAndIp.get('1:ada:198.51.100.7'), null);
    assert.equal(await limiters.byIp.get('198.51.100.7'), null);
  });

  it('blocks longer at each lockout, and starts over after a success', async () => {
    const longer = { ...rules, failureWindowSeconds: 30 };
    const throttle = new SignInThrottle(memorySignInLimiters(longer), longer);
    await throttle.failed(key);
    await throttle.failed(key);
    const first = await throttle.waitMs(key);
    assert.ok(first > 0 && first <= 1000, `first lockout ${first} ms`);
    await sleep(first + 50);
    assert.equal(await throttle.waitMs(key), 0);
    await throttle.failed(key);
    await throttle.failed(key);
    const second = await throttle.waitMs(key);
    assert.ok(second > 1000 && second <= 2000, `second lockout ${second} ms`);

    // a success after the lockout starts the count again, lockouts included
    await sleep(second + 50);
    await throttle.succeeded(key);
    await throttle.failed(key);
    await throttle.failed(key);
    const again = await throttle.waitMs(key);
    assert.ok(again > 0 && again <= 1000, `lockout after a success ${again} ms`);
  });
});
