import type { ChannelName } from '../../../backend/contract/channels.js';

export const channelLabels: Record<ChannelName, string> = {
  sms: 'SMS',
  wa: 'WhatsApp',
  inapp: 'In-app',
  apple: 'Apple Messages',
  rcs: 'RCS',
};

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `2 days 3 hours`, `1 hour`, `30 days`. */
export function describeLookback(l: { days: number; hours: number }): string {
  const parts = [l.days ? plural(l.days, 'day') : '', l.hours ? plural(l.hours, 'hour') : ''];
  return parts.filter(Boolean).join(' ') || '0 hours';
}
