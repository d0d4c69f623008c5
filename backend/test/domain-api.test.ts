// LivePerson's Domain API, answered by c2m: an integration written the product's way — it asks the
// Domain API for `sentinel` and `connectToMessagingDomain`, fetches an AppJWT from the first and
// calls eligibility and invite on the second — runs against c2m with only its Domain API host
// changed. Unknown services and versions are refused, naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainAnswer } from '../contract/domain.js';
import { call, seedAccount, startTestC2m, type SeededAccount, type TestC2m } from './helpers.js';
import { freshPhone } from './sandbox-phone.js';

/**
 * The product's way, as its documentation describes it: hosts from the Domain API (cached), a
 * token from sentinel, then the C2M API. `scheme` is the one thing the test changes: the product
 * is https only, c2m here listens on plain http.
 */
function productIntegration(domainApiHost: string, accountId: string, scheme: string) {
  const domains = new Map<string, string>();
  const domainOf = async (service: string) => {
    const known = domains.get(service);
    if (known) return known;
    const res = await fetch(
      `${scheme}://${domainApiHost}/api/account/${accountId}/service/${service}/baseURI.json?version=1.0`,
    );
    if (!res.ok) throw new Error(`Domain API ${service}: ${res.status}`);
    const { baseURI } = (await res.json()) as DomainAnswer;
    domains.set(service, baseURI);
    return baseURI;
  };
  return {
    async appJwt(clientId: string, clientSecret: string) {
      const sentinel = await domainOf('sentinel');
      const res = await fetch(
        `${scheme}://${sentinel}/sentinel/api/account/${accountId}/app/token?v=1.0&grant_type=client_credentials`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret }),
        },
      );
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async c2m(op: 'eligibility' | 'invite', jwt: string, body: unknown) {
      const host = await domainOf('connectToMessagingDomain');
      const res = await fetch(`${scheme}://${host}/api/account/${accountId}/${op}?v=2.0`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
  };
}

describe('the Domain API', () => {
  let t: TestC2m;
  let a: SeededAccount;

  before(async () => {
    t = await startTestC2m();
    a = await seedAccount(t);
  });
  after(() => t?.close());

  it('answers each service with c2m’s host, as the product does', async () => {
    const host = new URL(t.url).host;
    for (const service of ['connectToMessagingDomain', 'sentinel', 'cxReporting']) {
      const res = await call(
        `${t.url}/api/account/${a.accountId}/service/${service}/baseURI.json?version=1.0`,
        { method: 'GET' },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { service, account: a.accountId, baseURI: host });
    }
  });

  it('runs an integration written the product’s way, its Domain API host pointed at c2m', async () => {
    const integration = productIntegration(new URL(t.url).host, a.accountId, 'http');
    const jwt = await integration.appJwt(a.oauth2.clientId, a.oauth2.clientSecret);
    const eligibility = await integration.c2m('eligibility', jwt, {
      skill: 'sales',
      consumerPhoneNumber: freshPhone(),
      handoffId: a.handoffs.sms,
    });
    assert.equal(eligibility.status, 200, JSON.stringify(eligibility.body));
    assert.equal(eligibility.body.eligible, true);
    const invite = await integration.c2m('invite', jwt, { callId: eligibility.body.callId });
    assert.deepEqual(invite, { status: 200, body: { callId: eligibility.body.callId } });
  });

  it('says the public URL’s host behind a proxy (C2M_PUBLIC_URL)', async () => {
    const behind = await startTestC2m({ C2M_PUBLIC_URL: 'https://c2m.example.com' });
    try {
      const res = await call(
        `http://127.0.0.1:${behind.c2m.port}/api/account/12345678/service/connectToMessagingDomain/baseURI.json?version=1.0`,
        { method: 'GET' },
      );
      assert.deepEqual(res.body, {
        service: 'connectToMessagingDomain',
        account: '12345678',
        baseURI: 'c2m.example.com',
      });
    } finally {
      await behind.close();
    }
  });

  it('refuses an unknown service or version with 400 naming the field', async () => {
    const base = `${t.url}/api/account/${a.accountId}/service`;
    const unknown = await call(`${base}/agentVep/baseURI.json?version=1.0`, { method: 'GET' });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(unknown.body), /service: must be connectToMessagingDomain/);
    const version = await call(`${base}/sentinel/baseURI.json?version=2.0`, { method: 'GET' });
    assert.equal(version.status, 400);
    assert.match(JSON.stringify(version.body), /version: must be 1\.0/);
  });
});
