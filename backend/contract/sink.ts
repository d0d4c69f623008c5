import { z } from 'zod';
import { SecretSet } from './providers.js';
import { DeliveryStatus } from './webhooks.js';

// The conversation sink: the brand's URL that receives every conversation event, signed.

export const SinkSettingsInput = z.object({
  url: z.url(),
  secret: z.string().min(16, 'at least 16 characters').max(256),
});
export type SinkSettingsInput = z.infer<typeof SinkSettingsInput>;

/** The sink as saved: the secret that signs its deliveries is never shown again. */
export const SinkSettingsView = z.object({ url: z.url(), secret: SecretSet });
export type SinkSettingsView = z.infer<typeof SinkSettingsView>;

/** The deliveries list's filter; anything else lists the failed ones. */
export const SinkDeliveriesQuery = z.object({ status: DeliveryStatus.default('failed') });
export type SinkDeliveriesQuery = z.infer<typeof SinkDeliveriesQuery>;

/** One conversation event on its way to the sink, numbered in its conversation's order. */
export const SinkDeliveryView = z.object({
  id: z.string(),
  conversationId: z.string(),
  sequence: z.number().int(),
  type: z
    .string()
    .describe(
      'conversation.opened, conversation.consumer_message, conversation.agent_message or ' +
        'conversation.closed',
    ),
  status: DeliveryStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime().nullable(),
});
export type SinkDeliveryView = z.infer<typeof SinkDeliveryView>;

/** Newest first, at most 200. */
export const SinkDeliveryList = z.object({ deliveries: z.array(SinkDeliveryView) });
export type SinkDeliveryList = z.infer<typeof SinkDeliveryList>;

/** The delivery is pending again; the sink dispatcher sends it next. */
export const SinkReplayed = z.object({ replayed: z.string().describe("The delivery's id") });
export type SinkReplayed = z.infer<typeof SinkReplayed>;
