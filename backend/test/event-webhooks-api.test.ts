// The event webhooks API: subscriptions are created, read, changed and deleted with an admin
// credential; the secret is shown once and stored encrypted; bad input is a 400 naming the field
// with nothing stored; URLs that could reach a private network are refused (SSRF); another
// account's subscriptions and deliveries do not exist for the caller.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SubscriptionView } from '../contract/webhooks.js';
import { seedAccount, startTestC2m, type SeededAccount, type TestC2m } from './helpers.js';
import { expectBadRequest, webhooksApi } from './event-webhooks-client.js';

const SECRET = 'brand-webhook-secret-0123456789';
const RECEIVER = 'http://127.0.0.1:9/hooks';

describe('event webhooks API', () => {
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    t = await startTestC2m({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1' });
    account = await seedAccount(t, { permissions: ['admin'] });
  });
  after(() => t?.close());

  const storedFor = (accountId: string) =>
    t.c2m.deps.db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();

  it('creates, reads, changes and deletes a subscription; the secret is shown once', async () => {
    const api = webhooksApi(t, account);
    const created = await api.create({
      url: RECEIVER,
      events: ['transaction.delivered', 'conversation.opened'],
      secret: SECRET,
      description: 'CRM',
    });
    assert.equal(created.url, RECEIVER);
    assert.deepEqual(created.events, ['transaction.delivered', 'conversation.opened']);
    assert.equal(created.description, 'CRM');
    assert.equal(created.enabled, true);
    assert.equal(created.createdAt, new Date(t.clock.now()).toISOString());

    const { secret, ...view } = created;
    assert.equal(secret, SECRET);
    const got = await api.request('GET', `/${created.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, view);
    assert.deepEqual(await api.list(), [view]);
    // encrypted at rest, never echoed
    const [row] = await storedFor(account.accountId);
    assert.ok(row && !row.secret_enc.includes(SECRET));
    assert.doesNotMatch(JSON.stringify(got.body), new RegExp(SECRET));

    t.clock.advance(1000);
    const patched = await api.request('PATCH', `/${created.id}`, {
      events: ['transaction.failed'],
      enabled: false,
      secret: 'rotated-secret-0123456789',
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body, {
      ...view,
      events: ['transaction.failed'],
      enabled: false,
      updatedAt: new Date(t.clock.now()).toISOString(),
    } satisfies SubscriptionView);
    const [rotated] = await storedFor(account.accountId);
    assert.notEqual(rotated?.secret_enc, row.secret_enc);

    assert.equal((await api.request('DELETE', `/${created.id}`)).status, 204);
    assert.equal((await api.request('GET', `/${created.id}`)).status, 404);
    assert.equal((await api.request('DELETE', `/${created.id}`)).status, 404);
    assert.deepEqual(await api.list(), []);
  });

  it('refuses bad input with 400 naming the field, storing nothing', async () => {
    const other = await seedAccount(t, { permissions: ['admin'] });
    const api = webhooksApi(t, other);
    const valid = { url: RECEIVER, events: ['transaction.sent'] };
    const cases: [unknown, RegExp][] = [
      [{ events: ['transaction.sent'] }, /^url: is required$/],
      [{ ...valid, url: 'not a url' }, /^url: must be an absolute URL$/],
      [{ ...valid, events: [] }, /^events: at least 1$/],
      [{ ...valid, events: ['transaction.exploded'] }, /^events\.0: must be one of transaction\./],
      [{ ...valid, events: ['transaction.sent', 'transaction.sent'] }, /^events: must not repeat/],
      [{ ...valid, secret: 'short' }, /^secret: at least 16 characters$/],
      [{ ...valid, description: 'x'.repeat(201) }, /^description: at most 200 characters$/],
      [{ ...valid, enabled: 'yes' }, /^enabled: must be of type boolean$/],
      [{ ...valid, accountId: '123' }, /^accountId: unknown field$/],
      [[valid], /^body: must be a JSON object$/],
    ];
    for (const [body, message] of cases) {
      expectBadRequest(await api.request('POST', '', body), message);
    }
    assert.deepEqual(await storedFor(other.accountId), []);

    const created = await api.create(valid);
    expectBadRequest(await api.request('PATCH', `/${created.id}`, {}), /^body: at least one field/);
    expectBadRequest(
      await api.request('PATCH', `/${created.id}`, { events: ['nope'] }),
      /^events\.0: must be one of/,
    );
    expectBadRequest(
      await api.request('GET', `/${created.id}/deliveries?status=lost`),
      /^status: must be pending, delivered or failed$/,
    );
    const [row] = await storedFor(other.accountId);
    assert.equal(row?.events_json, JSON.stringify(['transaction.sent']));
  });

  it('refuses private, link-local and non-http(s) URLs even with the development flag', async () => {
    const other = await seedAccount(t, { permissions: ['admin'] });
    const api = webhooksApi(t, other);
    for (const url of [
      'http://10.0.0.1/x',
      'https://192.168.1.10/x',
      'https://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/x',
      'https://user:pass@127.0.0.1/x',
      'file:///etc/passwd',
      'ftp://example.com/x',
    ]) {
      expectBadRequest(
        await api.request('POST', '', { url, events: ['transaction.sent'] }),
        /^url: /,
      );
    }
    assert.deepEqual(await storedFor(other.accountId), []);

    // a change of URL is checked the same way, and leaves the stored one as it was
    const created = await api.create({ url: RECEIVER, events: ['transaction.sent'] });
    expectBadRequest(
      await api.request('PATCH', `/${created.id}`, { url: 'http://169.254.169.254/x' }),
      /^url: host resolves to a private or loopback address \(169\.254\.169\.254\)$/,
    );
    const [row] = await storedFor(other.accountId);
    assert.equal(row?.url, RECEIVER);
  });

  it('answers 404 for another account’s subscription and 403 for its path or without admin', async () => {
    const owner = webhooksApi(t, account);
    const mine = await owner.create({ url: RECEIVER, events: ['transaction.sent'] });
    const strangerAccount = await seedAccount(t, { permissions: ['admin'] });
    const stranger = webhooksApi(t, strangerAccount);
    for (const [method, path, body] of [
      ['GET', `/${mine.id}`],
      ['PATCH', `/${mine.id}`, { url: 'https://example.com/steal' }],
      ['DELETE', `/${mine.id}`],
      ['GET', `/${mine.id}/deliveries`],
    ] as const) {
      assert.equal((await stranger.request(method, path, body)).status, 404, `${method} ${path}`);
    }
    // the stranger's credential on the owner's path: refused before anything is looked up
    const onOwnersPath = webhooksApi(t, strangerAccount, account.accountId);
    assert.equal((await onOwnersPath.request('GET')).status, 403);
    assert.equal(
      (await onOwnersPath.request('POST', '', { url: RECEIVER, events: ['transaction.sent'] }))
        .status,
      403,
    );
    // an IVR-only credential manages no webhooks
    const ivrOnly = webhooksApi(t, await seedAccount(t));
    assert.equal((await ivrOnly.request('GET')).status, 403);

    const [stored] = (await storedFor(account.accountId)).filter((r) => r.id === mine.id);
    assert.equal(stored?.url, RECEIVER);
    assert.deepEqual(await stranger.list(), []);
  });
});

describe('event webhooks API without the development flag', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m({ C2M_ALLOW_LOOPBACK_URLS: '0' });
  });
  after(() => t?.close());

  it('refuses loopback, private and plain-http URLs with 400 naming url', async () => {
    const account = await seedAccount(t, { permissions: ['admin'] });
    const api = webhooksApi(t, account);
    for (const url of [
      'http://127.0.0.1:8080/x',
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://0x7f000001/x',
      'https://localhost/x',
      'https://169.254.169.254/x',
      'https://10.1.2.3/x',
      'http://example.com/x',
    ]) {
      expectBadRequest(
        await api.request('POST', '', { url, events: ['transaction.sent'] }),
        /^url: /,
      );
    }
    const stored = await t.c2m.deps.db
      .selectFrom('webhook_subscriptions')
      .select('url')
      .where('account_id', '=', account.accountId)
      .execute();
    assert.deepEqual(stored, []);
  });
});
