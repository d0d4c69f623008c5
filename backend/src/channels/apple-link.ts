import type { SettingsOf } from '../../contract/providers.js';
import type { CapabilityInput, ChannelAdapter, SendInput, SendResult } from './types.js';

export type AppleLinkSettings = SettingsOf<'apple-link'>;

/** Prefilled text longer than this is cut: it only has to start the chat, the SMS carries the rest. */
export const APPLE_PREFILL_MAX = 200;

export interface AppleLinkOptions {
  /** The text the Apple Messages chat opens with; by default a line quoting the reference. */
  prefill?: (input: SendInput) => string;
}

/**
 * Apple Messages for Business, the way the product deflects to it: the consumer gets an SMS (through
 * the account's SMS adapter) with the rendered message and a "start chat" link. On an iPhone the link
 * opens the brand's Apple Messages chat with a prefilled first message; elsewhere Apple sends the
 * consumer back to SMS, where a reply works too.
 *
 * The prefilled text quotes the transaction, because an Apple Messages chat reaches the brand under
 * an opaque Apple id, not the phone number, so the reference is what ties the chat to the call.
 */
export function createAppleLinkAdapter(
  settings: AppleLinkSettings,
  sms: ChannelAdapter | (() => Promise<ChannelAdapter>),
  opts: AppleLinkOptions = {},
): ChannelAdapter {
  const prefill = opts.prefill ?? defaultPrefill;
  // the registry hands over the account's SMS adapter lazily (`via('sms')`)
  const smsAdapter = typeof sms === 'function' ? sms : () => Promise.resolve(sms);
  return {
    provider: 'apple-link',
    // the link travels by SMS, so the consumer is reachable exactly when SMS reaches them
    async reachable(input: CapabilityInput) {
      return (await smsAdapter()).reachable({ ...input, channel: 'sms' });
    },
    async send(input: SendInput): Promise<SendResult> {
      const via = await smsAdapter();
      const link = appleChatLink(settings.businessId, prefill(input));
      // the SMS adapter's answer (its message id, or its error) is this channel's answer
      return via.send({
        ...input,
        channel: 'sms',
        body: `${input.body}\n${link}`,
        statusCallbackUrl: callbackOf(via, input.statusCallbackUrl),
      });
    },
  };
}

/**
 * The SMS provider, not this adapter, reports the SMS's status: a callback URL built for
 * `/webhooks/apple-link/…` is pointed at the SMS provider's receiver instead.
 */
function callbackOf(sms: ChannelAdapter, url: string): string {
  return url.replace('/webhooks/apple-link/', `/webhooks/${encodeURIComponent(sms.provider)}/`);
}

/**
 * Apple's documented start-chat URL, `https://bcrw.apple.com/urn:biz:<business id>`, with the
 * optional `body` parameter that prefills the consumer's first message. Percent-encoded, so a space
 * is `%20`, never `+` (which Messages would show as a plus).
 */
export function appleChatLink(businessId: string, body?: string): string {
  const base = `https://bcrw.apple.com/urn:biz:${encodeStrict(businessId)}`;
  const text = body ? truncate(body.trim(), APPLE_PREFILL_MAX) : '';
  return text ? `${base}?body=${encodeStrict(text)}` : base;
}

/**
 * encodeURIComponent plus the sub-delimiters it leaves alone (`!'()*`): a phone's link detection
 * may end a URL at a `)` or `'`, which would cut the prefilled text short.
 */
function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function defaultPrefill(input: SendInput): string {
  return `Hi, I'd like to continue my call by message. Ref: ${input.transactionId ?? input.messageId}`;
}

/** Cut at a code point, never inside a surrogate pair (encodeURIComponent throws on a lone half). */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}
