import { z } from 'zod';
import { ChannelName } from './channels.js';
import { consumerText, identifier } from './text.js';

/** One channel of a handoff, in the handoff's priority order. */
export const HandoffChannel = z.object({
  name: ChannelName,
  enabled: z.boolean(),
  /** Plain text; `{{1}}`, `{{2}}` … are filled from the IVR's templateVariables. */
  message: consumerText(1600).default(''),
  outboundNumber: identifier(32).optional(),
  templateName: identifier(512).optional(),
  templateLanguage: identifier(16).optional(),
  apps: z.array(identifier(128).min(1)).max(3).optional(),
});
export type HandoffChannel = z.infer<typeof HandoffChannel>;

/** Account-wide enablement and priority order of a channel. */
export const AccountChannel = z.object({ name: ChannelName, enabled: z.boolean() });
export type AccountChannel = z.infer<typeof AccountChannel>;

export const Handoff = z.object({
  id: z.string().regex(/^H\d{15}$/),
  title: z.string(),
  active: z.boolean(),
  lookbackMinutes: z
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 60),
  channels: z.array(HandoffChannel),
});
export type Handoff = z.infer<typeof Handoff>;
