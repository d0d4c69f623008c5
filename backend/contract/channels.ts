import { z } from 'zod';

/** Channels an IVR can deflect to. `sms` also accepts the product's alias `twilio` on override. */
export const ChannelName = z.enum(['sms', 'wa', 'inapp', 'apple', 'rcs']);
export type ChannelName = z.infer<typeof ChannelName>;

/**
 * Why a channel was or was not offered. Additive to the product's answer: an IVR that ignores
 * `channels` keeps working; one that reads it can tell a caller why.
 */
export const ChannelReason = z.enum([
  'eligible',
  'disabled_for_account',
  'disabled_for_handoff',
  'consumer_id_required',
  'landline',
  'not_reachable',
  'opted_out',
  'open_conversation',
  'frequency_cap',
]);
export type ChannelReason = z.infer<typeof ChannelReason>;

/** A channel's name as people read it, in every browser view. */
export const channelLabels: Record<ChannelName, string> = {
  sms: 'SMS',
  wa: 'WhatsApp',
  inapp: 'In-app',
  apple: 'Apple Messages',
  rcs: 'RCS',
};
