// A channel's name as people read it is the contract's, shared with the widget and the demo.
export { channelLabels } from '../../../backend/contract/channel-names.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `2 days 3 hours`, `1 hour`, `30 days`. */
export function describeLookback(l: { days: number; hours: number }): string {
  const parts = [l.days ? plural(l.days, 'day') : '', l.hours ? plural(l.hours, 'hour') : ''];
  return parts.filter(Boolean).join(' ') || '0 hours';
}
