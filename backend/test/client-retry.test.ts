// The client's retry rules and error model against a local HTTP server that answers from a script:
// 429 waits for Retry-After, 5xx backs off, other 4xx are final, one Idempotency-Key per call, a
// fresh OAuth 1.0a nonce per attempt, one token refresh on 401, and NDJSON parsed as it streams.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IvrErrorCode } from '../contract/errors.js';
import { C2mError, createC2mClient, type C2mClientOptions } from '../../client/src/index.js';
import { parseOAuthHeader } from '../src/auth/oauth1.js';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}
type Reply = (res: ServerResponse, seen: Seen) => void;

const CALL_ID = '0b7f3f0e-4f7e-4c2a-9d5e-2f7a4c1b9e10';
const ELIGIBILITY = {
  skill: 'sales',
  consumerPhoneNumber: '+14155550123',
  handoffId: 'h1',
};
const ELIGIBLE = {
  availableChannels: ['sms'],
  recommendedChannelName: 'sms',
  eligible: true,
  callId: CALL_ID,
  channels: [{ name: 'sms', eligible: true, reason: 'eligible' }],
};
const WINDOW = { attemptedStartTime: 1_768_000_000_000, attemptedEndTime: 1_768_086_400_000 };

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const ivrError = (status: number, errorCode: number, headers: Record<string, string> = {}) =>
  json(
    status,
    { errorCode, errorMessage: `error ${errorCode}`, requestId: 'req-12345678' },
    headers,
  );

describe('client retries and errors (local server)', () => {
  let server: Server;
  let baseUrl: string;
  /** Replies per path, used in order; the last one repeats. */
  let script: Record<string, Reply[]>;
  let seen: Seen[];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const path = url.pathname;
        const entry: Seen = {
          method: req.method ?? '',
          path,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        seen.push(entry);
        const replies = script[path] ?? [json(404, { errorCode: 1004, errorMessage: 'Not Found' })];
        const reply = replies.length > 1 ? replies.shift()! : replies[0];
        reply(res, entry);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    script = {};
    seen = [];
  });

  const client = (over: Partial<C2mClientOptions> = {}) =>
    createC2mClient({
      baseUrl,
      accountId: 'acc1',
      auth: { type: 'bearer', token: 'static-token' },
      retry: { backoffMs: 5 },
      ...over,
    });
  const eligibilityPath = '/api/account/acc1/eligibility';
  const requestsTo = (path: string) => seen.filter((s) => s.path === path);

  it('waits for Retry-After on a 429, then succeeds', async () => {
    script[eligibilityPath] = [
      ivrError(429, IvrErrorCode.rateLimited, { 'Retry-After': '1' }),
      json(200, ELIGIBLE),
    ];
    const started = performance.now();
    const answer = await client().eligibility(ELIGIBILITY);
    const elapsed = performance.now() - started;
    assert.deepEqual(answer, ELIGIBLE);
    assert.equal(requestsTo(eligibilityPath).length, 2);
    assert.ok(
      elapsed >= 950,
      `retried after ${Math.round(elapsed)} ms, before the 1 s Retry-After`,
    );
  });

  it('backs off on 503 twice, then succeeds, with one Idempotency-Key for all attempts', async () => {
    script[eligibilityPath] = [
      ivrError(503, IvrErrorCode.internal),
      ivrError(503, IvrErrorCode.internal),
      json(200, ELIGIBLE),
    ];
    assert.deepEqual(await client().eligibility(ELIGIBILITY), ELIGIBLE);
    const attempts = requestsTo(eligibilityPath);
    assert.equal(attempts.length, 3);
    const keys = new Set(attempts.map((a) => a.headers['idempotency-key']));
    assert.equal(keys.size, 1);
    assert.match([...keys][0] as string, /^[0-9a-f-]{36}$/);
    for (const a of attempts) {
      assert.equal(a.method, 'POST');
      assert.equal(a.query.toString(), 'v=2.0');
      assert.equal(a.headers.authorization, 'Bearer static-token');
      assert.deepEqual(JSON.parse(a.body), ELIGIBILITY);
    }
  });

  it('gives each logical call its own Idempotency-Key, or the one the caller chose', async () => {
    script[eligibilityPath] = [json(200, ELIGIBLE)];
    const c = client();
    await c.eligibility(ELIGIBILITY);
    await c.eligibility(ELIGIBILITY);
    await c.eligibility(ELIGIBILITY, { idempotencyKey: 'ivr-call-42' });
    const keys = requestsTo(eligibilityPath).map((a) => a.headers['idempotency-key']);
    assert.notEqual(keys[0], keys[1]);
    assert.equal(keys[2], 'ivr-call-42');
  });

  it('never retries a 400, and throws a C2mError with the code', async () => {
    script[eligibilityPath] = [ivrError(400, IvrErrorCode.invalidPhoneNumber), json(200, ELIGIBLE)];
    const err = await client()
      .eligibility(ELIGIBILITY)
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof C2mError);
    assert.equal(err.status, 400);
    assert.equal(err.errorCode, IvrErrorCode.invalidPhoneNumber);
    assert.equal(err.errorMessage, 'error 1001');
    assert.equal(err.requestId, 'req-12345678');
    assert.equal(requestsTo(eligibilityPath).length, 1);
  });

  for (const [status, code] of [
    [401, IvrErrorCode.invalidToken],
    [403, IvrErrorCode.forbidden],
    [404, IvrErrorCode.notFound],
    [409, IvrErrorCode.idempotencyKeyInUse],
    [422, IvrErrorCode.idempotencyKeyReused],
  ] as const) {
    it(`never retries a ${status}`, async () => {
      script['/api/account/acc1/invite'] = [ivrError(status, code), json(200, { callId: CALL_ID })];
      await assert.rejects(client().invite({ callId: CALL_ID }), { status, errorCode: code });
      assert.equal(seen.length, 1);
    });
  }

  it('gives up after `limit` retries and reports the last answer', async () => {
    script[eligibilityPath] = [ivrError(500, IvrErrorCode.internal)];
    await assert.rejects(client({ retry: { limit: 2, backoffMs: 1 } }).eligibility(ELIGIBILITY), {
      name: 'C2mError',
      status: 500,
      errorCode: IvrErrorCode.internal,
      requestId: 'req-12345678',
    });
    assert.equal(requestsTo(eligibilityPath).length, 3);
  });

  it('reads the reporting error body too', async () => {
    script['/api/account/acc1/app/c2m/analytics'] = [
      json(400, { code: 0, requestTraceId: 'trace-1', message: 'attemptedEndTime: too far' }),
    ];
    await assert.rejects(client().analytics(WINDOW), {
      status: 400,
      errorCode: 0,
      errorMessage: 'attemptedEndTime: too far',
      requestId: 'trace-1',
    });
  });

  it('signs every OAuth 1.0a attempt afresh (the server refuses a replayed nonce)', async () => {
    script[eligibilityPath] = [ivrError(502, IvrErrorCode.internal), json(200, ELIGIBLE)];
    const c = client({
      auth: {
        type: 'oauth1',
        consumerKey: 'ck',
        consumerSecret: 'cs',
        token: 'at',
        tokenSecret: 'ts',
        signatureMethod: 'HMAC-SHA256',
      },
    });
    await c.eligibility(ELIGIBILITY);
    const headers = requestsTo(eligibilityPath).map((a) =>
      parseOAuthHeader(a.headers.authorization ?? ''),
    );
    assert.equal(headers.length, 2);
    assert.equal(headers[0]?.oauth_signature_method, 'HMAC-SHA256');
    assert.notEqual(headers[0]?.oauth_nonce, headers[1]?.oauth_nonce);
  });

  describe('client credentials', () => {
    const auth = { type: 'bearer', clientId: 'cid', clientSecret: 'c sec' } as const;
    let issued: number;
    beforeEach(() => {
      issued = 0;
      script['/oauth/token'] = [
        (res, s) =>
          json(200, { access_token: `token-${++issued}`, token_type: 'Bearer', expires_in: 3600 })(
            res,
            s,
          ),
      ];
    });

    it('fetches one token, sends it, and reuses it until it expires', async () => {
      script[eligibilityPath] = [json(200, ELIGIBLE)];
      const c = client({ auth });
      await Promise.all([c.eligibility(ELIGIBILITY), c.eligibility(ELIGIBILITY)]);
      await c.eligibility(ELIGIBILITY);
      const tokenRequests = requestsTo('/oauth/token');
      assert.equal(tokenRequests.length, 1);
      assert.equal(
        tokenRequests[0].headers['content-type'],
        'application/x-www-form-urlencoded;charset=UTF-8',
      );
      assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenRequests[0].body)), {
        grant_type: 'client_credentials',
        client_id: 'cid',
        client_secret: 'c sec',
      });
      assert.deepEqual(
        requestsTo(eligibilityPath).map((a) => a.headers.authorization),
        ['Bearer token-1', 'Bearer token-1', 'Bearer token-1'],
      );
    });

    it('fetches a new token once the cached one has expired', async () => {
      script['/oauth/token'] = [
        (res, s) =>
          json(200, { access_token: `short-${++issued}`, token_type: 'Bearer', expires_in: 0 })(
            res,
            s,
          ),
      ];
      script[eligibilityPath] = [json(200, ELIGIBLE)];
      const c = client({ auth });
      await c.eligibility(ELIGIBILITY);
      await c.eligibility(ELIGIBILITY);
      assert.deepEqual(
        requestsTo(eligibilityPath).map((a) => a.headers.authorization),
        ['Bearer short-1', 'Bearer short-2'],
      );
    });

    it('refreshes the token once on a 401, and not again', async () => {
      script[eligibilityPath] = [ivrError(401, IvrErrorCode.invalidToken), json(200, ELIGIBLE)];
      assert.deepEqual(await client({ auth }).eligibility(ELIGIBILITY), ELIGIBLE);
      assert.deepEqual(
        requestsTo(eligibilityPath).map((a) => a.headers.authorization),
        ['Bearer token-1', 'Bearer token-2'],
      );

      seen = [];
      script[eligibilityPath] = [ivrError(401, IvrErrorCode.invalidToken)];
      await assert.rejects(client({ auth }).eligibility(ELIGIBILITY), { status: 401 });
      assert.equal(requestsTo(eligibilityPath).length, 2);
      assert.equal(requestsTo('/oauth/token').length, 2);
    });

    it('reports refused client credentials as a C2mError', async () => {
      script['/oauth/token'] = [ivrError(401, IvrErrorCode.invalidToken)];
      await assert.rejects(client({ auth }).eligibility(ELIGIBILITY), {
        status: 401,
        errorCode: IvrErrorCode.invalidToken,
      });
      assert.equal(requestsTo(eligibilityPath).length, 0);
    });
  });

  describe('reporting', () => {
    const transactionsPath = '/api/account/acc1/app/c2m/transactions';
    const record = (i: number) => ({ transactionId: `t${i}`, callId: `c${i}` });

    it('pages through transactions by offset until a short page', async () => {
      script[transactionsPath] = [
        (res, s) => {
          const { offset, limit } = JSON.parse(s.body) as { offset: number; limit: number };
          const rows = Array.from({ length: Math.max(0, Math.min(limit, 5 - offset)) }, (_, i) =>
            record(offset + i),
          );
          json(200, { page: { count: rows.length, offset, limit }, transactions: rows })(res, s);
        },
      ];
      const ids: string[] = [];
      for await (const t of client().iterateTransactions(WINDOW, {
        limit: 2,
        filters: { channels: ['sms'] },
      })) {
        ids.push(t.transactionId);
      }
      assert.deepEqual(ids, ['t0', 't1', 't2', 't3', 't4']);
      const pages = requestsTo(transactionsPath);
      assert.deepEqual(
        pages.map((p) => JSON.parse(p.body) as unknown),
        [0, 2, 4].map((offset) => ({ filters: { channels: ['sms'] }, offset, limit: 2 })),
      );
      for (const p of pages) {
        assert.equal(p.method, 'POST');
        assert.deepEqual(Object.fromEntries(p.query), {
          v: '2.0',
          attemptedStartTime: String(WINDOW.attemptedStartTime),
          attemptedEndTime: String(WINDOW.attemptedEndTime),
        });
      }
    });

    it('parses an NDJSON export as it streams, lines split across chunks', async () => {
      script['/api/account/acc1/app/c2m/exports/transactions.ndjson'] = [
        (res) => {
          res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
          const text = [record(1), record(2), { ...record(3), skill: 'vente ✓' }]
            .map((r) => JSON.stringify(r) + '\n')
            .join('');
          const bytes = Buffer.from(text, 'utf8');
          // split inside a line and inside the multi-byte ✓
          const cut = bytes.indexOf(Buffer.from('✓')) + 1;
          res.write(bytes.subarray(0, 10));
          res.write(bytes.subarray(10, cut));
          setTimeout(() => res.end(bytes.subarray(cut)), 20);
        },
      ];
      const records = [];
      for await (const r of client().exportTransactions(WINDOW)) records.push(r);
      assert.deepEqual(records, [record(1), record(2), { ...record(3), skill: 'vente ✓' }]);
      const [request] = seen;
      assert.equal(request.method, 'GET');
      assert.equal(request.query.get('attemptedStartTime'), String(WINDOW.attemptedStartTime));
    });

    it('yields CSV as text', async () => {
      script['/api/account/acc1/app/c2m/exports/optouts.csv'] = [
        (res) => {
          res.writeHead(200, { 'Content-Type': 'text/csv' });
          res.end('phone,action\n+14155550123,opt_out\n');
        },
      ];
      let text = '';
      for await (const chunk of client().exportOptOuts(WINDOW, 'csv')) text += chunk;
      assert.equal(text, 'phone,action\n+14155550123,opt_out\n');
    });
  });
});
