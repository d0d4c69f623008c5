import { z } from 'zod';

/**
 * What c2m knows about a number on WhatsApp, learned from the account's own sends (Meta forbids
 * asking beforehand): a WhatsApp message was delivered or read (`known_reachable`), a send was
 * refused as not on WhatsApp (131026) within the account's period (`learned_unreachable`), or
 * neither (`unknown`).
 */
export const WaReachability = z.enum(['known_reachable', 'learned_unreachable', 'unknown']);
export type WaReachability = z.infer<typeof WaReachability>;

export const WA_UNREACHABLE_DAYS_MIN = 1;
export const WA_UNREACHABLE_DAYS_MAX = 365;
export const WA_UNREACHABLE_DAYS_DEFAULT = 30;

/** The account's WhatsApp learning as the settings page shows it. */
export const WaReachabilityView = z.object({
  /** Days a refusal as not on WhatsApp keeps `wa` not reachable for that number. */
  unreachableDays: z.number().int(),
  /** Numbers answered `not_reachable` for `wa` now. */
  learnedUnreachable: z.number().int(),
  /** Numbers a WhatsApp message was delivered to or read by. */
  knownReachable: z.number().int(),
});
export type WaReachabilityView = z.infer<typeof WaReachabilityView>;

export const WaReachabilityInput = z.object({
  unreachableDays: z
    .number()
    .int('must be a whole number of days')
    .min(WA_UNREACHABLE_DAYS_MIN, `must be at least ${WA_UNREACHABLE_DAYS_MIN} day`)
    .max(WA_UNREACHABLE_DAYS_MAX, `must be at most ${WA_UNREACHABLE_DAYS_MAX} days`),
});
export type WaReachabilityInput = z.infer<typeof WaReachabilityInput>;
