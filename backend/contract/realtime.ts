import { z } from 'zod';
import type { OutboundMessageView } from './outbound.js';
import { E164 } from './phone.js';
import { identifier } from './text.js';

/** Which consumer (and/or conversation) an agent's widget follows. At least one is required. */
/** How many messages and how far back, however the numbers arrive: the defaults are 5 and 30 days. */
const widgetCounts = <N extends z.ZodNumber | z.ZodCoercedNumber<number>>(num: () => N) => ({
  limit: num().int().min(1).max(50).default(5),
  days: num().int().min(1).max(90).default(30),
});

export const WidgetSubject = z
  .object({
    consumerPhoneNumber: E164.optional(),
    consumerId: identifier(255).min(1).optional(),
    conversationId: identifier(64).min(1).optional(),
    ...widgetCounts(() => z.number()),
  })
  .refine(
    (s) => s.consumerPhoneNumber ?? s.consumerId ?? s.conversationId,
    'give consumerPhoneNumber, consumerId or conversationId',
  );
export type WidgetSubject = z.input<typeof WidgetSubject>;

/**
 * The same subject as a URL's query writes it (`GET …/widget/outbound`): the socket sends `limit`
 * and `days` as numbers, a query as text. (`<number>`: safeExtend keeps the subject's "give one
 * of" rule only for fields whose type stays the subject's.)
 */
export const WidgetQuery = WidgetSubject.safeExtend(widgetCounts(() => z.coerce.number<number>()));

/**
 * Why a request was refused: its payload broke the contract (`invalid_request`), its session
 * ended (`unauthorized`), its role may not ask (`forbidden`), the account's per-second limit for
 * this kind of event was reached (`rate_limited`), what the nodes share (Redis) is unreachable for
 * now (`unavailable`), or the server failed (`internal_error`).
 */
export type AckErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable'
  | 'internal_error';

export interface AckError {
  code: AckErrorCode;
  message: string;
  /** With `rate_limited` and `unavailable`: ask again after this many seconds. */
  retryAfterSeconds?: number;
}

/** Every request's answer, the same two shapes for each: what was asked for, or why not. */
export type Ack<T> = { data: T } | { error: AckError };

/** The callback a request ends with; the server calls it once. */
export type AckCallback<T> = (answer: Ack<T>) => void;

/**
 * Why the server ended a socket's session: its time ran out (`expired`), or what it stood on went
 * away (`revoked`: the credential that minted it was revoked, or its user removed or given
 * another role). The socket is disconnected right after; sign in again for a new session.
 */
export interface SessionEnded {
  reason: 'expired' | 'revoked';
  message: string;
}

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
  /**
   * (both namespaces) the session ended: sent once, just before the server disconnects the socket.
   * An event sent on an ended session is answered `{error: {code: 'unauthorized'}}` instead.
   */
  'session:expired': (e: SessionEnded) => void;
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
  'widget:subscribe': (subject: WidgetSubject, ack: AckCallback<OutboundMessageView[]>) => void;
  /** (`/reports` namespace) follow the session's account's counts: `reports:changed` arrives. */
  'reports:subscribe': (ack: AckCallback<{ accountId: string }>) => void;
  /**
   * (both namespaces) carry on with a fresh session token of the same account, before the current
   * one expires: the socket keeps its rooms (no event is lost) and now ends with the new session.
   * Refused (`unauthorized`, `forbidden`) leaves the current session in place.
   */
  'session:renew': (token: string, ack: AckCallback<{ expiresAt: string }>) => void;
}

/**
 * The `data` of a refused connection's `connect_error` (its message stays `unauthorized`): why,
 * so an element can say "expired" rather than "not signed in".
 */
export interface ConnectRefusal {
  reason: 'expired' | 'unauthorized';
}
