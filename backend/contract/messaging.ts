import { z } from 'zod';
import { ChannelName } from './channels.js';
import { MessageDeliveryStatus } from './conversations.js';
import { SecretSet } from './providers.js';
import { consumerText, identifier } from './text.js';
import { DeliveryStatus } from './webhooks.js';

/** The sandbox phone: what a consumer's handset would do. */
export const SandboxInbound = z.object({
  channel: ChannelName.default('sms'),
  /** The consumer: a phone number, or a consumerId for in-app. */
  from: identifier(255).min(1),
  text: z.string().min(1).max(4096),
});
export type SandboxInbound = z.infer<typeof SandboxInbound>;

export const SandboxStatus = z.object({
  status: z.enum(['delivered', 'read', 'failed']),
  errorCode: identifier(32).optional(),
  errorMessage: z.string().max(500).optional(),
});
export type SandboxStatus = z.infer<typeof SandboxStatus>;

export const SandboxMessagesQuery = z.object({
  address: z.string().optional().describe("A consumer's address: messages to or from it only"),
});
export type SandboxMessagesQuery = z.infer<typeof SandboxMessagesQuery>;

/** A message as the consumer's sandbox phone shows it. */
export const SandboxMessageView = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  channel: ChannelName,
  to: z.string(),
  from: z.string().nullable(),
  text: z.string(),
  status: MessageDeliveryStatus,
  errorCode: z.string().nullable(),
  conversationId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type SandboxMessageView = z.infer<typeof SandboxMessageView>;

/** Newest first, at most 100. */
export const SandboxMessageList = z.object({ messages: z.array(SandboxMessageView) });
export type SandboxMessageList = z.infer<typeof SandboxMessageList>;

/** What the status pipeline made of a receipt: a repeat, a step forward, one too late, or none. */
export const SandboxStatusResult = z.object({
  outcome: z.enum(['duplicate', 'applied', 'stale', 'unknown']),
});
export type SandboxStatusResult = z.infer<typeof SandboxStatusResult>;

/** What the inbound pipeline made of the consumer's text: a keyword's effect or a conversation. */
export const SandboxInboundResult = z.object({
  outcome: z.enum(['duplicate', 'opted_out', 'opted_in', 'help', 'conversation']),
});
export type SandboxInboundResult = z.infer<typeof SandboxInboundResult>;

export const AgentMessage = z.object({ text: consumerText(4096, { trim: true }).min(1) });
export type AgentMessage = z.infer<typeof AgentMessage>;

export const DeviceRegistration = z.object({
  consumerId: identifier(255).min(1),
  appId: identifier(128).min(1),
  platform: z.enum(['ios', 'android', 'web']),
  token: z.string().min(8).max(4096),
});
export type DeviceRegistration = z.infer<typeof DeviceRegistration>;

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
