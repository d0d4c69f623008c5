import { z } from 'zod';
import { ChannelName } from '../../../contract/channels.js';

/**
 * What each kind of outbox job carries, in one place: `enqueue` is typed by it, and the worker
 * reads a stored payload back through it, so a job kind and its payload cannot drift apart.
 */

/** An invite to send for a transaction. */
const SendJobPayload = z.object({
  transactionId: z.string(),
  /** Channels still to try, in priority order; the first is the one being tried now. */
  channels: z.array(ChannelName).min(1),
  overrideMessage: z.string().optional(),
});

/** A message that is not an invite: an agent's message, or a keyword's confirmation. */
const ReplyJobPayload = z.object({
  messageId: z.string(),
  channel: ChannelName,
  to: z.string(),
  /** Our number the consumer wrote to, so the answer comes from the same number. */
  from: z.string().optional(),
  body: z.string(),
  conversationId: z.string().optional(),
  /** Keyword confirmations go even to an opted-out number (the one STOP confirmation). */
  system: z.boolean().optional(),
});

/** A delivery receipt due later: the sandbox provider's simulated one. */
const ReceiptJobPayload = z.object({
  messageId: z.string(),
  status: z.enum(['delivered', 'read']),
});

const JOB_PAYLOADS = {
  send: SendJobPayload,
  reply: ReplyJobPayload,
  receipt: ReceiptJobPayload,
} as const;

export type JobKind = keyof typeof JOB_PAYLOADS;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_PAYLOADS)[K]>;
export type SendJobPayload = JobPayload<'send'>;
export type ReplyJobPayload = JobPayload<'reply'>;
export type ReceiptJobPayload = JobPayload<'receipt'>;

/** A stored job read back: its kind and a payload of that kind, discriminated by `kind`. */
export type TypedJob = { [K in JobKind]: { kind: K; payload: JobPayload<K> } }[JobKind];

/** The stored kind and payload as a typed job, or why they are not one (a job that can never run). */
export function parseJob(kind: string, payloadJson: string): TypedJob | { error: string } {
  if (!Object.hasOwn(JOB_PAYLOADS, kind)) return { error: `unknown job kind ${kind}` };
  let json: unknown;
  try {
    json = JSON.parse(payloadJson);
  } catch {
    return { error: `unreadable ${kind} payload` };
  }
  const parsed = JOB_PAYLOADS[kind as JobKind].safeParse(json);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    return { error: `unreadable ${kind} payload: ${issue?.path.join('.')}: ${issue?.message}` };
  }
  return { kind, payload: parsed.data } as TypedJob;
}
