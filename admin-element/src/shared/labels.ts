import { msg, str } from '@lit/localize';
import { channelLabels, type ChannelName } from '../../../backend/contract/channels.js';
// A channel's name as people read it is the contract's, shared with the widget and the demo.
export { channelLabels };

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
