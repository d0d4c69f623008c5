import { z } from 'zod';
import { CHANNEL_NAMES } from './channel-names.js';

// The names and labels are plain data in channel-names.ts (the browser's first paint reads them
// without zod); the zod enums the server validates with are built here.
export { channelLabels, isChannelName } from './channel-names.js';

/** Channels an IVR can deflect to. `sms` also accepts the product's alias `twilio` on override. */
export const ChannelName = z.enum(CHANNEL_NAMES);
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
