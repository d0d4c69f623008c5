import type { ChannelName } from '../../contract/channels.js';
import type { ProviderSettings } from '../../contract/providers.js';

export interface CapabilityInput {
  accountId: string;
  channel: ChannelName;
  phone: string;
  consumerId: string | undefined;
  /** In-app: the handoff's apps. */
  apps?: string[];
}

export interface SendInput {
  /** Our message id: a provider that sees it twice knows it is a retry. */
  messageId: string;
  accountId: string;
  transactionId: string | null;
  channel: ChannelName;
  /** E.164 phone number, or the consumerId for in-app. */
  to: string;
  /** The handoff's outbound number for this channel, when it has one. */
  from: string | undefined;
  /** The rendered text (SMS, in-app, RCS, Apple link text, and the WhatsApp preview). */
  body: string;
  /** WhatsApp: the approved template and its body parameters in order ({{1}}, {{2}} …). */
  template?: { name: string; language: string; parameters: string[] };
  /** In-app: the handoff's apps (at most 3). */
  apps?: string[];
  /** Where the provider should report this message's status (Twilio's StatusCallback). */
  statusCallbackUrl: string;
}

export interface ProviderError {
  /** Reporting's errorSource, e.g. `twilio`, `wa`, `fcm`. */
  errorSource: string;
  errorCode: string;
  errorMessage: string;
}

export type SendResult =
  { ok: true; providerMessageId: string } | ({ ok: false; retryable: boolean } & ProviderError);

/** One provider behind one interface; each provider adds an implementation, not a branch. */
export interface ChannelAdapter {
  readonly provider: string;
  /** Can this consumer be reached on this channel at all? Used by eligibility. */
  reachable(input: CapabilityInput): Promise<boolean>;
  send(input: SendInput): Promise<SendResult>;
}

/** A provider's webhook request exactly as received: signatures are checked over these bytes. */
export interface RawWebhook {
  method: string;
  /** The full URL the provider called (scheme, host, path and query), as it signed it. */
  url: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export type WebhookEvent =
  | {
      kind: 'status';
      /** Unique per event, for de-duplication of at-least-once deliveries. */
      eventId: string;
      providerMessageId: string;
      status: MessageStatus;
      at: number;
      error?: ProviderError & { retryable?: boolean };
    }
  | {
      /** A provider's review of a message template (WhatsApp's message_template_status_update). */
      kind: 'template_status';
      eventId: string;
      providerTemplateId: string;
      /** The provider's own word, e.g. APPROVED, REJECTED, PAUSED, DISABLED. */
      status: string;
      reason: string | null;
      at: number;
    }
  | {
      kind: 'inbound';
      eventId: string;
      providerMessageId: string;
      /** E.164 phone number, or the consumerId for in-app. */
      from: string;
      to: string;
      text: string;
      at: number;
    };

export type WebhookVerdict =
  | { ok: true; events: WebhookEvent[] }
  /** `reply` is for handshakes (WhatsApp's hub.challenge): answer 200 with this body, store nothing. */
  | { ok: true; reply: string }
  | { ok: false; status: 401 | 400 | 403; reason: string };

/** The receiving half of a provider: verify the signature, then parse into our events. */
export interface WebhookReceiver {
  readonly provider: string;
  receive(req: RawWebhook): WebhookVerdict;
}

/** What adapters may use besides their settings: injected so tests stay real and deterministic. */
export interface AdapterContext {
  fetch: typeof fetch;
  now: () => number;
  /** Per-request timeout for provider calls, ms. */
  timeoutMs: number;
}

export interface ProviderFactory {
  adapter(settings: ProviderSettings, ctx: AdapterContext, via: ViaChannel): ChannelAdapter;
  receiver?(settings: ProviderSettings, now: () => number): WebhookReceiver;
}

/** Lets one channel send through another (Apple Messages links go out by SMS). */
export type ViaChannel = (channel: ChannelName) => Promise<ChannelAdapter>;
