import { z } from 'zod';
import { ChannelName } from './channels.js';

/**
 * What a handoff may send from, for the editor's pickers: the outbound numbers of the account's
 * configured providers and WhatsApp templates, and its WhatsApp Business Account ids. Nothing secret.
 */
export const SenderList = z.object({
  numbers: z.array(z.object({ number: z.string(), channel: ChannelName })),
  wabaIds: z.array(z.string()),
});
export type SenderList = z.infer<typeof SenderList>;
