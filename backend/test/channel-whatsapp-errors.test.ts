// Every answer of Meta's Cloud API sorted into retry-later or give-up (and fall back to the next
// channel): Meta's own codes, bare HTTP errors, a silent server and a refused connection.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWhatsAppCloudAdapter } from '../src/channels/whatsapp-cloud.js';
import {
  assertFailure,
  invite,
  SECRETS,
  startMeta,
  TEMPLATES,
  whatsAppSettings,
} from './fakes/whatsapp-fixtures.js';
import { metaError, type FakeWhatsApp, type ScriptedAnswer } from './fakes/whatsapp-server.js';

const TIMEOUT_MS = 300;

const adapterFor = (baseUrl: string, accessToken = SECRETS.accessToken) =>
  createWhatsAppCloudAdapter(
    { ...whatsAppSettings(baseUrl), accessToken },
    { fetch, now: Date.now, timeoutMs: TIMEOUT_MS },
  );

describe('WhatsApp Cloud adapter: errors', () => {
  let meta: FakeWhatsApp;

  before(async () => {
    meta = await startMeta(TEMPLATES);
  });
  after(() => meta?.close());

  describe('Meta error codes', () => {
    const cases: [string, ScriptedAnswer, boolean, string, RegExp][] = [
      ['131026 not on WhatsApp falls back', 'not_on_whatsapp', false, '131026', /undeliverable/],
      ['131047 outside the 24-hour window falls back', 'window_closed', false, '131047', /24 h/],
      ['131051 unsupported type is final', 'unsupported_type', false, '131051', /supported/],
      ['130429 throughput is retried', 'throughput', true, '130429', /throughput/],
      ['131056 pair rate limit is retried', 'pair_rate', true, '131056', /same consumer/],
      ['131048 spam rate limit is retried', 'spam_rate', true, '131048', /spam rate limit/],
      ['HTTP 500 with 131000 is retried', 'server_error', true, '131000', /something went wrong/],
    ];
    for (const [name, answer, retryable, code, message] of cases) {
      it(name, async () => {
        meta.script('14155550110', answer, 1);
        assertFailure(await adapterFor(meta.url).send(invite('+14155550110')), {
          retryable,
          errorCode: code,
          errorMessage: message,
        });
      });
    }

    it('sends normally again once a scripted throttle has passed', async () => {
      meta.script('14155550111', 'throughput', 1);
      assert.equal((await adapterFor(meta.url).send(invite('+14155550111'))).ok, false);
      assert.equal((await adapterFor(meta.url).send(invite('+14155550111'))).ok, true);
    });

    it('190 for a bad access token is final and never shows the token', async () => {
      const revoked = adapterFor(meta.url, `${SECRETS.accessToken}-revoked`);
      assertFailure(await revoked.send(invite('+14155550112')), {
        retryable: false,
        errorCode: '190',
        errorMessage: /access token/,
      });
    });

    it('stores our words for a code, never what the answer said (not even the token)', async () => {
      const echo = metaError({
        code: 100,
        title: 'Invalid parameter',
        details: SECRETS.accessToken,
      });
      meta.script('14155550113', {
        status: 400,
        raw: JSON.stringify(echo),
        contentType: 'application/json',
      });
      assertFailure(await adapterFor(meta.url).send(invite('+14155550113')), {
        retryable: false,
        errorCode: '100',
        errorMessage: /^invalid parameter in the request$/,
      });
    });
  });

  describe('answers that are not Meta errors', () => {
    const cases: [string, ScriptedAnswer & object, boolean, string][] = [
      [
        'a 502 from a proxy is retried',
        { status: 502, raw: '<h1>Bad Gateway</h1>' },
        true,
        'http_502',
      ],
      ['a bare 429 is retried', { status: 429, raw: 'slow down' }, true, 'http_429'],
      [
        'a 400 without a Meta body is final',
        { status: 400, raw: 'bad request' },
        false,
        'http_400',
      ],
      [
        'a 200 without a message id is reported, not retried: it may have gone out',
        { status: 200, raw: '{"messaging_product":"whatsapp"}', contentType: 'application/json' },
        false,
        'invalid_response',
      ],
    ];
    for (const [name, answer, retryable, code] of cases) {
      it(name, async () => {
        meta.script('14155550120', answer, 1);
        assertFailure(await adapterFor(meta.url).send(invite('+14155550120')), {
          retryable,
          errorCode: code,
        });
      });
    }

    // a timeout that never fired would leave the send (and this test) waiting: fail instead
    it('no answer within the timeout is retried', { timeout: TIMEOUT_MS * 10 }, async () => {
      meta.script('14155550124', 'hang', 1);
      const hungUp = meta.hung.nextHangUp();
      assertFailure(await adapterFor(meta.url).send(invite('+14155550124')), {
        retryable: true,
        errorCode: 'timeout',
        errorMessage: /300 ms/,
      });
      // the timeout cut the call short: the adapter closed the request, Meta saw it go
      await hungUp;
    });

    it('a refused connection is retried', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      assertFailure(await adapterFor(`http://127.0.0.1:${port}`).send(invite('+14155550125')), {
        retryable: true,
        errorCode: 'network_error',
      });
    });
  });
});
