import { z } from 'zod';
import { SettingsInput, SettingsView } from '../../../contract/admin.js';

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

// These extend the contract's settings with the CORS allow-list; they belong in contract/admin.ts.
export const AdminSettingsView = SettingsView.extend({ allowedOrigins: z.array(z.string()) });
export type AdminSettingsView = z.infer<typeof AdminSettingsView>;

export const AdminSettingsInput = SettingsInput.extend({
  allowedOrigins: z
    .array(AllowedOrigin)
    .max(MAX_ALLOWED_ORIGINS, `at most ${MAX_ALLOWED_ORIGINS} origins`)
    .refine((os) => new Set(os).size === os.length, 'each origin at most once')
    .optional(),
});
export type AdminSettingsInput = z.infer<typeof AdminSettingsInput>;
