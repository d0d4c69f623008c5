// The channels' names and labels as plain data, no zod, so the elements' first paint can carry
// them: channels.ts builds the zod enum the server validates with from this list.

/** Channels an IVR can deflect to. `sms` also accepts the product's alias `twilio` on override. */
export const CHANNEL_NAMES = ['sms', 'wa', 'inapp', 'apple', 'rcs'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Whether `value` is one of the channels' names (a filter from a URL, a stored column). */
export const isChannelName = (value: unknown): value is ChannelName =>
  CHANNEL_NAMES.includes(value as ChannelName);

/** A channel's name as people read it, in every browser view. */
export const channelLabels: Record<ChannelName, string> = {
  sms: 'SMS',
  wa: 'WhatsApp',
  inapp: 'In-app',
  apple: 'Apple Messages',
  rcs: 'RCS',
};
