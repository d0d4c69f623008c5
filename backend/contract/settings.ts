import { z } from 'zod';
import { ChannelName } from './channels.js';
import { consumerText, identifier } from './text.js';
import { TimeZone } from './time-zone.js';

/** Account-wide enablement and priority order of a channel. */
export const AccountChannel = z.object({ name: ChannelName, enabled: z.boolean() });
export type AccountChannel = z.infer<typeof AccountChannel>;

/** The account's settings as the admin element shows and edits them. */
export const SettingsView = z.object({
  channels: z.array(AccountChannel),
  deviceCheck: z.boolean(),
  routing: z.array(z.object({ name: z.string(), routingEnabled: z.boolean() })),
  defaultSkill: z.string().nullable(),
  smsOptOutText: z.string(),
  helpText: z.string(),
  frequencyCapPerHour: z.number().int(),
  rateLimitPerSec: z.number().int(),
  /** The IANA zone reporting counts the account's days in. */
  timezone: z.string(),
});
export type SettingsView = z.infer<typeof SettingsView>;

/** A change to the settings: only the fields given change. */
export const SettingsInput = z.object({
  channels: z
    .array(AccountChannel)
    .refine((cs) => new Set(cs.map((c) => c.name)).size === cs.length, 'each channel at most once')
    .optional(),
  deviceCheck: z.boolean().optional(),
  routing: z
    .array(z.object({ name: identifier(255).min(1), routingEnabled: z.boolean() }))
    .optional(),
  defaultSkill: identifier(255).min(1).nullable().optional(),
  smsOptOutText: consumerText(160, { trim: true }).optional(),
  helpText: consumerText(640, { trim: true }).min(1).optional(),
  frequencyCapPerHour: z.number().int().min(1).max(1000).optional(),
  /** 0 lifts the limit (a benchmark or a trusted IVR). */
  rateLimitPerSec: z.number().int().min(0).max(100_000).optional(),
  timezone: TimeZone.optional(),
});
export type SettingsInput = z.infer<typeof SettingsInput>;

export const MAX_ALLOWED_ORIGINS = 20;

/**
 * True for an origin as a browser sends it in `Origin`: http(s), host, optional port, nothing
 * after. Case and a default port are forgiven (the stored form is the browser's); a path is not,
 * since it would never match.
 */
export function isOrigin(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  return !/^[a-z]+:\/\/[^/?#]*[/?#]/i.test(text) && !url.username && !url.password;
}

export const AllowedOrigin = z
  .string()
  .trim()
  .max(255, 'at most 255 characters')
  .refine(isOrigin, 'must be an origin like https://portal.example.com (no path)')
  .transform((o) => new URL(o).origin);

/** Fail a message with no delivery receipt after this many hours (0: never). */
export const ReceiptTimeoutHours = z
  .number()
  .int('must be a whole number of hours')
  .min(0, 'must be 0 to 720 hours')
  .max(24 * 30, 'must be 0 to 720 hours');

/**
 * The admin API's settings: the element's, plus the CORS allow-list of the brand's origins and
 * the receipt time-out.
 */
export const AdminSettingsView = SettingsView.extend({
  allowedOrigins: z.array(z.string()),
  receiptTimeoutHours: z.number().int(),
});
export type AdminSettingsView = z.infer<typeof AdminSettingsView>;

export const AdminSettingsInput = SettingsInput.extend({
  allowedOrigins: z
    .array(AllowedOrigin)
    .max(MAX_ALLOWED_ORIGINS, `at most ${MAX_ALLOWED_ORIGINS} origins`)
    .refine((os) => new Set(os).size === os.length, 'each origin at most once')
    .optional(),
  receiptTimeoutHours: ReceiptTimeoutHours.optional(),
});
export type AdminSettingsInput = z.infer<typeof AdminSettingsInput>;
