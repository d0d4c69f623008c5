import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DemoCredentials } from '../src/modules/demo-page/bootstrap.js';
import { call, oauth1Header, startTestC2m, type TestC2m } from './helpers.js';

const demoOn = { C2M_DEMO: '1' };

function readDemo(dataDir: string): DemoCredentials {
  return JSON.parse(
    readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'),
  ) as DemoCredentials;
}

async function countAccounts(t: TestC2m): Promise<number> {
  const rows = await t.c2m.deps.db.selectFrom('accounts').select('id').execute();
  return rows.length;
}

describe('demo bootstrap', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-demo-'));
  let t: TestC2m;
  let demo: DemoCredentials;

  before(async () => {
    t = await startTestC2m(demoOn, { dataDir });
    demo = readDemo(dataDir);
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes demo-credentials.json with exactly the documented keys', () => {
    assert.deepEqual(Object.keys(demo).sort(), [
      'accountId',
      'baseUrl',
      'handoffs',
      'oauth1',
      'oauth2',
    ]);
    assert.deepEqual(Object.keys(demo.handoffs).sort(), ['inapp', 'sms', 'waSms']);
    assert.deepEqual(Object.keys(demo.oauth1).sort(), [
      'consumerKey',
      'consumerSecret',
      'token',
      'tokenSecret',
    ]);
    assert.deepEqual(Object.keys(demo.oauth2).sort(), ['clientId', 'clientSecret', 'tokenUrl']);
    assert.equal(demo.baseUrl, t.url);
    assert.equal(demo.oauth2.tokenUrl, `${t.url}/oauth/token`);
  });

  it('creates one account with skills sales and billing', async () => {
    assert.equal(await countAccounts(t), 1);
    const skills = await t.c2m.deps.db
      .selectFrom('skills')
      .select('name')
      .where('account_id', '=', demo.accountId)
      .orderBy('name')
      .execute();
    assert.deepEqual(
      skills.map((s) => s.name),
      ['billing', 'sales'],
    );
  });

  // each handoff, with the channel it recommends and the request it needs
  const cases = [
    { key: 'sms', channels: ['sms'], extra: {} },
    { key: 'waSms', channels: ['wa', 'sms'], extra: {} },
    { key: 'inapp', channels: ['inapp'], extra: { consumerId: 'demo-consumer-1' } },
  ] as const;

  for (const [i, c] of cases.entries()) {
    const body = () => ({
      skill: 'sales',
      consumerPhoneNumber: `+1415555012${i}`,
      handoffId: demo.handoffs[c.key],
      templateVariables: { '1': 'Ada' },
      ...c.extra,
    });
    const eligibilityUrl = () => `${demo.baseUrl}/api/account/${demo.accountId}/eligibility?v=2.0`;

    it(`the file's OAuth 1.0a credentials pass eligibility on the ${c.key} handoff`, async () => {
      const url = eligibilityUrl();
      const res = await call(url, {
        body: body(),
        authorization: oauth1Header({ id: '', ...demo.oauth1 }, 'POST', url),
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual((res.body as { availableChannels: string[] }).availableChannels, c.channels);
      assert.equal((res.body as { eligible: boolean }).eligible, true);
    });

    it(`a bearer token from the file's tokenUrl passes eligibility on the ${c.key} handoff`, async () => {
      const tokenRes = await fetch(demo.oauth2.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: demo.oauth2.clientId,
          client_secret: demo.oauth2.clientSecret,
        }),
      });
      assert.equal(tokenRes.status, 200);
      const { access_token: token } = (await tokenRes.json()) as { access_token: string };
      const res = await call(eligibilityUrl(), { body: body(), authorization: `Bearer ${token}` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(
        (res.body as { recommendedChannelName: string }).recommendedChannelName,
        c.channels[0],
      );
    });
  }

  it('a restart on the same data dir creates no second account and keeps the file', async () => {
    await t.close();
    t = await startTestC2m(demoOn, { dataDir });
    assert.equal(await countAccounts(t), 1);
    assert.deepEqual(readDemo(dataDir), demo);
  });
});

describe('C2M_DEMO=0', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-nodemo-'));
  let t: TestC2m | undefined;
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates no account and no credentials file', async () => {
    t = await startTestC2m({ C2M_DEMO: '0' }, { dataDir });
    assert.equal(await countAccounts(t), 0);
    assert.equal(existsSync(join(dataDir, 'demo-credentials.json')), false);
  });
});

describe('c2m own pages', () => {
  it('serves the sign-in page that mounts <c2m-admin>, and the admin bundle', async () => {
    const t = await startTestC2m();
    try {
      const page = await fetch(`${t.url}/admin`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<form id="login">/);
      assert.match(html, /fetch\('\/api\/login'/);
      assert.match(html, /import '\/assets\/c2m-admin\.js'/);
    } finally {
      await t.close();
    }
  });
});
