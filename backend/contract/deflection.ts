import { z } from 'zod';
import { ChannelName, ChannelReason } from './channels.js';
import { E164_PATTERN, E164_RULE } from './phone.js';
import { consumerText, identifier } from './text.js';
import { WaReachability } from './wa-reachability.js';

/** One SDE as the Engagement Attributes API shapes it; c2m stores and forwards it untouched. */
export const Sde = z
  .object({ type: z.enum(['personal', 'ctmrinfo']), info: z.record(z.string(), z.unknown()) })
  .loose();

export const EligibilityRequest = z.object({
  skill: identifier(255).min(1),
  consumerPhoneNumber: z.string().max(15).regex(E164_PATTERN, E164_RULE),
  handoffId: identifier(16).min(1),
  sdes: z.array(Sde).max(20).optional(),
  templateVariables: z
    .record(z.string().regex(/^[1-9]\d{0,1}$/, 'keys are "1", "2", …'), consumerText(1024))
    .optional(),
  ivrNumber: identifier(32).optional(),
  consumerId: identifier(255).min(1).optional(),
});
export type EligibilityRequest = z.infer<typeof EligibilityRequest>;

export const ChannelDecision = z.object({
  name: ChannelName,
  eligible: z.boolean(),
  reason: ChannelReason,
  /**
   * c2m addition, on the `wa` entry only: what the account's own sends taught about this number on
   * WhatsApp. `learned_unreachable` comes with `not_reachable`, so the IVR can offer SMS at once.
   */
  reachability: WaReachability.optional().describe(
    "On the wa entry: what this account's own WhatsApp sends taught about the number (delivered or read: known_reachable; refused as not on WhatsApp within the account's period: learned_unreachable, answered not_reachable)",
  ),
});
export type ChannelDecision = z.infer<typeof ChannelDecision>;

export const EligibilityResponse = z.object({
  availableChannels: z.array(ChannelName),
  recommendedChannelName: z.union([ChannelName, z.literal('')]),
  eligible: z.boolean(),
  callId: z.uuid(),
  /** c2m addition: every channel of the handoff in priority order, with the reason for its answer. */
  channels: z.array(ChannelDecision),
});
export type EligibilityResponse = z.infer<typeof EligibilityResponse>;

export const InviteRequest = z.object({
  callId: z.uuid({ version: 'v4' }),
  overrideChannel: z.enum([...ChannelName.options, 'twilio']).optional(),
  overrideMessage: consumerText(1600).min(1).optional(),
  overrideSkill: identifier(255).min(1).optional(),
});
export type InviteRequest = z.infer<typeof InviteRequest>;

export const InviteResponse = z.object({ callId: z.uuid() });
export type InviteResponse = z.infer<typeof InviteResponse>;

/** Eligibility and invite may be retried safely with the same key (Stripe's and the IETF draft's). */
export const IdempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .max(255)
    .optional()
    .describe('The same key and body within a day answer the first success again'),
});
export type IdempotencyHeaders = z.infer<typeof IdempotencyHeaders>;
