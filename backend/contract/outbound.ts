// What the agent's CX widget shows for one outbound (first) message. Browser-safe: zod only, no
// Node imports, so the widget and the backend share this one shape.
import { z } from 'zod';

export const OutboundChannel = z.enum(['sms', 'wa', 'inapp', 'apple', 'rcs', 'sandbox']);
export type OutboundChannel = z.infer<typeof OutboundChannel>;

export const OutboundStatus = z.enum([
  'queued',
  'sent',
  'delivered',
  'read',
  'replied',
  'failed',
  'skipped',
]);
export type OutboundStatus = z.infer<typeof OutboundStatus>;

/** One step in a message's life, in the order it happened. */
export const OutboundStatusChange = z.object({
  status: OutboundStatus,
  at: z.iso.datetime(),
});
export type OutboundStatusChange = z.infer<typeof OutboundStatusChange>;

/** The conversation a message led to, when the consumer replied and one was opened. */
export const OutboundConversation = z.object({
  id: z.string(),
  channel: z.string(),
  openedAt: z.iso.datetime(),
  status: z.enum(['open', 'closed']),
});
export type OutboundConversation = z.infer<typeof OutboundConversation>;

export const OutboundMessageView = z.object({
  id: z.string().min(1),
  callId: z.string().min(1),
  channel: OutboundChannel,
  text: z.string(),
  handoffId: z.string().min(1),
  handoffTitle: z.string(),
  skill: z.string(),
  ivrNumber: z.string().nullable(),
  consumerPhoneNumber: z.string().nullable(),
  consumerId: z.string().nullable(),
  status: OutboundStatus,
  statusHistory: z.array(OutboundStatusChange),
  failureReason: z.string().nullable(),
  sentAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  // SDEs as given at Eligibility; their shapes are LivePerson's (Engagement Attributes): unchecked
  sdes: z.array(z.unknown()),
  // the conversation this message led to; null (or absent, from older servers) when none
  conversation: OutboundConversation.nullable().optional(),
});
export type OutboundMessageView = z.infer<typeof OutboundMessageView>;
