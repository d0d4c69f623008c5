import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OAuth1Secrets, OAuth2Secrets } from '../src/modules/accounts/credentials.service.js';
import { bearerToken, call, oauth1Header, startTestC2m, type TestC2m } from './helpers.js';
import { c2m, cliAccount, ok } from './cli-run.js';

describe('c2m credentials', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-cli-'));
  let t: TestC2m | undefined;
  let accountId: string;
  let handoffId: string;
  let oauth1: OAuth1Secrets;
  let oauth2: OAuth2Secrets & { tokenUrl: string };

  before(async () => {
    ({ accountId, handoffId } = await cliAccount(dataDir));
    const credentials = (kind: string) =>
      c2m(dataDir, ['credentials', 'create', '--account', accountId, '--kind', kind, '--json']);
    const [one, two] = [await credentials('oauth1'), await credentials('oauth2')];
    for (const res of [one, two]) assert.match(res.stderr, /will not show them again/);
    oauth1 = JSON.parse(ok(one)) as OAuth1Secrets;
    oauth2 = JSON.parse(ok(two)) as OAuth2Secrets & { tokenUrl: string };
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints ids an IVR can use', () => {
    assert.match(accountId, /^\d{8}$/);
    assert.match(handoffId, /^H\d{15}$/);
    assert.match(oauth1.consumerSecret, /^c2m_cs_/);
    assert.match(oauth2.clientSecret, /^c2m_sec_/);
    assert.match(oauth2.tokenUrl, /\/oauth\/token$/);
  });

  it('prints readable secrets once, with the warning, without --json', async () => {
    const args = ['credentials', 'create', '--account', accountId, '--kind', 'oauth2'];
    const res = await c2m(dataDir, [...args, '--name', 'readable']);
    assert.match(ok(res), /clientSecret:\s+c2m_sec_/);
    assert.match(res.stderr, /will not show them again/);
  });

  it('makes credentials that authenticate eligibility on the printed handoff', async () => {
    t = await startTestC2m({ C2M_DEMO: '0' }, { dataDir });
    const url = `${t.url}/api/account/${accountId}/eligibility?v=2.0`;
    const body = { skill: 'sales', consumerPhoneNumber: '+14155550150', handoffId };
    const signed = await call(url, { body, authorization: oauth1Header(oauth1, 'POST', url) });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    assert.equal((signed.body as { recommendedChannelName: string }).recommendedChannelName, 'sms');

    const token = await bearerToken(t.url, oauth2);
    const bearer = await call(url, { body, authorization: `Bearer ${token}` });
    assert.equal(bearer.status, 200, JSON.stringify(bearer.body));
  });

  it('lists credentials without a secret', async () => {
    const out = ok(await c2m(dataDir, ['credentials', 'list', '--account', accountId, '--json']));
    const list = JSON.parse(out) as { id: string; keyId: string; revokedAt: string | null }[];
    assert.deepEqual(
      list.filter((c) => c.id === oauth1.id || c.id === oauth2.id).map((c) => c.keyId),
      [oauth1.consumerKey, oauth2.clientId],
    );
    for (const secret of [oauth1.consumerSecret, oauth1.tokenSecret, oauth1.token]) {
      assert.equal(out.includes(secret), false);
    }
    assert.equal(out.includes(oauth2.clientSecret), false);
    const readable = ok(await c2m(dataDir, ['credentials', 'list', '--account', accountId]));
    assert.equal(readable.includes(oauth1.consumerSecret), false);
    assert.match(readable, new RegExp(`${oauth1.id}\\s+oauth1`));
  });

  it('revokes credentials beside the running server: both schemes then answer 401', async () => {
    assert.ok(t);
    const url = `${t.url}/api/account/${accountId}/eligibility?v=2.0`;
    const body = { skill: 'sales', consumerPhoneNumber: '+14155550151', handoffId };
    const token = await bearerToken(t.url, oauth2);
    for (const id of [oauth1.id, oauth2.id]) {
      ok(await c2m(dataDir, ['credentials', 'revoke', '--account', accountId, '--id', id]));
    }
    const signed = await call(url, { body, authorization: oauth1Header(oauth1, 'POST', url) });
    assert.equal(signed.status, 401);
    assert.equal((signed.body as { errorCode: number }).errorCode, 1100);
    const bearer = await call(url, { body, authorization: `Bearer ${token}` });
    assert.equal(bearer.status, 401);
    const again = await call(`${t.url}/oauth/token`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${oauth2.clientId}&client_secret=${oauth2.clientSecret}`,
    });
    assert.equal(again.status, 401);

    const twice = await c2m(dataDir, [
      'credentials',
      'revoke',
      '--account',
      accountId,
      '--id',
      oauth1.id,
    ]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /--id/);
  });
});
