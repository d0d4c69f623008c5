// In-app push through FCM HTTP v1 against a local Google (token endpoint + FCM): the request FCM
// documents, service-account tokens minted, cached, renewed and refreshed on a 401, and every
// FCM error classified.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FcmSettings as FcmSettingsSchema } from '../contract/providers.js';
import { memoryDeviceDirectory, type Device } from '../src/channels/devices.js';
import { createFcmAdapter, type FcmSettings } from '../src/channels/fcm.js';
import { createTokenPool } from '../src/channels/google-auth.js';
import type { AdapterContext, SendInput, SendResult } from '../src/channels/types.js';
import {
  fcmErrorBody,
  googleErrorBody,
  newServiceAccountKey,
  SCOPE,
  startGoogleFake,
  type GoogleFake,
} from './fakes/google-server.js';

const ACCOUNT = '12345678';
const PROJECT = 'c2m-push-test';
const EMAIL = 'c2m-sender@c2m-push-test.iam.gserviceaccount.com';
const ANDROID: Device = {
  appId: 'brand-app',
  platform: 'android',
  token: 'fcm-android-token-0001:APA91b',
};
const IPHONE: Device = {
  appId: 'brand-app-2',
  platform: 'ios',
  token: 'fcm-ios-token-0002:APA91bXyz',
};
const GONE: Device = {
  appId: 'brand-app',
  platform: 'web',
  token: 'fcm-web-token-0003:notRegistered',
};

describe('FCM adapter', () => {
  const key = newServiceAccountKey();
  const clock = { ms: Date.UTC(2025, 2, 1, 9), now: () => clock.ms };
  let google: GoogleFake;
  let settings: FcmSettings;
  let devices: ReturnType<typeof memoryDeviceDirectory>;

  before(async () => {
    google = await startGoogleFake({
      clientEmail: EMAIL,
      publicKey: key.publicKey,
      projectId: PROJECT,
      agentId: 'unused',
      webhookClientToken: 'unused-token',
      now: clock.now,
    });
    google.fcmDevices.add(ANDROID.token).add(IPHONE.token);
    settings = FcmSettingsSchema.parse({
      provider: 'fcm',
      projectId: PROJECT,
      clientEmail: EMAIL,
      privateKey: key.privateKey,
      tokenUrl: google.tokenUrl,
      baseUrl: google.url,
    });
  });
  after(() => google?.close());

  beforeEach(() => {
    devices = memoryDeviceDirectory([
      { accountId: ACCOUNT, consumerId: 'one-device', device: ANDROID },
      { accountId: ACCOUNT, consumerId: 'two-devices', device: ANDROID },
      { accountId: ACCOUNT, consumerId: 'two-devices', device: IPHONE },
      { accountId: ACCOUNT, consumerId: 'half-gone', device: GONE },
      { accountId: ACCOUNT, consumerId: 'half-gone', device: IPHONE },
    ]);
  });

  const ctx = (timeoutMs = 500): AdapterContext => ({ fetch, now: clock.now, timeoutMs });
  const adapter = (over: Partial<FcmSettings> = {}, timeoutMs?: number) =>
    createFcmAdapter({ ...settings, ...over }, ctx(timeoutMs), devices, { title: 'Acme' });

  const input = (over: Partial<SendInput> = {}): SendInput => ({
    messageId: '0d7a3c2e-5b1f-4c7e-9a1d-2b3c4d5e6f70',
    accountId: ACCOUNT,
    transactionId: 'tx-1',
    channel: 'inapp',
    to: 'one-device',
    from: undefined,
    body: 'Continue with us in the app: tap to chat.',
    apps: ['brand-app', 'brand-app-2'],
    statusCallbackUrl: 'http://127.0.0.1/unused',
    ...over,
  });
  const failure = (r: SendResult) => {
    assert.equal(r.ok, false, 'expected the send to fail');
    return r;
  };
  const fcmCalls = () => google.requestsTo('fcm');

  describe('reachable', () => {
    const cap = { accountId: ACCOUNT, channel: 'inapp' as const, phone: '+14155550100' };

    it('is true when the consumer has a device for one of the apps', async () => {
      assert.equal(
        await adapter().reachable({ ...cap, consumerId: 'one-device', apps: ['x', 'brand-app'] }),
        true,
      );
    });

    it('is false for other apps, without a consumerId, or without apps', async () => {
      const a = adapter();
      assert.equal(
        await a.reachable({ ...cap, consumerId: 'one-device', apps: ['other-app'] }),
        false,
      );
      assert.equal(
        await a.reachable({ ...cap, consumerId: undefined, apps: ['brand-app'] }),
        false,
      );
      assert.equal(await a.reachable({ ...cap, consumerId: 'one-device' }), false);
      assert.equal(await a.reachable({ ...cap, consumerId: 'nobody', apps: ['brand-app'] }), false);
    });
  });

  describe('send', () => {
    it('posts the documented message to every device and answers the first name', async () => {
      const before = fcmCalls().length;
      const result = await adapter().send(input({ to: 'two-devices' }));
      assert.equal(result.ok, true);
      const calls = fcmCalls().slice(before);
      assert.equal(calls.length, 2);
      for (const call of calls) {
        assert.equal(call.method, 'POST');
        assert.equal(call.path, `/v1/projects/${PROJECT}/messages:send`);
        assert.match(call.headers.authorization ?? '', /^Bearer ya29\./);
        assert.match(call.headers['content-type'] ?? '', /^application\/json/);
      }
      const bodies = calls.map((c) => JSON.parse(c.body) as { message: Record<string, unknown> });
      const byToken = new Map(bodies.map((b) => [b.message.token, b.message]));
      assert.deepEqual(byToken.get(ANDROID.token), {
        token: ANDROID.token,
        notification: { title: 'Acme', body: 'Continue with us in the app: tap to chat.' },
        data: {
          c2mMessageId: '0d7a3c2e-5b1f-4c7e-9a1d-2b3c4d5e6f70',
          accountId: ACCOUNT,
          consumerId: 'two-devices',
          appId: 'brand-app',
        },
        android: { priority: 'high' },
        apns: { headers: { 'apns-priority': '10' } },
      });
      assert.equal((byToken.get(IPHONE.token)?.data as { appId: string }).appId, 'brand-app-2');
      assert.ok(result.ok);
      assert.match(result.providerMessageId, new RegExp(`^projects/${PROJECT}/messages/`));
    });

    it('only uses devices of the handoff apps', async () => {
      const before = fcmCalls().length;
      assert.equal(
        (await adapter().send(input({ to: 'two-devices', apps: ['brand-app-2'] }))).ok,
        true,
      );
      const calls = fcmCalls().slice(before);
      assert.equal(calls.length, 1);
      assert.match(calls[0].body, /fcm-ios-token-0002/);
    });

    it('fails for good without calling FCM when the consumer has no device', async () => {
      const before = google.requests.length;
      const r = failure(await adapter().send(input({ to: 'nobody' })));
      assert.deepEqual(
        { retryable: r.retryable, errorSource: r.errorSource, errorCode: r.errorCode },
        { retryable: false, errorSource: 'fcm', errorCode: 'no_device' },
      );
      assert.equal(
        failure(await adapter().send(input({ apps: undefined }))).errorCode,
        'no_device',
      );
      assert.equal(google.requests.length, before);
    });

    it('succeeds when one device takes it, and forgets the unregistered one', async () => {
      const result = await adapter().send(input({ to: 'half-gone' }));
      assert.equal(result.ok, true);
      const left = await devices.devicesFor(ACCOUNT, 'half-gone', ['brand-app', 'brand-app-2']);
      assert.deepEqual(left, [IPHONE]);
    });
  });

  describe('errors', () => {
    const cases: [string, { status: number; body?: unknown }, boolean, string][] = [
      ['UNREGISTERED', fcmErrorBody('UNREGISTERED'), false, 'UNREGISTERED'],
      ['INVALID_ARGUMENT', fcmErrorBody('INVALID_ARGUMENT'), false, 'INVALID_ARGUMENT'],
      ['SENDER_ID_MISMATCH', fcmErrorBody('SENDER_ID_MISMATCH'), false, 'SENDER_ID_MISMATCH'],
      [
        'THIRD_PARTY_AUTH_ERROR',
        fcmErrorBody('THIRD_PARTY_AUTH_ERROR'),
        false,
        'THIRD_PARTY_AUTH_ERROR',
      ],
      ['QUOTA_EXCEEDED', fcmErrorBody('QUOTA_EXCEEDED'), true, 'QUOTA_EXCEEDED'],
      ['UNAVAILABLE', fcmErrorBody('UNAVAILABLE'), true, 'UNAVAILABLE'],
      ['INTERNAL', fcmErrorBody('INTERNAL'), true, 'INTERNAL'],
      ['a bare 502', { status: 502 }, true, 'http_502'],
      [
        'a 429 without details',
        { status: 429, body: googleErrorBody(429, 'RESOURCE_EXHAUSTED', 'slow down') },
        true,
        'RESOURCE_EXHAUSTED',
      ],
      [
        'a 403 without details',
        { status: 403, body: googleErrorBody(403, 'PERMISSION_DENIED', 'no') },
        false,
        'PERMISSION_DENIED',
      ],
    ];
    for (const [name, reply, retryable, code] of cases) {
      it(`${name} → ${retryable ? 'retryable' : 'final'} ${code}`, async () => {
        google.script('fcm', reply);
        const r = failure(await adapter().send(input()));
        assert.deepEqual(
          { retryable: r.retryable, errorSource: r.errorSource, errorCode: r.errorCode },
          { retryable, errorSource: 'fcm', errorCode: code },
        );
        assert.ok(r.errorMessage.length > 0);
      });
    }

    it('THIRD_PARTY_AUTH_ERROR (a 401) does not refresh the Google token', async () => {
      const a = adapter();
      assert.equal((await a.send(input())).ok, true);
      const minted = google.minted.length;
      google.script('fcm', fcmErrorBody('THIRD_PARTY_AUTH_ERROR'));
      const before = fcmCalls().length;
      assert.equal(failure(await a.send(input())).errorCode, 'THIRD_PARTY_AUTH_ERROR');
      assert.equal(google.minted.length, minted);
      assert.equal(fcmCalls().length - before, 1);
    });

    it('prefers a retryable failure when every device fails', async () => {
      google.fcmDevices.clear();
      try {
        google.script('fcm', fcmErrorBody('UNAVAILABLE'));
        // whichever device comes first gets the scripted 503, the other UNREGISTERED
        const r = failure(await adapter().send(input({ to: 'two-devices' })));
        assert.equal(r.retryable, true);
        assert.equal(r.errorCode, 'UNAVAILABLE');
      } finally {
        google.fcmDevices.add(ANDROID.token).add(IPHONE.token);
      }
    });

    it('a hang longer than the timeout is a retryable timeout', async () => {
      google.script('fcm', 'hang');
      const r = failure(await adapter({}, 150).send(input()));
      assert.deepEqual([r.retryable, r.errorCode], [true, 'timeout']);
    });

    it('an unreachable FCM is a retryable network error', async () => {
      const dead = createFcmAdapter({ ...settings, baseUrl: 'http://127.0.0.1:9' }, ctx(), devices);
      const r = failure(await dead.send(input()));
      assert.deepEqual([r.retryable, r.errorCode], [true, 'network_error']);
    });
  });

  describe('service-account token', () => {
    it('signs an RS256 assertion the token endpoint accepts, and reuses the token', async () => {
      const before = google.requestsTo('token').length;
      const a = adapter();
      await Promise.all([a.send(input()), a.send(input()), a.send(input())]);
      const calls = google.requestsTo('token').slice(before);
      assert.equal(calls.length, 1, 'one token for concurrent sends');
      const form = new URLSearchParams(calls[0].body);
      assert.equal(form.get('grant_type'), 'urn:ietf:params:oauth:grant-type:jwt-bearer');
      const [header, claims] = form
        .get('assertion')!
        .split('.')
        .slice(0, 2)
        .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
      assert.deepEqual(header, { alg: 'RS256', typ: 'JWT' });
      assert.equal(claims.iss, EMAIL);
      assert.equal(claims.scope, SCOPE.fcm);
      assert.equal(claims.aud, google.tokenUrl);
      assert.equal(claims.iat, Math.floor(clock.ms / 1000));
      assert.ok((claims.exp as number) - claims.iat <= 3600);
      await a.send(input());
      assert.equal(google.requestsTo('token').length, before + 1);
    });

    it('adapters built from one token pool share the token', async () => {
      const pool = createTokenPool();
      const build = () => createFcmAdapter(settings, ctx(), devices, { tokens: pool });
      const minted = google.minted.length;
      await build().send(input());
      await build().send(input());
      assert.equal(google.minted.length, minted + 1);
    });

    it('mints a new token shortly before the old one expires', async () => {
      const a = adapter();
      await a.send(input());
      const minted = google.minted.length;
      clock.ms += 3500 * 1000; // 99 s of 3599 left: still cached
      await a.send(input());
      assert.equal(google.minted.length, minted);
      clock.ms += 60 * 1000; // 39 s left: inside the one-minute renewal margin
      await a.send(input());
      assert.equal(google.minted.length, minted + 1);
    });

    it('refreshes once when Google refuses a revoked token, then sends', async () => {
      const a = adapter();
      await a.send(input());
      google.revokeAll();
      const minted = google.minted.length;
      const before = fcmCalls().length;
      assert.equal((await a.send(input())).ok, true);
      assert.equal(google.minted.length, minted + 1);
      assert.equal(fcmCalls().length - before, 2);
    });

    it('refreshes only once: a second 401 fails the send for good', async () => {
      const a = adapter();
      await a.send(input());
      const unauthenticated = {
        status: 401,
        body: googleErrorBody(401, 'UNAUTHENTICATED', 'bad token'),
      };
      google.script('fcm', unauthenticated, unauthenticated);
      const minted = google.minted.length;
      const r = failure(await a.send(input()));
      assert.deepEqual([r.retryable, r.errorCode], [false, 'UNAUTHENTICATED']);
      assert.equal(google.minted.length, minted + 1);
    });

    it('a key Google does not know fails for good, without leaking the key', async () => {
      const stranger = newServiceAccountKey();
      const r = failure(await adapter({ privateKey: stranger.privateKey }).send(input()));
      assert.deepEqual([r.retryable, r.errorCode], [false, 'oauth_invalid_grant']);
      // the OAuth code and our words; the token endpoint's own description is not stored
      assert.match(
        r.errorMessage,
        /^cannot get an access token: token endpoint answered HTTP 400 invalid_grant: /,
      );
      assert.doesNotMatch(r.errorMessage, /Invalid JWT Signature/);
      assert.doesNotMatch(r.errorMessage, /PRIVATE KEY|eyJ/);
    });

    it('an unusable private key fails for good without quoting it', async () => {
      const bad = '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n';
      const r = failure(await adapter({ privateKey: bad }).send(input()));
      assert.deepEqual([r.retryable, r.errorCode], [false, 'oauth_invalid_private_key']);
      assert.doesNotMatch(r.errorMessage, /not-a-key/);
    });

    it('a token endpoint outage or hang is retryable', async () => {
      google.script('token', {
        status: 503,
        body: { error: 'backend_error', error_description: 'down' },
      });
      // a new adapter has no cached token
      const r = failure(await adapter().send(input()));
      assert.deepEqual([r.retryable, r.errorCode], [true, 'oauth_backend_error']);
      google.script('token', 'hang');
      const t = failure(await adapter({}, 150).send(input()));
      assert.deepEqual([t.retryable, t.errorCode], [true, 'oauth_timeout']);
    });
  });
});
