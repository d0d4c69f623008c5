import { z } from 'zod';
import { consumerText } from './text.js';

/**
 * Event webhooks: a brand subscribes a URL to event types and receives each event as a signed POST
 * (`X-C2M-Signature: v1=<hex HMAC-SHA256(secret, X-C2M-Timestamp + "." + raw body)>`), at least
 * once, in order per transaction (a deflection's conversation events share its order) or else per
 * conversation. The `X-C2M-Delivery` header repeats the body's `id`: drop a duplicate by it.
 */

export const WEBHOOK_EVENT_TYPES = [
  'transaction.queued',
  'transaction.sent',
  'transaction.delivered',
  'transaction.read',
  'transaction.replied',
  'transaction.failed',
  'transaction.skipped',
  /** A channel failed and the invite moved to the next one in priority (`data.nextChannel`). */
  'transaction.channel_failed',
  'conversation.opened',
  'conversation.closed',
  /** STOP (or an opt-out recorded by the CLI / API): no channel of the account reaches the number. */
  'consumer.opted_out',
  /** START / UNSTOP: the number can be invited again. */
  'consumer.opted_in',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES, {
  error: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
});
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** https, no credentials, no private address: the server checks the rest when saving. */
const WebhookUrl = z
  .url({
    // a missing url keeps zod's own message, which the API turns into `url: is required`
    error: (issue) => (issue.input === undefined ? undefined : 'must be an absolute URL'),
  })
  .max(2048);

export const SubscriptionInput = z.strictObject({
  url: WebhookUrl,
  events: z
    .array(WebhookEventType)
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length)
    .refine((e) => new Set(e).size === e.length, 'must not repeat an event type'),
  /** Generated when absent; either way it is returned once, by the create call only. */
  secret: z.string().min(16, 'at least 16 characters').max(256).optional(),
  description: consumerText(200).optional(),
  enabled: z.boolean().optional(),
});
export type SubscriptionInput = z.infer<typeof SubscriptionInput>;

/** Any of the input's fields; a new `secret` replaces the old one (rotation) and is not echoed. */
export const SubscriptionPatch = SubscriptionInput.partial().refine(
  (p) => Object.keys(p).length > 0,
  'at least one field to change',
);
export type SubscriptionPatch = z.infer<typeof SubscriptionPatch>;

export const SubscriptionView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventType),
  description: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SubscriptionView = z.infer<typeof SubscriptionView>;

/** The create call's answer: the only time the secret is shown. */
export const SubscriptionCreated = SubscriptionView.extend({ secret: z.string() });
export type SubscriptionCreated = z.infer<typeof SubscriptionCreated>;

export const DeliveryStatus = z.enum(['pending', 'delivered', 'failed'], {
  error: 'must be pending, delivered or failed',
});
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeliveriesQuery = z.object({ status: DeliveryStatus.optional() });

export const WebhookEventData = z.object({
  transactionId: z.string().nullable(),
  callId: z.string().nullable(),
  conversationId: z.string().nullable(),
  channel: z.string().nullable(),
  skill: z.string().nullable(),
  /**
   * The transaction's status for `transaction.*`, the conversation's for `conversation.*`,
   * `opted_out` / `opted_in` for `consumer.*`.
   */
  status: z.string(),
  /** transaction.* status changes: the status before. */
  previousStatus: z.string().optional(),
  /** transaction.channel_failed: the channel tried next. */
  nextChannel: z.string().optional(),
  /** conversation.opened: whether it came from a deflection within its lookback. */
  deflection: z.boolean().optional(),
  /** consumer.opted_out / opted_in: the number, where the request came from, and the keyword. */
  consumerPhoneNumber: z.string().optional(),
  source: z.string().optional(),
  keyword: z.string().nullable().optional(),
  error: z.object({ source: z.string(), code: z.string(), message: z.string() }).nullable(),
});
export type WebhookEventData = z.infer<typeof WebhookEventData>;

/** The body of every delivery. `id` is the delivery's: the same on each retry and replay. */
export const WebhookEvent = z.object({
  id: z.string(),
  type: WebhookEventType,
  accountId: z.string(),
  occurredAt: z.iso.datetime(),
  data: WebhookEventData,
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const DeliveryView = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  type: WebhookEventType,
  status: DeliveryStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: z.iso.datetime().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  /** The body as it is sent (and was signed): what the receiver gets. */
  event: WebhookEvent,
});
export type DeliveryView = z.infer<typeof DeliveryView>;
