import { z } from 'zod';
import { ChannelName } from './channels.js';
import { MessageDeliveryStatus } from './conversations.js';
import { identifier } from './text.js';

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
