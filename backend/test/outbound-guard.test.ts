// Every URL a tenant gives c2m goes through one guard: provider settings pointing at loopback are
// refused on save (API and CLI, naming the field); settings stored before the rule cannot be used
// at send (nothing reaches the loopback listener); a DNS answer that turns to loopback after the
// save is refused; a provider's redirect is never followed; and what a provider answered is never
// echoed into the transaction's error text that the reporting API and the widget serve.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IvrErrorBody } from '../contract/errors.js';
import type { ProviderSettings } from '../contract/providers.js';
import { saveProviderSettings } from '../src/modules/providers/providers.repo.js';
import {
  adminSession,
  call,
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { accountApi, freshPhone, transactionOf } from './sandbox-phone.js';
import { c2m } from './cli-run.js';

const KEY = `-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n`;
const SID = `AC${'0'.repeat(32)}`;

/** A loopback listener standing in for an internal service: counts every connection it gets. */
async function internalService(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    connections: () => connections,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Every provider setting that is a URL, each pointed at `url`. */
function providerCases(url: string): { channel: string; field: string; settings: object }[] {
  const google = { clientEmail: 'sa@project.iam.gserviceaccount.com', privateKey: KEY };
  return [
    {
      channel: 'sms',
      field: 'baseUrl',
      settings: {
        provider: 'twilio',
        accountSid: SID,
        authToken: 'a'.repeat(32),
        fromNumber: '+15005550006',
        baseUrl: url,
      },
    },
    {
      channel: 'wa',
      field: 'baseUrl',
      settings: {
        provider: 'whatsapp-cloud',
        phoneNumberId: '1234567890',
        accessToken: 'EAAG-access-token-0123456789',
        appSecret: 'app-secret-123',
        verifyToken: 'verify-token-123',
        baseUrl: url,
      },
    },
    {
      channel: 'inapp',
      field: 'tokenUrl',
      settings: { provider: 'fcm', projectId: 'p', ...google, tokenUrl: url },
    },
    {
      channel: 'inapp',
      field: 'baseUrl',
      settings: { provider: 'fcm', projectId: 'p', ...google, baseUrl: url },
    },
    {
      channel: 'inapp',
      field: 'url',
      settings: { provider: 'push-proxy', url, secret: 's'.repeat(32) },
    },
    {
      channel: 'rcs',
      field: 'tokenUrl',
      settings: {
        provider: 'rbm',
        agentId: 'a',
        ...google,
        webhookClientToken: 'w'.repeat(16),
        tokenUrl: url,
      },
    },
    {
      channel: 'rcs',
      field: 'baseUrl',
      settings: {
        provider: 'rbm',
        agentId: 'a',
        ...google,
        webhookClientToken: 'w'.repeat(16),
        baseUrl: url,
      },
    },
  ];
}

/** Eligibility then invite on one of the seeded handoffs; returns the call id. */
async function invite(t: TestC2m, account: SeededAccount, handoff: string, consumerId?: string) {
  const ivr = ivrClient(t, account);
  const e = await ivr.eligibility({
    skill: 'sales',
    consumerPhoneNumber: freshPhone(),
    handoffId: account.handoffs[handoff],
    ...(consumerId && { consumerId }),
  });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  const { callId, eligible } = e.body as { callId: string; eligible: boolean };
  assert.equal(eligible, true, JSON.stringify(e.body));
  assert.equal((await ivr.invite({ callId })).status, 200);
  return callId;
}

const settled = (t: TestC2m, callId: string) =>
  waitFor(async () => {
    const tx = await transactionOf(t, callId);
    return tx.status === 'queued' ? undefined : tx;
  }, `the send of ${callId}`);

describe('provider URLs without the development flag', () => {
  let t: TestC2m;
  let service: Awaited<ReturnType<typeof internalService>>;
  let account: SeededAccount;

  before(async () => {
    t = await startTestC2m({ C2M_ALLOW_LOOPBACK_URLS: '0', C2M_OUTBOX_MAX_ATTEMPTS: '1' });
    service = await internalService((_req, res) => res.end('{"sid":"internal"}'));
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
  });
  after(async () => {
    await t?.close();
    await service?.close();
  });

  it('refuses every provider URL that reaches loopback, naming the field; stores nothing', async () => {
    const api = accountApi(t, account);
    const targets = [
      `https://127.0.0.1:${service.port}/`,
      `http://127.0.0.1:${service.port}/`,
      `https://localhost:${service.port}/`,
      `https://[::ffff:127.0.0.1]:${service.port}/`,
      `https://169.254.169.254/`,
    ];
    for (const target of targets) {
      for (const { channel, field, settings } of providerCases(target)) {
        const res = await api.put(`/providers/${channel}`, settings);
        assert.equal(res.status, 400, `${field} ${target}: ${JSON.stringify(res.body)}`);
        assert.match((res.body as IvrErrorBody).errorMessage, new RegExp(`^${field}: `), target);
      }
    }
    const stored = await t.c2m.deps.db
      .selectFrom('provider_settings')
      .select('channel')
      .where('account_id', '=', account.accountId)
      .execute();
    assert.deepEqual(stored, []);
    assert.equal(service.connections(), 0);
  });

  it('refuses settings stored before the rule at send: the internal service hears nothing', async () => {
    const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const url = `https://127.0.0.1:${service.port}/`;
    const byChannel = new Map(providerCases(url).map((c) => [c.channel, c.settings]));
    for (const channel of ['sms', 'inapp'] as const) {
      // written under the API, as a database from before the guard (or the CLI with the flag) has it
      await saveProviderSettings(t.c2m.deps.db, t.c2m.deps.keys.secrets, {
        accountId: other.accountId,
        channel,
        settings: (channel === 'inapp'
          ? providerCases(url)[4].settings
          : byChannel.get(channel)) as ProviderSettings,
        now: t.clock.now(),
      });
    }
    const sms = await settled(t, await invite(t, other, 'sms'));
    const push = await settled(t, await invite(t, other, 'inapp', 'consumer-1'));
    for (const tx of [sms, push]) {
      assert.equal(tx.status, 'failed');
      assert.equal(tx.error_code, 'url_refused');
      assert.match(tx.error_message ?? '', /private or loopback address \(127\.0\.0\.1\)/);
    }
    assert.equal(service.connections(), 0);
  });

  it('the CLI refuses a loopback provider URL the same way, naming the field', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'c2m-guard-cli-'));
    try {
      const created = await c2m(dataDir, ['account', 'create', '--name', 'Guard']);
      assert.equal(created.code, 0, created.stderr);
      const accountId = created.stdout.trim();
      const settings = providerCases(`https://127.0.0.1:${service.port}/`)[4].settings;
      const res = await c2m(dataDir, [
        ...['provider', 'set', '--account', accountId, '--channel', 'inapp'],
        ...['--settings', JSON.stringify(settings)],
      ]);
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, /--settings: url: host resolves to a private or loopback/);
      const list = await c2m(dataDir, ['provider', 'list', '--account', accountId]);
      assert.match(list.stdout, /every channel uses the sandbox/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('provider URLs whose DNS answer changes after the save (rebinding)', () => {
  let t: TestC2m;
  let service: Awaited<ReturnType<typeof internalService>>;
  let answer = '93.184.216.34';

  before(async () => {
    service = await internalService((_req, res) => res.end('{}'));
    t = await startTestC2m(
      { C2M_ALLOW_LOOPBACK_URLS: '0', C2M_OUTBOX_MAX_ATTEMPTS: '1' },
      { resolveHost: () => Promise.resolve([{ address: answer, family: 4 }]) },
    );
  });
  after(async () => {
    await t?.close();
    await service?.close();
  });

  it('saves while the name is public, then refuses the send once it resolves to loopback', async () => {
    const account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const settings = {
      provider: 'push-proxy',
      url: `https://push.brand.example:${service.port}/push`,
      secret: 's'.repeat(32),
    };
    const put = await accountApi(t, account).put('/providers/inapp', settings);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    answer = '127.0.0.1';
    const tx = await settled(t, await invite(t, account, 'inapp', 'consumer-2'));
    assert.equal(tx.status, 'failed');
    assert.equal(tx.error_code, 'url_refused');
    assert.equal(service.connections(), 0);
  });
});

describe('provider answers (development flag on, so loopback fakes are allowed)', () => {
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    t = await startTestC2m({ C2M_OUTBOX_MAX_ATTEMPTS: '1' });
    account = await seedAccount(t, { permissions: ['ivr', 'admin', 'reporting'] });
  });
  after(() => t?.close());

  it('does not follow a 303 to an internal port', async () => {
    const inner = await internalService((_req, res) => res.end('{"id":"internal"}'));
    const redirecting = await internalService((_req, res) => {
      res.writeHead(303, { location: `http://127.0.0.1:${inner.port}/admin` });
      res.end();
    });
    try {
      const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
      const put = await accountApi(t, other).put('/providers/inapp', {
        provider: 'push-proxy',
        url: `http://127.0.0.1:${redirecting.port}/push`,
        secret: 's'.repeat(32),
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const tx = await settled(t, await invite(t, other, 'inapp', 'consumer-3'));
      assert.equal(tx.status, 'failed');
      assert.equal(tx.error_code, 'redirect');
      assert.equal(redirecting.connections(), 1);
      assert.equal(inner.connections(), 0);
    } finally {
      await inner.close();
      await redirecting.close();
    }
  });

  it('stores, reports and shows our own summary, never the text a provider answered', async () => {
    const SECRET = 'sk_live_51HzSECRETvalue';
    const bodies = [
      { status: 400, body: JSON.stringify({ code: 29999, message: `upstream says ${SECRET}` }) },
      { status: 500, body: `<html>internal admin panel: ${SECRET}</html>` },
    ];
    let next = 0;
    const provider = await internalService((_req, res) => {
      const b = bodies[next++ % bodies.length];
      res.writeHead(b.status, { 'content-type': 'application/json' });
      res.end(b.body);
    });
    const proxy = await internalService((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: SECRET, message: `denied: ${SECRET}` }));
    });
    try {
      const api = accountApi(t, account);
      const twilio = providerCases(`http://127.0.0.1:${provider.port}`)[0].settings;
      assert.equal((await api.put('/providers/sms', twilio)).status, 200);
      const push = {
        provider: 'push-proxy',
        url: `http://127.0.0.1:${proxy.port}/`,
        secret: 's'.repeat(32),
      };
      assert.equal((await api.put('/providers/inapp', push)).status, 200);

      const calls = [
        await invite(t, account, 'sms'),
        await invite(t, account, 'sms'),
        await invite(t, account, 'inapp', 'consumer-4'),
      ];
      const txs = [];
      for (const callId of calls) txs.push(await settled(t, callId));
      assert.deepEqual(
        txs.map((tx) => [tx.status, tx.error_code, tx.error_message]),
        [
          ['failed', '29999', 'Twilio error 29999 (HTTP 400)'],
          ['failed', 'http_500', 'Twilio answered HTTP 500'],
          ['failed', 'http_403', 'push proxy answered HTTP 403'],
        ],
      );

      const from = t.clock.now() - 3_600_000;
      const to = t.clock.now() + 3_600_000;
      const reportUrl = `${t.url}/api/account/${account.accountId}/app/c2m/transactions?v=2.0&attemptedStartTime=${from}&attemptedEndTime=${to}`;
      const report = await call(reportUrl, {
        method: 'POST',
        body: {},
        authorization: oauth1Header(account.oauth1, 'POST', reportUrl),
      });
      assert.equal(report.status, 200, JSON.stringify(report.body));
      assert.match(JSON.stringify(report.body), /Twilio error 29999/);

      const token = await adminSession(t, account, 'agent');
      const shown = [];
      for (const tx of txs) {
        const query = `consumerPhoneNumber=${encodeURIComponent(tx.consumer_phone)}`;
        const res = await call(
          `${t.url}/api/widget/account/${account.accountId}/outbound?${query}`,
          {
            method: 'GET',
            authorization: `Bearer ${token}`,
          },
        );
        assert.equal(res.status, 200, JSON.stringify(res.body));
        shown.push(res.body);
      }
      assert.match(JSON.stringify(shown), /push proxy answered HTTP 403/);
      for (const text of [
        JSON.stringify(txs),
        JSON.stringify(report.body),
        JSON.stringify(shown),
      ]) {
        assert.ok(!text.includes(SECRET), text);
        assert.ok(!text.includes('internal admin panel'), text);
      }
    } finally {
      await provider.close();
      await proxy.close();
    }
  });
});
