import { msg, str } from '@lit/localize';
import { channelLabels, type ChannelName } from '../../../backend/contract/channel-names.js';
// A channel's name as people read it is the contract's, shared with the widget and the demo.
export { channelLabels } from '../../../backend/contract/channel-names.js';

/** A channel's name in the shown language: brand names stay, `In-app` is translated. */
export function channelLabel(name: ChannelName): string {
  return name === 'inapp' ? msg('In-app') : channelLabels[name];
}

/** `2 days 3 hours`, `1 hour`, `30 days` (in the shown language). */
export function describeLookback(l: { days: number; hours: number }): string {
  const days = l.days === 1 ? msg('1 day') : l.days ? msg(str`${l.days} days`) : '';
  const hours = l.hours === 1 ? msg('1 hour') : l.hours ? msg(str`${l.hours} hours`) : '';
  return [days, hours].filter(Boolean).join(' ') || msg('0 hours');
}

/** Who said a send or an attempt failed, as people read it (the `errorSource` of reporting). */
function sourceLabel(source: string): string {
  const labels: Record<string, string> = {
    c2m: 'c2m',
    sandbox: msg('Sandbox'),
    twilio: 'Twilio',
    wa: 'WhatsApp',
    fcm: msg('Firebase push'),
    rbm: msg('RCS (Google)'),
    'push-proxy': msg('Push proxy'),
    apple: 'Apple Messages',
  };
  return labels[source] ?? source;
}

/** What c2m's own error keys mean. */
function ownReason(key: string): string | undefined {
  const labels: Record<string, string> = {
    c2m_1001: msg('Consumer ineligible (landline or unreachable)'),
    c2m_1029: msg('Frequency cap reached'),
    c2m_1400: msg('Open conversation'),
    c2m_5000: msg('Internal error'),
  };
  return labels[key];
}

/** What a provider's error code means, whichever provider (or the sandbox acting one) said it. */
function codeReason(code: string): string | undefined {
  const labels: Record<string, string> = {
    '503': msg('Provider temporarily unavailable'),
    '21211': msg('Invalid phone number'),
    '21610': msg('Recipient opted out at the carrier'),
    '30003': msg('Handset unreachable'),
    '30005': msg('Unknown or inactive number'),
    '30006': msg('Landline or unreachable carrier'),
    '30007': msg('Filtered as spam by the carrier'),
    '131026': msg('Not on WhatsApp or undeliverable'),
    '131047': msg('WhatsApp 24-hour window closed'),
  };
  return labels[code];
}

/**
 * A failure reason of the reports (`errorSource_errorCode`, e.g. `sandbox_503`) as people read
 * it: `Provider temporarily unavailable (Sandbox)`; a code without a label of its own still reads
 * as who said it, `Twilio error 30008`, never as the raw key.
 */
export function failureReasonLabel(key: string): string {
  const own = ownReason(key);
  if (own) return own;
  const cut = key.lastIndexOf('_');
  if (cut <= 0) return msg(str`Error ${key}`);
  const source = sourceLabel(key.slice(0, cut));
  const code = key.slice(cut + 1);
  const reason = codeReason(code);
  return reason ? msg(str`${reason} (${source})`) : msg(str`${source} error ${code}`);
}
