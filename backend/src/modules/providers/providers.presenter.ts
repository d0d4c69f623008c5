import type { Context } from 'koa';
import { SECRET_FIELDS, type ProviderView } from '../../../contract/providers.js';
import type { Config } from '../../config.js';
import { publicOrigin } from '../../http/public-origin.js';
import type { StoredProvider } from './providers.repo.js';

const SECRETS = new Set(SECRET_FIELDS);

/** The API's view of settings: every secret replaced by whether it is set. */
export function presentProviderSettings(s: StoredProvider): Record<string, unknown> {
  const settings = Object.fromEntries(
    Object.entries(s.settings).map(([k, v]) => [k, SECRETS.has(k) ? { set: Boolean(v) } : v]),
  );
  return { channel: s.channel, ...settings, updatedAt: new Date(s.updatedAt).toISOString() };
}

/** c2m's URL for a provider's webhooks, absolute, to paste into the provider's console. */
export const providerWebhookUrl = (
  config: Pick<Config, 'publicUrl'>,
  ctx: Context,
  provider: string,
  accountId: string,
) => `${publicOrigin(config, ctx)}/webhooks/${provider}/${accountId}`;

/**
 * A provider as shown, with the URL its webhooks go to. The presenter masks the secrets of any
 * provider's settings field by field, so it cannot name the view's type; the API reference's
 * test holds the answer to ProviderView.
 */
export const providerView = (s: StoredProvider, webhookUrl: string) =>
  ({ ...presentProviderSettings(s), webhookUrl }) as ProviderView;
