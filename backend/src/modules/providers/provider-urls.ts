import { DEFAULT_PROVIDER_URLS, type ProviderSettings } from '../../../contract/providers.js';
import type { UrlCheck } from '../../outbound/outbound-url.js';

/** Settings fields that hold a URL c2m will call (base URLs, token URLs, a push proxy). */
const URL_FIELDS = ['baseUrl', 'tokenUrl', 'url'] as const;
const DEFAULTS = new Set<string>(Object.values(DEFAULT_PROVIDER_URLS));

/**
 * The first URL in a provider's settings that the outbound guard refuses, as `field: reason` for
 * a 400 (API) or a usage error (CLI); undefined when every URL may be called. The same guard
 * checks each call again, so settings stored before this rule cannot be used to reach inside.
 */
export async function providerUrlRefusal(
  settings: ProviderSettings,
  check: (url: string) => Promise<UrlCheck>,
): Promise<string | undefined> {
  for (const field of URL_FIELDS) {
    const value: unknown = (settings as Record<string, unknown>)[field];
    // a provider's own endpoint (the default) is not the tenant's to vouch for: not resolved here
    if (typeof value !== 'string' || DEFAULTS.has(value)) continue;
    const result = await check(value);
    if (!result.ok) return `${field}: ${result.reason}`;
  }
  return undefined;
}
