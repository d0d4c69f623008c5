import type { ChannelName } from '../../contract/channels.js';

export interface CapabilityInput {
  accountId: string;
  channel: ChannelName;
  phone: string;
  consumerId: string | undefined;
}

export interface SendInput {
  /** Our message id: a provider that sees it twice knows it is a retry. */
  messageId: string;
  accountId: string;
  transactionId: string;
  channel: ChannelName;
  /** E.164 phone number, or the consumerId for in-app. */
  to: string;
  from: string | undefined;
  body: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; retryable: boolean; errorSource: string; errorCode: string; errorMessage: string };

/** One provider behind one interface; each issue's provider adds an implementation, not a branch. */
export interface ChannelAdapter {
  readonly provider: string;
  /** Can this consumer be reached on this channel at all? Used by eligibility. */
  reachable(input: CapabilityInput): Promise<boolean>;
  send(input: SendInput): Promise<SendResult>;
}
