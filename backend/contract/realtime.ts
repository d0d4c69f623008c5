import { z } from 'zod';
import type { OutboundMessageView } from './outbound.js';

/** Which consumer (and/or conversation) an agent's widget follows. At least one is required. */
export const WidgetSubject = z
  .object({
    consumerPhoneNumber: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, 'must be E.164')
      .optional(),
    consumerId: z.string().min(1).max(255).optional(),
    conversationId: z.string().min(1).max(64).optional(),
    /** How many messages and how far back: the widget's defaults are 5 and 30 days. */
    limit: z.number().int().min(1).max(50).default(5),
    days: z.number().int().min(1).max(90).default(30),
  })
  .refine(
    (s) => s.consumerPhoneNumber ?? s.consumerId ?? s.conversationId,
    'give consumerPhoneNumber, consumerId or conversationId',
  );
export type WidgetSubject = z.input<typeof WidgetSubject>;

/**
 * A request's answer. `rate_limited` (the account's per-second limit for this kind of event was
 * reached) carries `retryAfterSeconds`: ask again after that long.
 */
export type Ack<T> =
  { data: T } | { error: { code: string; message: string; retryAfterSeconds?: number } };

/** Broadcasts, named noun:verb-past; each carries the whole current view of the message. */
export interface ServerToClientEvents {
  'outbound:created': (message: OutboundMessageView) => void;
  'outbound:status-changed': (message: OutboundMessageView) => void;
  /** The consumer answered: the message's status is now `replied`. */
  'outbound:replied': (message: OutboundMessageView) => void;
  'conversation:opened': (c: { conversationId: string; transactionId: string | null }) => void;
  'conversation:closed': (c: { conversationId: string }) => void;
  /**
   * (`/reports` namespace) the account's reporting counts moved: re-fetch what the dashboard
   * shows. At most one per 500 ms per account, and none lost (the last change is always told).
   */
  'reports:changed': (e: { at: string }) => void;
}

/**
 * The reporting dashboard's namespace. Roles that may read reports but not use the widget
 * (read-only) connect here only; the default namespace stays the widget's.
 */
export const REPORTS_NAMESPACE = '/reports';

/** Requests, named noun:verb, answered by an ack. */
export interface ClientToServerEvents {
  /**
   * Follow a consumer: the server checks the subject, joins the socket to its room (never a room
   * the client names), and answers with the current messages, newest first.
   */
  'widget:subscribe': (
    subject: WidgetSubject,
    ack: (answer: Ack<OutboundMessageView[]>) => void,
  ) => void;
  /** (`/reports` namespace) follow the session's account's counts: `reports:changed` arrives. */
  'reports:subscribe': (ack: (answer: Ack<{ accountId: string }>) => void) => void;
}
