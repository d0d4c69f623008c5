// RBM webhooks as Google sends them: a Pub/Sub push envelope whose `message.data` is the base64
// of the user message or event, signed with X-Goog-Signature =
// base64(HMAC-SHA512(clientToken, decoded data)).
import { createHmac, randomUUID } from 'node:crypto';

let published = 0;

export interface RbmWebhookOptions {
  /** Sign with this token instead of the agent's (a forger's signature). */
  clientToken?: string;
  /** Send this X-Goog-Signature verbatim (or none with `null`). */
  signature?: string | null;
  /** Change the envelope after signing (a tampered delivery). */
  tamper?: (envelope: { message: { data: string } }) => void;
}

export function signedRbmWebhook(
  payload: object,
  clientToken: string,
  opts: RbmWebhookOptions = {},
): { headers: Record<string, string>; body: string } {
  const data = Buffer.from(JSON.stringify(payload));
  const signature = createHmac('sha512', opts.clientToken ?? clientToken)
    .update(data)
    .digest('base64');
  const id = String(++published + 9_000_000_000_000);
  const publishTime = new Date().toISOString();
  const envelope = {
    message: {
      data: data.toString('base64'),
      // Pub/Sub push sends both spellings
      messageId: id,
      message_id: id,
      publishTime,
      publish_time: publishTime,
    },
    subscription: 'projects/rbm-fake-agent/subscriptions/rbm-fake-agent-sub',
  };
  opts.tamper?.(envelope);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.signature !== null) headers['x-goog-signature'] = opts.signature ?? signature;
  return { headers, body: JSON.stringify(envelope) };
}

/** A user's text message to the agent, as RBM reports it. */
export function rbmUserMessage(p: {
  phone: string;
  text: string;
  agentId: string;
  messageId?: string;
}) {
  return {
    senderPhoneNumber: p.phone,
    messageId: p.messageId ?? randomUUID(),
    sendTime: '2025-03-01T10:00:00.123456789Z',
    text: p.text,
    agentId: p.agentId,
  };
}

/** A DELIVERED / READ / IS_TYPING event about one of the agent's messages. */
export function rbmUserEvent(p: {
  phone: string;
  eventType: string;
  messageId: string;
  agentId: string;
  eventId?: string;
}) {
  return {
    senderPhoneNumber: p.phone,
    eventType: p.eventType,
    eventId: p.eventId ?? `MxYz${randomUUID().replace(/-/g, '')}`,
    messageId: p.messageId,
    sendTime: '2025-03-01T10:00:01.5Z',
    agentId: p.agentId,
  };
}
