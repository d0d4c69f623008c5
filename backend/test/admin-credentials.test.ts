// The API keys page against a real c2m: secrets answered once and never listed, the created,
// rotated and revoked credentials (not) authenticating real IVR calls, field errors with nothing
// stored, other accounts' credentials unreachable, and each role × action against the policy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { can, Role } from '../contract/policy.js';
import type { AdminErrorBody } from '../contract/errors.js';
import { CreatedCredential, CredentialView } from '../contract/credentials.js';
import type { OAuth1Secrets, OAuth2Secrets } from '../src/modules/accounts/credentials.service.js';
import {
  adminApi,
  adminSession,
  bearerToken,
  call,
  oauth1Header,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

describe('admin credentials', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let api: ReturnType<typeof adminApi>;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
  });
  after(() => t?.close());

  const list = async (as = api) => {
    const res = await as.get('/credentials');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { items: CredentialView.array().parse((res.body as { items: unknown }).items), res };
  };

  /** Eligibility signed with OAuth 1.0a, as the brand's IVR calls it: 200 when the keys work. */
  const signedEligibility = async (secrets: OAuth1Secrets, phone = '+14155550170') => {
    const url = `${t.url}/api/account/${account.accountId}/eligibility?v=2.0`;
    const body = { skill: 'sales', consumerPhoneNumber: phone, handoffId: account.handoffs.sms };
    return (await call(url, { body, authorization: oauth1Header(secrets, 'POST', url) })).status;
  };

  const asOAuth1 = (c: CreatedCredential): OAuth1Secrets => ({
    id: c.id,
    ...(c.secrets as Omit<OAuth1Secrets, 'id'>),
  });

  it('lists credentials by their public key ids, without a secret', async () => {
    const { items, res } = await list();
    const text = JSON.stringify(res.body);
    // both were made in the same millisecond: their order is not the point here
    const seeded = items
      .filter((c) => c.id === account.oauth1.id || c.id === account.oauth2.id)
      .sort((a, b) => a.kind.localeCompare(b.kind));
    assert.deepEqual(
      seeded.map(({ kind, keyId, permissions, revokedAt }) => ({
        kind,
        keyId,
        permissions,
        revokedAt,
      })),
      [
        {
          kind: 'oauth1',
          keyId: account.oauth1.consumerKey,
          permissions: ['ivr', 'admin'],
          revokedAt: null,
        },
        {
          kind: 'oauth2',
          keyId: account.oauth2.clientId,
          permissions: ['ivr', 'admin'],
          revokedAt: null,
        },
      ],
    );
    for (const secret of [
      account.oauth1.consumerSecret,
      account.oauth1.token,
      account.oauth1.tokenSecret,
      account.oauth2.clientSecret,
    ]) {
      assert.equal(text.includes(secret), false);
    }
    assert.doesNotMatch(text, /secret/i);
  });

  it('creates OAuth 1.0a keys: 201 with the secrets once, and they sign IVR calls', async () => {
    const res = await api.post('/credentials', {
      kind: 'oauth1',
      name: 'IVR east',
      permissions: ['ivr'],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const created = CreatedCredential.parse(res.body);
    assert.equal(created.kind, 'oauth1');
    assert.equal(created.name, 'IVR east');
    assert.equal(created.revokedAt, null);
    const secrets = asOAuth1(created);
    assert.equal(created.keyId, secrets.consumerKey);
    assert.match(secrets.consumerSecret, /^c2m_cs_/);
    assert.equal(await signedEligibility(secrets), 200);

    const { items, res: listed } = await list();
    assert.deepEqual(
      items.find((c) => c.id === created.id),
      {
        id: created.id,
        kind: 'oauth1',
        name: 'IVR east',
        keyId: secrets.consumerKey,
        permissions: ['ivr'],
        createdAt: created.createdAt,
        revokedAt: null,
      },
    );
    assert.equal(JSON.stringify(listed.body).includes(secrets.consumerSecret), false);
    assert.equal(JSON.stringify(listed.body).includes(secrets.tokenSecret), false);
  });

  it('creates OAuth 2.0 client credentials with the token URL; ivr is the default permission', async () => {
    const res = await api.post('/credentials', { kind: 'oauth2', name: 'IVR west' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const created = CreatedCredential.parse(res.body);
    assert.deepEqual(created.permissions, ['ivr']);
    const secrets = created.secrets as Omit<OAuth2Secrets, 'id'> & { tokenUrl: string };
    assert.equal(secrets.tokenUrl, `${t.url}/oauth/token`);
    assert.equal(created.keyId, secrets.clientId);
    const token = await bearerToken(t.url, { id: created.id, ...secrets });
    assert.ok(token, 'the new client credentials get a token');
  });

  describe('refuses bad input with 400 naming the field, storing nothing', () => {
    const cases: [string, unknown, string][] = [
      ['an unknown kind', { kind: 'oauth3', name: 'x' }, 'kind'],
      ['no kind', { name: 'x' }, 'kind'],
      ['an empty name', { kind: 'oauth1', name: '  ' }, 'name'],
      ['a long name', { kind: 'oauth1', name: 'x'.repeat(101) }, 'name'],
      [
        'an unknown permission',
        { kind: 'oauth1', name: 'x', permissions: ['root'] },
        'permissions.0',
      ],
      ['no permission', { kind: 'oauth1', name: 'x', permissions: [] }, 'permissions'],
      [
        'a permission twice',
        { kind: 'oauth1', name: 'x', permissions: ['ivr', 'ivr'] },
        'permissions',
      ],
    ];
    for (const [what, input, field] of cases) {
      it(what, async () => {
        const before = await list();
        const res = await api.post('/credentials', input);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        const { error } = res.body as AdminErrorBody;
        assert.equal(error.code, 'validation_failed');
        assert.ok(
          field in (error.details?.fieldErrors ?? {}),
          `${field} in ${JSON.stringify(error)}`,
        );
        assert.deepEqual((await list()).items, before.items);
      });
    }
  });

  it('rotates: new secrets once, same name and permissions, the old ones stop working', async () => {
    const made = CreatedCredential.parse(
      (
        await api.post('/credentials', {
          kind: 'oauth1',
          name: 'to rotate',
          permissions: ['ivr', 'reporting'],
        })
      ).body,
    );
    const old = asOAuth1(made);
    assert.equal(await signedEligibility(old, '+14155550171'), 200);

    const res = await api.post(`/credentials/${made.id}/rotate`);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const rotated = CreatedCredential.parse(res.body);
    assert.notEqual(rotated.id, made.id);
    assert.equal(rotated.kind, 'oauth1');
    assert.equal(rotated.name, 'to rotate');
    assert.deepEqual(rotated.permissions, ['ivr', 'reporting']);
    assert.notEqual(asOAuth1(rotated).consumerSecret, old.consumerSecret);

    assert.equal(await signedEligibility(old, '+14155550172'), 401);
    assert.equal(await signedEligibility(asOAuth1(rotated), '+14155550173'), 200);
    const { items } = await list();
    assert.ok(items.find((c) => c.id === made.id)?.revokedAt, 'the old one is listed as revoked');
    assert.equal(items.find((c) => c.id === rotated.id)?.revokedAt, null);

    const again = await api.post(`/credentials/${made.id}/rotate`);
    assert.equal(again.status, 404);
    assert.equal((again.body as AdminErrorBody).error.code, 'not_found');
  });

  it('rotates OAuth 2.0 credentials: the old client secret gets no token', async () => {
    const made = CreatedCredential.parse(
      (await api.post('/credentials', { kind: 'oauth2', name: 'rotate me' })).body,
    );
    const res = await api.post(`/credentials/${made.id}/rotate`);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const rotated = CreatedCredential.parse(res.body);
    const form = (s: { clientId: string; clientSecret: string }) =>
      call(`${t.url}/oauth/token`, {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: s.clientId,
          client_secret: s.clientSecret,
        }).toString(),
      });
    type ClientSecrets = Omit<OAuth2Secrets, 'id'>;
    assert.equal((await form(made.secrets as ClientSecrets)).status, 401);
    assert.equal((await form(rotated.secrets as ClientSecrets)).status, 200);
  });

  it('revokes: 204, the keys stop working at once, a second revoke is 404', async () => {
    const made = CreatedCredential.parse(
      (await api.post('/credentials', { kind: 'oauth1', name: 'short-lived' })).body,
    );
    assert.equal(await signedEligibility(asOAuth1(made), '+14155550174'), 200);
    const res = await api.delete(`/credentials/${made.id}`);
    assert.equal(res.status, 204);
    assert.equal(await signedEligibility(asOAuth1(made), '+14155550175'), 401);
    assert.ok((await list()).items.find((c) => c.id === made.id)?.revokedAt);
    assert.equal((await api.delete(`/credentials/${made.id}`)).status, 404);
    assert.equal((await api.delete('/credentials/no-such-id')).status, 404);
    assert.equal((await api.post('/credentials/no-such-id/rotate')).status, 404);
  });

  it("another account's credentials are neither listed nor reachable", async () => {
    const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const ids = (await list()).items.map((c) => c.id);
    assert.equal(ids.includes(other.oauth1.id), false);
    assert.equal((await api.post(`/credentials/${other.oauth1.id}/rotate`)).status, 404);
    assert.equal((await api.delete(`/credentials/${other.oauth1.id}`)).status, 404);
    const theirs = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
    const listed = await list(theirs);
    assert.equal(listed.items.find((c) => c.id === other.oauth1.id)?.revokedAt, null);
    // and their admin path is not reachable with our session
    const crossed = adminApi(t, other.accountId, await adminSession(t, account, 'admin'));
    assert.equal((await crossed.get('/credentials')).status, 404);
    assert.equal((await crossed.post('/credentials', { kind: 'oauth1', name: 'x' })).status, 404);
    assert.equal((await list(theirs)).items.length, listed.items.length);
  });

  describe('role × action', () => {
    for (const role of Role.options) {
      const view = can(role, 'credentials:view');
      const manage = can(role, 'credentials:manage');
      it(`${role}: view ${view ? 'yes' : 'no'}, manage ${manage ? 'yes' : 'no'}`, async () => {
        const as = adminApi(t, account.accountId, await adminSession(t, account, role));
        const target = CreatedCredential.parse(
          (await api.post('/credentials', { kind: 'oauth2', name: `for ${role}` })).body,
        );
        const count = (await list()).items.length;

        const listed = await as.get('/credentials');
        assert.equal(listed.status, view ? 200 : 403, JSON.stringify(listed.body));
        const created = await as.post('/credentials', { kind: 'oauth2', name: `by ${role}` });
        assert.equal(created.status, manage ? 201 : 403, JSON.stringify(created.body));
        const rotated = await as.post(`/credentials/${target.id}/rotate`);
        assert.equal(rotated.status, manage ? 201 : 403, JSON.stringify(rotated.body));
        const rotatedId = manage ? CreatedCredential.parse(rotated.body).id : target.id;
        const revoked = await as.delete(`/credentials/${rotatedId}`);
        assert.equal(revoked.status, manage ? 204 : 403, JSON.stringify(revoked.body));

        const after = (await list()).items;
        if (manage) {
          assert.equal(after.length, count + 2);
        } else {
          for (const res of [listed, created, rotated, revoked].filter((r) => r.status === 403)) {
            assert.equal((res.body as AdminErrorBody).error.code, 'forbidden');
          }
          assert.equal(after.length, count);
          assert.equal(after.find((c) => c.id === target.id)?.revokedAt, null);
        }
      });
    }
  });
});
