// In-app push through a brand's own signed push proxy: the request c2m documents (checked by a
// proxy that computes the signature itself), error classification, and the signed receipts and
// replies the proxy reports back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createPushProxyAdapter,
  createPushProxyWebhooks,
  signPushProxyPayload,
  type PushProxySettings,
} from '../src/channels/push-proxy.js';
import type {
  AdapterContext,
  SendInput,
  SendResult,
  WebhookReceiver,
  WebhookVerdict,
} from '../src/channels/types.js';
import { startPushProxyFake, type PushProxyFake } from './fakes/push-proxy-server.js';

const SECRET = 'brand-proxy-secret-0123456789';

/** The lead's webhook route in miniature: raw bytes in, the receiver's verdict out. */
async function startSink(receiver: WebhookReceiver) {
  const verdicts: WebhookVerdict[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers))
        headers[k] = Array.isArray(v) ? v.join(',') : v;
      const verdict = receiver.receive({
        method: req.method ?? 'GET',
        url: `http://127.0.0.1${req.url ?? '/'}`,
        headers,
        rawBody: Buffer.concat(chunks),
      });
      verdicts.push(verdict);
      res.writeHead(verdict.ok ? 200 : verdict.status).end('reply' in verdict ? verdict.reply : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/push-proxy/12345678`,
    verdicts,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('push proxy', () => {
  const clock = { ms: Date.UTC(2025, 2, 1, 9), now: () => clock.ms };
  let proxy: PushProxyFake;
  let anonymous: PushProxyFake;
  let settings: PushProxySettings;

  before(async () => {
    proxy = await startPushProxyFake({ secret: SECRET, now: clock.now });
    anonymous = await startPushProxyFake({ secret: SECRET, now: clock.now, ownIds: false });
    settings = { provider: 'push-proxy', url: proxy.url, secret: SECRET };
  });
  after(() => Promise.all([proxy?.close(), anonymous?.close()]));

  const ctx = (timeoutMs = 500): AdapterContext => ({ fetch, now: clock.now, timeoutMs });
  const adapter = (over: Partial<PushProxySettings> = {}, timeoutMs?: number) =>
    createPushProxyAdapter({ ...settings, ...over }, ctx(timeoutMs));
  let n = 0;
  const input = (over: Partial<SendInput> = {}): SendInput => ({
    messageId: `9a0b1c2d-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    accountId: '12345678',
    transactionId: 'tx-1',
    channel: 'inapp',
    to: 'consumer-42',
    from: undefined,
    body: 'Tap to continue in the app.',
    apps: ['brand-app'],
    statusCallbackUrl: 'http://127.0.0.1/unused',
    ...over,
  });
  const failure = (r: SendResult) => {
    assert.equal(r.ok, false, 'expected the send to fail');
    return r;
  };

  it('is reachable when a consumerId is given', async () => {
    const cap = { accountId: '1', channel: 'inapp' as const, phone: '+14155550100' };
    assert.equal(await adapter().reachable({ ...cap, consumerId: 'c-1' }), true);
    assert.equal(await adapter().reachable({ ...cap, consumerId: undefined }), false);
  });

  it('posts the signed, documented JSON and answers the proxy id', async () => {
    const msg = input();
    const result = await adapter().send(msg);
    const req = proxy.requests.at(-1)!;
    assert.deepEqual(result, { ok: true, providerMessageId: `pp-${proxy.delivered.length}` });
    assert.equal(req.headers['x-c2m-timestamp'], String(Math.floor(clock.ms / 1000)));
    assert.equal(req.headers['x-c2m-delivery'], msg.messageId);
    assert.equal(
      req.headers['x-c2m-signature'],
      signPushProxyPayload(SECRET, Math.floor(clock.ms / 1000), req.body),
    );
    assert.match(String(req.headers['x-c2m-signature']), /^v1=[0-9a-f]{64}$/);
    assert.deepEqual(JSON.parse(req.body), {
      id: msg.messageId,
      accountId: '12345678',
      consumerId: 'consumer-42',
      apps: ['brand-app'],
      text: 'Tap to continue in the app.',
      sentAt: new Date(clock.ms).toISOString(),
    });
  });

  it('uses our message id when the proxy returns none', async () => {
    const msg = input();
    assert.deepEqual(await adapter({ url: anonymous.url }).send(msg), {
      ok: true,
      providerMessageId: msg.messageId,
    });
  });

  it('a retried send carries the same id, and the proxy notifies once', async () => {
    const msg = input();
    const first = await adapter().send(msg);
    const again = await adapter().send(msg);
    assert.deepEqual(again, first);
    assert.equal(proxy.delivered.filter((p) => p.id === msg.messageId).length, 1);
  });

  it('sends our message id as Idempotency-Key, and takes a 409 for it as already accepted', async () => {
    const strict = await startPushProxyFake({
      secret: SECRET,
      now: clock.now,
      onRepeat: 'conflict',
    });
    try {
      const msg = input();
      const first = await adapter({ url: strict.url }).send(msg);
      const again = await adapter({ url: strict.url }).send(msg);
      assert.deepEqual(again, first);
      assert.deepEqual(
        strict.requests.map((r) => r.headers['idempotency-key']),
        [msg.messageId, msg.messageId],
      );
      assert.equal(strict.delivered.length, 1);
    } finally {
      await strict.close();
    }
  });

  const cases: [string, { status: number; body?: unknown }, boolean, string][] = [
    [
      '400 with a code',
      { status: 400, body: { code: 'unknown_consumer', message: 'no such consumer' } },
      false,
      'unknown_consumer',
    ],
    ['404 without a body', { status: 404 }, false, 'http_404'],
    ['408', { status: 408 }, true, 'http_408'],
    [
      '429',
      { status: 429, body: { code: 'rate_limited', message: 'slow down' } },
      true,
      'rate_limited',
    ],
    ['503', { status: 503 }, true, 'http_503'],
  ];
  for (const [name, reply, retryable, code] of cases) {
    it(`${name} → ${retryable ? 'retryable' : 'final'} ${code}`, async () => {
      proxy.script(reply);
      const r = failure(await adapter().send(input()));
      assert.deepEqual(
        { retryable: r.retryable, errorSource: r.errorSource, errorCode: r.errorCode },
        { retryable, errorSource: 'push-proxy', errorCode: code },
      );
    });
  }

  it('a wrong secret is refused by the proxy (final, and the secret is not echoed)', async () => {
    const r = failure(await adapter({ secret: 'not-the-brand-secret-000' }).send(input()));
    assert.deepEqual([r.retryable, r.errorCode], [false, 'bad_signature']);
    assert.doesNotMatch(r.errorMessage, /not-the-brand-secret|brand-proxy-secret/);
  });

  it('a hang is a retryable timeout, and a dead proxy a retryable network error', async () => {
    proxy.script('hang');
    const t = failure(await adapter({}, 150).send(input()));
    assert.deepEqual([t.retryable, t.errorCode], [true, 'timeout']);
    const d = failure(await adapter({ url: 'http://127.0.0.1:9/push' }).send(input()));
    assert.deepEqual([d.retryable, d.errorCode], [true, 'network_error']);
  });

  describe('reports back to c2m', () => {
    let sink: Awaited<ReturnType<typeof startSink>>;
    const at = '2025-03-01T09:00:05.000Z';
    before(async () => {
      sink = await startSink(createPushProxyWebhooks(settings, { now: clock.now }));
    });
    after(() => sink?.close());

    const last = () => sink.verdicts.at(-1)!;
    const events = [
      { type: 'delivered', id: 'pp-1', eventId: 'ev-1', at },
      { type: 'read', id: 'pp-1', eventId: 'ev-2', at },
      {
        type: 'failed',
        id: 'pp-2',
        eventId: 'ev-3',
        at,
        error: { code: 'no_device', message: 'app uninstalled' },
      },
      {
        type: 'reply',
        id: 'pp-1',
        eventId: 'ev-4',
        at,
        consumerId: 'consumer-42',
        text: 'Hi!',
        appId: 'brand-app',
      },
    ];

    it('maps receipts and replies to status and inbound events', async () => {
      const res = await proxy.sendReport(sink.url, events);
      assert.equal(res.status, 200);
      const t = Date.parse(at);
      assert.deepEqual(last(), {
        ok: true,
        events: [
          {
            kind: 'status',
            eventId: 'ev-1',
            providerMessageId: 'pp-1',
            status: 'delivered',
            at: t,
          },
          { kind: 'status', eventId: 'ev-2', providerMessageId: 'pp-1', status: 'read', at: t },
          {
            kind: 'status',
            eventId: 'ev-3',
            providerMessageId: 'pp-2',
            status: 'failed',
            at: t,
            error: {
              errorSource: 'push-proxy',
              errorCode: 'no_device',
              errorMessage: 'app uninstalled',
            },
          },
          {
            kind: 'inbound',
            eventId: 'ev-4',
            providerMessageId: 'pp-1',
            from: 'consumer-42',
            to: 'brand-app',
            text: 'Hi!',
            at: t,
          },
        ],
      });
    });

    it('a replayed report yields the same event ids, for the pipeline to drop', async () => {
      await proxy.sendReport(sink.url, events.slice(0, 1));
      const first = last();
      await proxy.sendReport(sink.url, events.slice(0, 1));
      assert.deepEqual(last(), first);
    });

    it('refuses a wrong secret, a tampered body, a stale or future timestamp and no signature', async () => {
      const now = Math.floor(clock.ms / 1000);
      assert.equal(
        (await proxy.sendReport(sink.url, events, { secret: 'someone-else-secret' })).status,
        401,
      );
      assert.equal(
        (await proxy.sendReport(sink.url, events, { timestamp: now - 301 })).status,
        401,
      );
      assert.equal(
        (await proxy.sendReport(sink.url, events, { timestamp: now + 301 })).status,
        401,
      );
      assert.equal(
        (await proxy.sendReport(sink.url, events, { timestamp: now - 299 })).status,
        200,
      );
      const { headers, body } = proxy.signedReport(events);
      const tampered = body.replace('"read"', '"delivered"');
      assert.equal(
        (await fetch(sink.url, { method: 'POST', headers, body: tampered })).status,
        401,
      );
      const unsigned = { 'content-type': 'application/json', 'x-c2m-timestamp': String(now) };
      assert.equal(
        (await fetch(sink.url, { method: 'POST', headers: unsigned, body })).status,
        401,
      );
    });

    it('accepts any one of several signatures while a secret rotates', async () => {
      const { headers, body } = proxy.signedReport(events);
      const signature = `v1=${'0'.repeat(64)}, ${headers['x-c2m-signature']}`;
      const res = await fetch(sink.url, {
        method: 'POST',
        headers: { ...headers, 'x-c2m-signature': signature },
        body,
      });
      assert.equal(res.status, 200);
    });

    it('answers 400 to a signed report that breaks the schema', async () => {
      const res = await proxy.sendReport(sink.url, [
        { type: 'opened', id: 'pp-1', eventId: 'e', at },
      ]);
      assert.equal(res.status, 400);
      assert.equal((await proxy.sendReport(sink.url, [])).status, 400);
      const noText = [{ type: 'reply', id: 'pp-1', eventId: 'e', at, consumerId: 'c' }];
      assert.equal((await proxy.sendReport(sink.url, noText)).status, 400);
    });
  });
});
