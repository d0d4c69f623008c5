// RCS through Google's RBM API against a local Google: capability checks for eligibility, agent
// messages keyed by our message id, error classification and token refresh. Webhooks:
// channel-rcs-webhooks.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RbmSettings as RbmSettingsSchema } from '../contract/providers.js';
import { createRbmAdapter, type RbmSettings } from '../src/channels/rbm.js';
import type { AdapterContext, SendInput, SendResult } from '../src/channels/types.js';
import {
  googleErrorBody,
  newServiceAccountKey,
  SCOPE,
  startGoogleFake,
  type GoogleFake,
} from './fakes/google-server.js';

const AGENT = 'acme-support-agent@rbm.goog';
const EMAIL = 'rbm-sender@acme-rbm.iam.gserviceaccount.com';
const CLIENT_TOKEN = 'SJENCPGJESMGUFPY-acme';
const RCS_PHONE = '+14155550123';
const SMS_ONLY = '+14155550199';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('RBM adapter', () => {
  const key = newServiceAccountKey();
  const clock = { ms: Date.UTC(2025, 2, 1, 9), now: () => clock.ms };
  let google: GoogleFake;
  let settings: RbmSettings;

  before(async () => {
    google = await startGoogleFake({
      clientEmail: EMAIL,
      publicKey: key.publicKey,
      projectId: 'unused',
      agentId: AGENT,
      webhookClientToken: CLIENT_TOKEN,
      now: clock.now,
    });
    google.rcsPhones.add(RCS_PHONE);
    settings = RbmSettingsSchema.parse({
      provider: 'rbm',
      agentId: AGENT,
      clientEmail: EMAIL,
      privateKey: key.privateKey,
      webhookClientToken: CLIENT_TOKEN,
      tokenUrl: google.tokenUrl,
      baseUrl: google.url,
    });
  });
  after(() => google?.close());

  const ctx = (timeoutMs = 500): AdapterContext => ({ fetch, now: clock.now, timeoutMs });
  const adapter = (over: Partial<RbmSettings> = {}, timeoutMs?: number) =>
    createRbmAdapter({ ...settings, ...over }, ctx(timeoutMs));
  const cap = (phone: string) => ({
    accountId: '12345678',
    channel: 'rcs' as const,
    phone,
    consumerId: undefined,
  });
  let n = 0;
  const input = (over: Partial<SendInput> = {}): SendInput => ({
    messageId: `5f0c1d2e-3a4b-4c5d-8e6f-${String(++n).padStart(12, '0')}`,
    accountId: '12345678',
    transactionId: 'tx-1',
    channel: 'rcs',
    to: RCS_PHONE,
    from: undefined,
    body: 'Thanks for calling Acme: reply here to chat with us.',
    statusCallbackUrl: 'http://127.0.0.1/unused',
    ...over,
  });
  const failure = (r: SendResult) => {
    assert.equal(r.ok, false, 'expected the send to fail');
    return r;
  };
  const code = (r: SendResult) => {
    const f = failure(r);
    return { retryable: f.retryable, errorSource: f.errorSource, errorCode: f.errorCode };
  };

  describe('capability check', () => {
    it('asks RBM with a fresh requestId and the agentId: 200 is reachable', async () => {
      const a = adapter();
      assert.equal(await a.reachable(cap(RCS_PHONE)), true);
      assert.equal(await a.reachable(cap(RCS_PHONE)), true);
      const calls = google.requestsTo('capabilities').slice(-2);
      for (const call of calls) {
        assert.equal(call.method, 'GET');
        assert.equal(call.path, `/v1/phones/${RCS_PHONE}/capabilities`);
        assert.equal(call.query.get('agentId'), AGENT);
        assert.match(call.query.get('requestId') ?? '', UUID);
        assert.match(call.headers.authorization ?? '', /^Bearer ya29\./);
      }
      assert.notEqual(calls[0].query.get('requestId'), calls[1].query.get('requestId'));
    });

    it('404 (not RCS-capable) is not reachable', async () => {
      assert.equal(await adapter().reachable(cap(SMS_ONLY)), false);
    });

    it('any other failure is not reachable either', async () => {
      google.script(
        'capabilities',
        { status: 429, body: googleErrorBody(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded') },
        { status: 500, body: googleErrorBody(500, 'INTERNAL', 'Internal error') },
        'hang',
      );
      assert.equal(await adapter().reachable(cap(RCS_PHONE)), false);
      assert.equal(await adapter().reachable(cap(RCS_PHONE)), false);
      assert.equal(await adapter({}, 150).reachable(cap(RCS_PHONE)), false);
    });

    it('does not ask about a number that is not E.164', async () => {
      const before = google.requests.length;
      assert.equal(await adapter().reachable(cap('4155550123')), false);
      assert.equal(google.requests.length, before);
    });
  });

  describe('send', () => {
    it('posts a text agent message keyed by our message id', async () => {
      const msg = input();
      assert.deepEqual(await adapter().send(msg), { ok: true, providerMessageId: msg.messageId });
      const call = google.requestsTo('agentMessages').at(-1)!;
      assert.equal(call.method, 'POST');
      assert.equal(call.path, `/v1/phones/${RCS_PHONE}/agentMessages`);
      assert.equal(call.query.get('messageId'), msg.messageId);
      assert.equal(call.query.get('agentId'), AGENT);
      assert.match(call.headers['content-type'] ?? '', /^application\/json/);
      assert.deepEqual(JSON.parse(call.body), { contentMessage: { text: msg.body } });
      assert.ok(google.agentMessageIds.has(msg.messageId));
    });

    it('a repeat of a message RBM already took (409 ALREADY_EXISTS) counts as sent', async () => {
      const msg = input();
      await adapter().send(msg);
      const again = await adapter().send(msg);
      assert.deepEqual(again, { ok: true, providerMessageId: msg.messageId });
      const answers = google
        .requestsTo('agentMessages')
        .filter((r) => r.query.get('messageId') === msg.messageId);
      assert.equal(answers.length, 2);
    });

    it('a phone RBM cannot reach (404 NOT_FOUND) fails for good', async () => {
      assert.deepEqual(code(await adapter().send(input({ to: SMS_ONLY }))), {
        retryable: false,
        errorSource: 'rbm',
        errorCode: 'NOT_FOUND',
      });
    });

    const cases: [string, number, string, boolean][] = [
      ['400 INVALID_ARGUMENT', 400, 'INVALID_ARGUMENT', false],
      ['403 PERMISSION_DENIED', 403, 'PERMISSION_DENIED', false],
      ['429 RESOURCE_EXHAUSTED', 429, 'RESOURCE_EXHAUSTED', true],
      ['500 INTERNAL', 500, 'INTERNAL', true],
      ['503 UNAVAILABLE', 503, 'UNAVAILABLE', true],
    ];
    for (const [name, status, canonical, retryable] of cases) {
      it(`${name} → ${retryable ? 'retryable' : 'final'}`, async () => {
        google.script('agentMessages', {
          status,
          body: googleErrorBody(status, canonical, `${canonical}!`),
        });
        const r = await adapter().send(input());
        assert.deepEqual(code(r), { retryable, errorSource: 'rbm', errorCode: canonical });
        // the status and code with our words, never the answer's own message
        assert.match(failure(r).errorMessage, new RegExp(`^HTTP ${status} ${canonical}: `));
        assert.ok(!failure(r).errorMessage.includes('!'));
      });
    }

    it('a 502 without Google’s envelope is retryable http_502', async () => {
      google.script('agentMessages', { status: 502 });
      assert.deepEqual(code(await adapter().send(input())), {
        retryable: true,
        errorSource: 'rbm',
        errorCode: 'http_502',
      });
    });

    it('a hang is a retryable timeout', async () => {
      google.script('agentMessages', 'hang');
      assert.deepEqual(code(await adapter({}, 150).send(input())), {
        retryable: true,
        errorSource: 'rbm',
        errorCode: 'timeout',
      });
    });

    it('refuses a recipient that is not E.164 without calling RBM', async () => {
      assert.equal(
        failure(await adapter().send(input({ to: 'consumer-1' }))).errorCode,
        'invalid_number',
      );
    });
  });

  describe('service-account token', () => {
    it('mints with the RBM scope and reuses the token', async () => {
      const before = google.requestsTo('token').length;
      const a = adapter();
      await a.send(input());
      await a.reachable(cap(RCS_PHONE));
      const calls = google.requestsTo('token').slice(before);
      assert.equal(calls.length, 1);
      const claims = JSON.parse(
        Buffer.from(
          new URLSearchParams(calls[0].body).get('assertion')!.split('.')[1],
          'base64url',
        ).toString(),
      ) as { scope: string; aud: string; iss: string };
      assert.deepEqual(claims.scope, SCOPE.rbm);
      assert.equal(claims.aud, google.tokenUrl);
      assert.equal(claims.iss, EMAIL);
    });

    it('refreshes once after a revoked token, for sends and capability checks', async () => {
      const a = adapter();
      await a.send(input());
      google.revokeAll();
      const minted = google.minted.length;
      assert.equal((await a.send(input())).ok, true);
      assert.equal(google.minted.length, minted + 1);
      google.revokeAll();
      assert.equal(await a.reachable(cap(RCS_PHONE)), true);
      assert.equal(google.minted.length, minted + 2);
    });

    it('a second 401 after the refresh fails for good', async () => {
      const a = adapter();
      await a.send(input());
      const refused = {
        status: 401,
        body: googleErrorBody(401, 'UNAUTHENTICATED', 'invalid credentials'),
      };
      google.script('agentMessages', refused, refused);
      assert.deepEqual(code(await a.send(input())), {
        retryable: false,
        errorSource: 'rbm',
        errorCode: 'UNAUTHENTICATED',
      });
    });
  });
});
