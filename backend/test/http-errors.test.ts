// Every documented IVR error code (README "Errors") from a real c2m, each request carrying an
// Idempotency-Key, and the proof that a rejected request stores nothing at all.
import { onPostgres } from './test-engine.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IvrErrorBody } from '../contract/errors.js';
import {
  call,
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const MOBILE = '+14155550123';
const TABLES = [
  'calls',
  'transactions',
  'outbox',
  'idempotency_keys',
  'messages',
  'events',
] as const;

describe('IVR API errors', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let other: SeededAccount;
  let keyN = 0;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t);
    other = await seedAccount(t);
  });
  after(() => t?.close());

  async function rowCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await t.c2m.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    return counts;
  }

  const valid = (over: Record<string, unknown> = {}) => ({
    skill: 'sales',
    consumerPhoneNumber: MOBILE,
    handoffId: account.handoffs.sms,
    ...over,
  });

  /** A signed POST with a fresh Idempotency-Key, so a stored key would show in the counts. */
  function post(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const url = `${t.url}/api/account/${account.accountId}/${path}`;
    return call(url, {
      body,
      authorization: oauth1Header(account.oauth1, 'POST', url),
      headers: { 'Idempotency-Key': `error-test-${++keyN}`, ...headers },
    });
  }

  /** A signed POST whose body is streamed (chunked), as fetch sends a stream. */
  async function rawPost(url: string, body: ReadableStream<Uint8Array>): Promise<ApiResponse> {
    const res = await fetch(url, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': `error-test-${++keyN}`,
        Authorization: oauth1Header(account.oauth1, 'POST', url),
      },
    } as RequestInit);
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  /** Sends the request and checks the error answer, and that no table gained a row. */
  async function expectError(
    send: () => Promise<ApiResponse>,
    status: number,
    errorCode: number,
    message?: RegExp,
  ): Promise<void> {
    const before = await rowCounts();
    const res = await send();
    assert.equal(res.status, status, JSON.stringify(res.body));
    const body = res.body as IvrErrorBody;
    assert.deepEqual(Object.keys(body).sort(), ['errorCode', 'errorMessage']);
    assert.equal(body.errorCode, errorCode, body.errorMessage);
    if (message) assert.match(body.errorMessage, message);
    assert.deepEqual(await rowCounts(), before, 'a rejected request stores nothing');
  }

  it('is set up right: the valid request passes and stores its call', async () => {
    const before = await rowCounts();
    const res = await post('eligibility?v=2.0', valid());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const afterCounts = await rowCounts();
    assert.equal(afterCounts.calls, before.calls + 1);
    assert.equal(afterCounts.idempotency_keys, before.idempotency_keys + 1);
  });

  describe('1001 invalid customerPhoneNumber', () => {
    for (const [what, phone] of [
      ['no leading +', '14155550123'],
      ['letters', '+1415555abcd'],
      ['spaces', '+1 415 555 0123'],
      ['too short for its country', '+1415555019'],
      ['no such country code', '+99912345'],
      ['a UK number in a range never issued', '+447700900123'],
    ]) {
      it(what, () =>
        expectError(
          () => post('eligibility?v=2.0', valid({ consumerPhoneNumber: phone })),
          400,
          1001,
          /customerPhoneNumber/,
        ),
      );
    }
  });

  describe('1000 invalid request, naming the field', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['missing skill', { skill: undefined }, /^skill: /],
      ['missing handoffId', { handoffId: undefined }, /^handoffId: /],
      ['missing consumerPhoneNumber', { consumerPhoneNumber: undefined }, /^consumerPhoneNumber: /],
      ['skill of the wrong type', { skill: 42 }, /^skill: /],
      ['phone number as a number', { consumerPhoneNumber: 14155550123 }, /^consumerPhoneNumber: /],
      ['sdes not an array', { sdes: 'personal' }, /^sdes: /],
      [
        'templateVariables values not strings',
        { templateVariables: { '1': 5 } },
        /^templateVariables/,
      ],
      ['skill over 255 characters', { skill: 's'.repeat(256) }, /^skill: /],
      ['handoffId over 16 characters', { handoffId: 'H'.padEnd(17, '1') }, /^handoffId: /],
      [
        'consumerPhoneNumber over 15 characters',
        { consumerPhoneNumber: '+1415555012345678' },
        /^consumerPhoneNumber: /,
      ],
    ];
    for (const [what, over, message] of cases) {
      it(what, () => expectError(() => post('eligibility?v=2.0', valid(over)), 400, 1000, message));
    }
    it('a JSON array instead of an object', () =>
      expectError(() => post('eligibility?v=2.0', [valid()]), 400, 1000, /^body: /));
    it('malformed JSON', () =>
      expectError(
        () => post('eligibility?v=2.0', '{"skill": "sales",'),
        400,
        1000,
        /malformed JSON/,
      ));
    it('an empty body', () =>
      expectError(() => post('eligibility?v=2.0', ''), 400, 1000, /^body: /));
  });

  describe('1500 / 1501 handoff', () => {
    it('unknown handoff → 1500', () =>
      expectError(
        () => post('eligibility?v=2.0', valid({ handoffId: 'H000000000000000' })),
        400,
        1500,
      ));
    it('inactive handoff → 1500', () =>
      expectError(
        () => post('eligibility?v=2.0', valid({ handoffId: account.handoffs.inactive })),
        400,
        1500,
      ));
    it("another account's handoff → 1500", () =>
      expectError(
        () => post('eligibility?v=2.0', valid({ handoffId: other.handoffs.sms })),
        400,
        1500,
      ));
    it('a handoff with no enabled channel → 1501', () =>
      expectError(
        () => post('eligibility?v=2.0', valid({ handoffId: account.handoffs.disabled })),
        400,
        1501,
      ));
  });

  describe('1300 skill', () => {
    it('unknown skill', () =>
      expectError(() => post('eligibility?v=2.0', valid({ skill: 'nope' })), 400, 1300, /nope/));
    it('skill with routing disabled', () =>
      expectError(() => post('eligibility?v=2.0', valid({ skill: 'closed' })), 400, 1300));
  });

  describe('1002 version', () => {
    it('v missing', () => expectError(() => post('eligibility', valid()), 400, 1002));
    it('v=1.0', () => expectError(() => post('eligibility?v=1.0', valid()), 400, 1002));
    it('v missing on invite too', () =>
      expectError(() => post('invite', { callId: crypto.randomUUID() }), 400, 1002));
  });

  describe('transport errors', () => {
    it('text/plain → 415 / 1015', () =>
      expectError(
        () => post('eligibility?v=2.0', JSON.stringify(valid()), { 'Content-Type': 'text/plain' }),
        415,
        1015,
      ));
    it('a body over 64 KB → 413', () =>
      expectError(
        () => post('eligibility?v=2.0', valid({ ivrNumber: 'x'.repeat(65 * 1024) })),
        413,
        1013,
      ));
    it('a chunked body over 64 KB with no Content-Length → 413', () =>
      expectError(
        () => {
          const url = `${t.url}/api/account/${account.accountId}/eligibility?v=2.0`;
          const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
          let sent = 0;
          const stream = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (sent++ < 5) controller.enqueue(chunk);
              else controller.close();
            },
          });
          return rawPost(url, stream);
        },
        413,
        1013,
      ));
    it('a body of exactly 64 KB is read, then validated', async () => {
      const body = valid({ ivrNumber: '' });
      const padding = 64 * 1024 - Buffer.byteLength(JSON.stringify(body));
      const exact = JSON.stringify({ ...body, ivrNumber: 'x'.repeat(padding) });
      assert.equal(Buffer.byteLength(exact), 64 * 1024);
      await expectError(() => post('eligibility?v=2.0', exact), 400, 1000, /^ivrNumber: /);
    });
    it('unknown route → 404 / 1004', async () => {
      await expectError(() => post('nothing-here?v=2.0', valid()), 404, 1004);
      await expectError(() => call(`${t.url}/no/such/path`, { method: 'GET' }), 404, 1004);
      // a bundle that does not exist, or a name the pattern refuses, is not a 405
      await expectError(() => call(`${t.url}/assets/nope.js`, { method: 'GET' }), 404, 1004);
      await expectError(() => call(`${t.url}/assets/..%2Fetc.js`, { method: 'GET' }), 404, 1004);
    });
    it('GET on eligibility → 405 / 1005 with Allow', async () => {
      const url = `${t.url}/api/account/${account.accountId}/eligibility?v=2.0`;
      let allow: string | null = null;
      await expectError(
        async () => {
          const authorization = oauth1Header(account.oauth1, 'GET', url);
          const res = await call(url, { method: 'GET', authorization });
          allow = res.headers.get('Allow');
          return res;
        },
        405,
        1005,
      );
      assert.equal(allow, 'POST');
    });
    it('DELETE on invite → 405 / 1005', () =>
      expectError(
        () => call(`${t.url}/api/account/${account.accountId}/invite?v=2.0`, { method: 'DELETE' }),
        405,
        1005,
      ));
  });

  describe('5xx', () => {
    it('shows a request id and nothing internal', async () => {
      // a handoff row no code path could write: reading it throws inside c2m (a SyntaxError; on
      // PostgreSQL, whose jsonb column takes only JSON, a TypeError of JSON that is no list)
      const broken = 'H999999999999999';
      await t.c2m.deps.db
        .insertInto('handoffs')
        .values({
          id: broken,
          account_id: account.accountId,
          title: 'broken',
          active: 1,
          lookback_minutes: 60,
          channels_json: onPostgres ? 'null' : '{not json',
          created_at: t.clock.now(),
          updated_at: t.clock.now(),
        })
        .execute();
      const before = await rowCounts();
      const res = await post('eligibility?v=2.0', valid({ handoffId: broken }));
      assert.equal(res.status, 500);
      const body = res.body as IvrErrorBody;
      assert.equal(body.errorCode, 5000);
      assert.ok(body.requestId, 'the answer names the request');
      assert.equal(res.headers.get('X-Request-Id'), body.requestId);
      assert.equal(body.errorMessage, `Internal Server Error (request id ${body.requestId})`);
      assert.doesNotMatch(JSON.stringify(res.body), /JSON|Syntax|at |\.ts|sqlite/i);
      assert.deepEqual(await rowCounts(), before);
    });
  });

  describe('rate limit', () => {
    it('answers 429 / 1029 with Retry-After beyond the account limit, and processes nothing', async () => {
      const limited = await seedAccount(t, { rateLimitPerSec: 5 });
      const ivr = ivrClient(t, limited);
      const body = { skill: 'sales', consumerPhoneNumber: MOBILE, handoffId: limited.handoffs.sms };
      const storedCalls = async () =>
        (
          await t.c2m.deps.db
            .selectFrom('calls')
            .select('id')
            .where('account_id', '=', limited.accountId)
            .execute()
        ).length;
      const storedKeys = async () =>
        (
          await t.c2m.deps.db
            .selectFrom('idempotency_keys')
            .select('key')
            .where('account_id', '=', limited.accountId)
            .execute()
        ).length;

      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          ivr.eligibility(body, { 'Idempotency-Key': `burst-${i}` }),
        ),
      );
      const ok = answers.filter((r) => r.status === 200);
      const limitedAnswers = answers.filter((r) => r.status === 429);
      assert.equal(ok.length + limitedAnswers.length, 12, 'only 200 and 429');
      assert.ok(ok.length >= 1 && ok.length <= 6, `${ok.length} passed`);
      for (const res of limitedAnswers) {
        assert.deepEqual(res.body, { errorCode: 1029, errorMessage: 'Rate limit hit' });
        assert.match(res.headers.get('Retry-After') ?? '', /^[1-9]\d*$/);
      }
      assert.equal(await storedCalls(), ok.length, 'a 429 stored no call');
      assert.equal(await storedKeys(), ok.length, 'a 429 stored no idempotency key');

      const stillLimited = await ivr.eligibility(body);
      assert.equal(stillLimited.status, 429);

      t.clock.advance(1000);
      const later = await ivr.eligibility(body);
      assert.equal(later.status, 200, JSON.stringify(later.body));
      assert.equal(await storedCalls(), ok.length + 1);
    });

    it('limits each account on its own', async () => {
      const busy = await seedAccount(t, { rateLimitPerSec: 1 });
      const calm = await seedAccount(t, { rateLimitPerSec: 1 });
      const request = (a: SeededAccount) =>
        ivrClient(t, a).eligibility({
          skill: 'sales',
          consumerPhoneNumber: MOBILE,
          handoffId: a.handoffs.sms,
        });
      assert.equal((await request(busy)).status, 200);
      assert.equal((await request(busy)).status, 429);
      assert.equal((await request(calm)).status, 200);
    });
  });

  describe('invite input', () => {
    it('a callId that is not a UUID → 1000 naming callId', () =>
      expectError(() => post('invite?v=2.0', { callId: 'abc' }), 400, 1000, /^callId: /));
    it('a missing callId → 1000', () =>
      expectError(() => post('invite?v=2.0', {}), 400, 1000, /^callId: /));
    it('an unknown overrideChannel → 1000', async () => {
      const elig = await ivrClient(t, account).eligibility(valid());
      const { callId } = elig.body as { callId: string };
      await expectError(
        () => post('invite?v=2.0', { callId, overrideChannel: 'fax' }),
        400,
        1000,
        /^overrideChannel: /,
      );
    });
  });
});
