import { z } from 'zod';
import { ChannelName } from './channels.js';
import { consumerText } from './text.js';

/**
 * The conversations API a brand's contact center uses: list, read with the transcript, answer,
 * close. A conversation opens when a consumer writes in, after a deflection or not.
 */

export const ConversationStatus = z.enum(['open', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** The list's filter; anything but `closed` lists the open ones. */
export const ConversationsQuery = z.object({ status: ConversationStatus.default('open') });
export type ConversationsQuery = z.infer<typeof ConversationsQuery>;

export const ConversationView = z.object({
  id: z.string(),
  status: ConversationStatus,
  channel: ChannelName,
  skill: z.string(),
  /** Whether it came from a deflection within the handoff's lookback (counted in reporting). */
  deflection: z.boolean(),
  consumerPhoneNumber: z.string().nullable(),
  consumerId: z.string().nullable(),
  handoffId: z.string().nullable(),
  transactionId: z.string().nullable(),
  /** The call's context for the agent: SDEs, IVR number, handoff, the first outbound message. */
  context: z.record(z.string(), z.unknown()),
  openedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
});
export type ConversationView = z.infer<typeof ConversationView>;

export const ConversationList = z.object({ conversations: z.array(ConversationView) });
export type ConversationList = z.infer<typeof ConversationList>;

/**
 * A stored message's state: `received` for the consumer's, the provider's latest receipt for c2m's
 * and the agents'. (Not reporting's `MessageStatus`, which is the v2 reporting API's vocabulary.)
 */
export const MessageDeliveryStatus = z.enum([
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'received',
]);
export type MessageDeliveryStatus = z.infer<typeof MessageDeliveryStatus>;

/** One message of a conversation: the consumer's, c2m's invite, or an agent's. */
export const TranscriptEntry = z.object({
  id: z.string(),
  author: z.enum(['consumer', 'c2m', 'agent']),
  channel: ChannelName,
  text: z.string(),
  status: MessageDeliveryStatus,
  errorCode: z.string().nullable(),
  at: z.iso.datetime(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

/** A conversation with its messages, oldest first. */
export const ConversationDetail = ConversationView.extend({ transcript: z.array(TranscriptEntry) });
export type ConversationDetail = z.infer<typeof ConversationDetail>;

/** An agent's message is queued, then sent by the outbox; its id is the transcript entry's. */
export const AgentMessageQueued = z.object({ messageId: z.string() });
export type AgentMessageQueued = z.infer<typeof AgentMessageQueued>;

/** What an agent sends a consumer in a conversation: plain text. */
export const AgentMessage = z.object({ text: consumerText(4096, { trim: true }).min(1) });
export type AgentMessage = z.infer<typeof AgentMessage>;
