// The WhatsApp Cloud API adapter against a local fake of Meta's Graph API: the template send as
// Meta documents it, reachability, and the template and configuration errors that are final.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SendInput } from '../src/channels/types.js';
import { createWhatsAppCloudAdapter } from '../src/channels/whatsapp-cloud.js';
import {
  assertFailure,
  invite,
  NUMBER,
  SECRETS,
  startMeta,
  TEMPLATES,
  whatsAppSettings,
} from './fakes/whatsapp-fixtures.js';
import type { FakeWhatsApp } from './fakes/whatsapp-server.js';

describe('WhatsApp Cloud adapter: sending', () => {
  let meta: FakeWhatsApp;
  const adapter = () =>
    createWhatsAppCloudAdapter(whatsAppSettings(meta.url), {
      fetch,
      now: Date.now,
      timeoutMs: 1000,
    });

  before(async () => {
    meta = await startMeta(TEMPLATES);
  });
  after(() => meta?.close());
  afterEach(() => {
    meta.requests.length = 0;
  });

  it('sends an approved template as Meta documents it and returns the wamid', async () => {
    const input = invite('+14155550100');
    const result = await adapter().send(input);

    assert.equal(meta.requests.length, 1);
    const [req] = meta.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/v21.0/${NUMBER.phoneNumberId}/messages`);
    assert.equal(req.headers.authorization, `Bearer ${SECRETS.accessToken}`);
    assert.match(req.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(req.rawBody), {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '14155550100',
      type: 'template',
      template: {
        name: 'call_followup',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ada' },
              { type: 'text', text: 'Acme' },
            ],
          },
        ],
      },
      biz_opaque_callback_data: input.messageId,
    });
    const sent = meta.sent.at(-1);
    assert.match(sent?.wamid ?? '', /^wamid\./);
    assert.deepEqual(result, { ok: true, providerMessageId: sent?.wamid });
  });

  it('sends a template without placeholders with no body component', async () => {
    const plain = { name: 'call_followup_plain', language: 'en_US', parameters: [] };
    assert.equal((await adapter().send(invite('+14155550101', plain))).ok, true);
    const body = JSON.parse(meta.requests[0].rawBody) as { template: object };
    assert.equal('components' in body.template, false);
  });

  it('says every number is reachable: Meta forbids checking beforehand', async () => {
    const input = { accountId: 'acc-1', channel: 'wa', phone: '+14155550199' } as const;
    assert.equal(await adapter().reachable({ ...input, consumerId: undefined }), true);
    assert.equal(meta.requests.length, 0);
  });

  it('refuses an invite without a template, without calling Meta', async () => {
    assertFailure(await adapter().send(invite('+14155550102', null)), {
      retryable: false,
      errorSource: 'c2m',
      errorCode: 'template_required',
      errorMessage: /approved template/,
    });
    assert.equal(meta.requests.length, 0);
  });

  it('sends a conversation message (no transaction) as free text inside the service window', async () => {
    const reply = { ...invite('+14155550103', null), transactionId: null, body: 'An agent here.' };
    const result = await adapter().send(reply);
    assert.equal(result.ok, true);
    const body = JSON.parse(meta.requests[0].rawBody) as Record<string, unknown>;
    assert.equal(body.type, 'text');
    assert.deepEqual(body.text, { body: 'An agent here.', preview_url: false });
    assert.equal(body.to, '14155550103');
    assert.equal('template' in body, false);
  });

  it('refuses a recipient that is not E.164, without calling Meta', async () => {
    assertFailure(await adapter().send(invite('4155550102')), {
      retryable: false,
      errorSource: 'c2m',
      errorCode: 'invalid_recipient',
    });
    assert.equal(meta.requests.length, 0);
  });

  it('is refused by Meta when its configuration is wrong, and does not retry', async () => {
    const elsewhere = { ...whatsAppSettings(meta.url), phoneNumberId: '100000000000001' };
    const adapter = createWhatsAppCloudAdapter(elsewhere, {
      fetch,
      now: Date.now,
      timeoutMs: 1000,
    });
    assertFailure(await adapter.send(invite('+14155550104')), {
      retryable: false,
      errorCode: '100',
      // our words for the code: Meta's text is never stored
      errorMessage: /^invalid parameter in the request$/,
    });
  });

  it('fake: refuses what Meta refuses, in Meta’s error shape', async () => {
    const path = `${meta.url}/v21.0/${NUMBER.phoneNumberId}/messages`;
    const auth = { authorization: `Bearer ${SECRETS.accessToken}` };
    const json = JSON.stringify({ messaging_product: 'whatsapp', to: '+14155550100' });
    const attempts: [RequestInit, number, number][] = [
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 400, 2500],
      [
        { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' },
        400,
        100,
      ],
      [
        { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: json },
        400,
        100,
      ],
      [{ method: 'GET', headers: auth }, 400, 100],
    ];
    for (const [init, status, code] of attempts) {
      const res = await fetch(path, init);
      const body = (await res.json()) as { error: { code: number; fbtrace_id: string } };
      assert.deepEqual([res.status, body.error.code], [status, code], JSON.stringify(init));
      assert.ok(body.error.fbtrace_id);
    }
  });

  describe('template errors are final', () => {
    const template = (name: string, language: string, ...parameters: string[]) => ({
      name,
      language,
      parameters,
    });
    const cases: [string, SendInput['template'], string, RegExp][] = [
      ['unknown template', template('nope', 'en_US'), '132001', /does not exist in this language/],
      ['unknown language', template('call_followup', 'fr', 'a', 'b'), '132001', /does not exist/],
      [
        'wrong parameter count',
        template('call_followup', 'en_US', 'Ada'),
        '132000',
        /parameter count does not match/,
      ],
      ['empty parameter', template('call_followup', 'en_US', 'Ada', ''), '132012', /wrong format/],
      ['paused template', template('paused_followup', 'en_US', 'Ada'), '132015', /paused/],
      ['disabled template', template('disabled_followup', 'en_US'), '132016', /disabled/],
    ];
    for (const [name, t, code, message] of cases) {
      it(name, async () => {
        assertFailure(await adapter().send(invite('+14155550103', t)), {
          retryable: false,
          errorCode: code,
          errorMessage: message,
        });
      });
    }
  });
});
