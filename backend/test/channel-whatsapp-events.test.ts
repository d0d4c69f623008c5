// What the WhatsApp Cloud webhook receiver makes of signed deliveries from the fake Meta: every
// status, consumer messages of each kind, batches, redeliveries and other numbers' traffic.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebhookEvent } from '../src/channels/types.js';
import { createWhatsAppCloudWebhooks } from '../src/channels/whatsapp-cloud-webhooks.js';
import {
  NUMBER,
  OTHER_NUMBER,
  startMeta,
  startWebhookRoute,
  whatsAppSettings,
  type WebhookRoute,
} from './fakes/whatsapp-fixtures.js';
import * as p from './fakes/whatsapp-payloads.js';
import type { FakeWhatsApp } from './fakes/whatsapp-server.js';

const CONSUMER = '16505551234';
const T0 = Date.UTC(2026, 0, 5, 9, 30, 0);
type Items = Record<string, unknown>[];
const ours = (statuses: Items = [], messages: Items = []) =>
  p.delivery(NUMBER.wabaId, [p.messagesValue(NUMBER, { statuses, messages })]);

describe('WhatsApp Cloud webhooks: events', () => {
  let meta: FakeWhatsApp;
  let route: WebhookRoute;

  before(async () => {
    meta = await startMeta([]);
    route = await startWebhookRoute(createWhatsAppCloudWebhooks(whatsAppSettings()));
  });
  after(async () => {
    await route?.close();
    await meta?.close();
  });

  /** Deliver signed over HTTP; the receiver must accept it. */
  async function eventsOf(payload: unknown): Promise<WebhookEvent[]> {
    const answer = await meta.deliver(route.url, payload);
    assert.equal(answer.status, 200, answer.body);
    const verdict = route.verdicts.at(-1);
    assert.ok(verdict?.ok && 'events' in verdict);
    return verdict.events;
  }

  describe('statuses', () => {
    it('maps sent, delivered and read with the time Meta reports', async () => {
      const states = ['sent', 'delivered', 'read'] as const;
      const events = await eventsOf(
        ours(states.map((s, i) => p.status('wamid.B', s, CONSUMER, T0 + i * 1000))),
      );
      assert.deepEqual(
        events,
        states.map((status, i) => ({
          kind: 'status',
          eventId: `wamid.B:${status}`,
          providerMessageId: 'wamid.B',
          status,
          at: T0 + i * 1000,
        })),
      );
    });

    it('maps failed with Meta’s error, final or retryable', async () => {
      const failed = (id: string, code?: number, details = '') =>
        p.status(id, 'failed', CONSUMER, T0, code ? { code, title: 'Title', details } : undefined);
      const events = await eventsOf(
        ours([
          failed('wamid.C', 131026, 'Message Undeliverable.'),
          failed('wamid.D', 131047, 'More than 24 hours have passed.'),
          failed('wamid.E', 130429, 'Cloud API message throughput has been reached.'),
          failed('wamid.F'),
        ]),
      );
      const wa = (retryable: boolean, errorCode: string, errorMessage: string) => ({
        retryable,
        errorSource: 'wa',
        errorCode,
        errorMessage,
      });
      assert.deepEqual(
        events.map((e) => e.kind === 'status' && [e.eventId, e.status, e.error]),
        [
          // our words for each code, not Meta's details
          [
            'wamid.C:failed',
            'failed',
            wa(false, '131026', 'message undeliverable: the number may not be on WhatsApp'),
          ],
          [
            'wamid.D:failed',
            'failed',
            wa(
              false,
              '131047',
              'more than 24 hours since the consumer last replied: use a template',
            ),
          ],
          ['wamid.E:failed', 'failed', wa(true, '130429', 'Cloud API throughput limit reached')],
          ['wamid.F:failed', 'failed', undefined],
        ],
      );
    });

    it('skips statuses reporting does not count', async () => {
      assert.deepEqual(await eventsOf(ours([p.status('wamid.G', 'deleted', CONSUMER, T0)])), []);
    });
  });

  describe('consumer messages', () => {
    const inbound = (id: string, text: string) => ({
      kind: 'inbound',
      eventId: id,
      providerMessageId: id,
      from: `+${CONSUMER}`,
      to: `+${NUMBER.displayPhoneNumber}`,
      text,
      at: T0,
    });

    it('turns text, quick-reply buttons and interactive replies into text', async () => {
      const events = await eventsOf(
        ours(
          [],
          [
            p.message(CONSUMER, 'wamid.in1', T0, p.text('Yes please, call me back')),
            p.message(CONSUMER, 'wamid.in2', T0, p.quickReply('Talk to an agent')),
            p.message(CONSUMER, 'wamid.in3', T0, p.buttonReply('Billing')),
            p.message(CONSUMER, 'wamid.in4', T0, p.listReply('Store hours')),
          ],
        ),
      );
      assert.deepEqual(events, [
        inbound('wamid.in1', 'Yes please, call me back'),
        inbound('wamid.in2', 'Talk to an agent'),
        inbound('wamid.in3', 'Billing'),
        inbound('wamid.in4', 'Store hours'),
      ]);
    });

    it('gives media a placeholder so a reply still opens a conversation; skips system notices', async () => {
      const events = await eventsOf(
        ours(
          [],
          [
            p.message(CONSUMER, 'wamid.in5', T0, p.image('my receipt')),
            p.message(CONSUMER, 'wamid.in6', T0, p.image()),
            p.message(CONSUMER, 'wamid.in7', T0, p.audio()),
            p.message(CONSUMER, 'wamid.in8', T0, p.system()),
          ],
        ),
      );
      assert.deepEqual(
        events.map((e) => e.kind === 'inbound' && e.text),
        ['[image] my receipt', '[image]', '[audio]'],
      );
    });
  });

  describe('batches, redeliveries and other numbers', () => {
    const value = (number: p.BusinessNumber, items: Parameters<typeof p.messagesValue>[1]) => ({
      field: 'messages',
      value: p.messagesValue(number, items),
    });
    const batch = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: NUMBER.wabaId,
          changes: [
            value(NUMBER, {
              statuses: [
                p.status('wamid.H', 'sent', CONSUMER, T0),
                p.status('wamid.I', 'read', CONSUMER, T0),
              ],
            }),
            value(NUMBER, {
              contacts: [p.contact(CONSUMER, 'Ada')],
              messages: [p.message(CONSUMER, 'wamid.in9', T0, p.text('hi'))],
            }),
            value(OTHER_NUMBER, { statuses: [p.status('wamid.X', 'read', CONSUMER, T0)] }),
            {
              field: 'message_template_status_update',
              value: { event: 'APPROVED', message_template_name: 'call_followup' },
            },
          ],
        },
        {
          id: NUMBER.wabaId,
          changes: [value(NUMBER, { statuses: [p.status('wamid.H', 'delivered', CONSUMER, T0)] })],
        },
      ],
    };

    it('reads every entry and change of one delivery, keeping only our number’s', async () => {
      const events = await eventsOf(batch);
      assert.deepEqual(
        events.map((e) => e.eventId),
        ['wamid.H:sent', 'wamid.I:read', 'wamid.in9', 'wamid.H:delivered'],
      );
    });

    it('gives a redelivery the same eventIds, so the pipeline can drop it', async () => {
      const first = await eventsOf(batch);
      assert.deepEqual(await eventsOf(batch), first);
    });

    it('accepts a delivery for another number, with no events', async () => {
      const message = p.message(CONSUMER, 'wamid.Y', T0, p.text('hi'));
      const other = p.delivery(NUMBER.wabaId, [
        p.messagesValue(OTHER_NUMBER, { messages: [message] }),
      ]);
      assert.deepEqual(await eventsOf(other), []);
    });
  });
});
