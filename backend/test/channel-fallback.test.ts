// The channel fallback, decided in one place: WhatsApp refused at send time and WhatsApp failed
// later by a receipt both move a waSms invite to SMS and record `transaction.channel_failed` with
// one payload, which the event webhooks give with the provider's own error.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebhookEvent } from '../contract/webhooks.js';
import { seedAccount, startTestC2m, waitFor, type SeededAccount, type TestC2m } from './helpers.js';
import { webhooksApi } from './event-webhooks-client.js';
import { accountApi, deflect, freshPhone, sandboxPhone, transactionOf } from './sandbox-phone.js';
import { startSinkReceiver, type SinkReceiver } from './sink-receiver.js';

/** The sandbox refuses WhatsApp for good to numbers ending in 0002. */
const WHATSAPP_REFUSED = '+14155550002';

describe('channel fallback', () => {
  let t: TestC2m;
  let receiver: SinkReceiver<WebhookEvent>;
  let account: SeededAccount;

  before(async () => {
    // the sandbox's own receipts never come: the test reports the WhatsApp message's failure
    t = await startTestC2m({
      C2M_ALLOW_PRIVATE_WEBHOOKS: '1',
      C2M_SANDBOX_RECEIPT_MS: String(365 * 86_400_000),
    });
    receiver = await startSinkReceiver<WebhookEvent>('/hooks/c2m');
    account = await seedAccount(t, { permissions: ['ivr', 'admin', 'conversations'] });
    await webhooksApi(t, account).create({
      url: receiver.url,
      events: ['transaction.channel_failed'],
    });
  });
  after(() => receiver?.close());
  after(() => t?.close());

  /** The stored event and the webhook delivered for it, once both are there. */
  async function channelFailed(transactionId: string) {
    const row = await waitFor(async () => {
      return t.c2m.deps.db
        .selectFrom('events')
        .select('payload_json')
        .where('transaction_id', '=', transactionId)
        .where('type', '=', 'transaction.channel_failed')
        .executeTakeFirst();
    }, 'the channel_failed event');
    const delivered = await waitFor(
      () => receiver.accepted().find((d) => d.event?.data.transactionId === transactionId),
      'its webhook',
    );
    return { payload: JSON.parse(row.payload_json) as unknown, data: delivered.event?.data };
  }

  it('records a send-time refusal with the provider’s error', async () => {
    const { callId } = await deflect(t, account, WHATSAPP_REFUSED, {
      handoff: account.handoffs.waSms,
    });
    const tx = await waitFor(async () => {
      const row = await transactionOf(t, callId);
      return row.channel === 'sms' && row.status !== 'queued' ? row : undefined;
    }, 'the invite sent by SMS');
    const error = {
      source: 'sandbox',
      code: '131026',
      message: 'sandbox: message undeliverable, number not on WhatsApp',
    };
    const { payload, data } = await channelFailed(tx.id);
    assert.deepEqual(payload, { channel: 'wa', next: 'sms', error });
    assert.equal(data?.channel, 'wa');
    assert.equal(data?.nextChannel, 'sms');
    assert.equal(data?.status, 'queued');
    assert.deepEqual(data?.error, error);
  });

  it('records a failure reported later by a receipt in the same shape', async () => {
    const phone = sandboxPhone(accountApi(t, account), freshPhone());
    const { callId } = await deflect(t, account, phone.address, {
      handoff: account.handoffs.waSms,
    });
    const invite = await waitFor(
      async () => (await phone.received()).find((m) => m.status === 'sent'),
      'the WhatsApp invite sent',
    );
    assert.equal(invite.channel, 'wa');
    const failure = { errorCode: '131026', errorMessage: 'Message undeliverable' };
    assert.equal(await phone.report(invite.id, 'failed', failure), 'applied');

    const tx = await transactionOf(t, callId);
    const error = { source: 'sandbox', code: '131026', message: 'Message undeliverable' };
    const { payload, data } = await channelFailed(tx.id);
    assert.deepEqual(payload, { channel: 'wa', next: 'sms', error });
    assert.equal(data?.channel, 'wa');
    assert.equal(data?.nextChannel, 'sms');
    assert.deepEqual(data?.error, error);
  });
});
