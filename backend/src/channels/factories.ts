import type { ProviderName, SettingsOf } from '../../contract/providers.js';
import { createAppleLinkAdapter } from './apple-link.js';
import type { DeviceDirectory } from './devices.js';
import { createFcmAdapter } from './fcm.js';
import { createTokenPool } from './google-auth.js';
import { createPushProxyAdapter, createPushProxyWebhooks } from './push-proxy.js';
import { createRbmAdapter } from './rbm.js';
import { createRbmWebhooks } from './rbm-webhooks.js';
import type { ProviderFactory } from './types.js';
import { createTwilioSmsAdapter, createTwilioWebhooks } from './twilio-sms.js';
import { createWhatsAppCloudAdapter } from './whatsapp-cloud.js';
import { createWhatsAppCloudWebhooks } from './whatsapp-cloud-webhooks.js';

/**
 * Every provider c2m can send through, by the name used in the provider settings. The registry
 * has already validated the settings against the provider's schema, so the casts only narrow.
 * Google access tokens live in one pool, so rebuilding an adapter does not mint a new token.
 */
export function createProviderFactories(
  devices: DeviceDirectory,
): Partial<Record<ProviderName, ProviderFactory>> {
  const tokens = createTokenPool();
  return {
    twilio: {
      adapter: (s, ctx) => createTwilioSmsAdapter(s as SettingsOf<'twilio'>, ctx),
      receiver: (s, now) => createTwilioWebhooks(s as SettingsOf<'twilio'>, now),
    },
    'whatsapp-cloud': {
      adapter: (s, ctx) => createWhatsAppCloudAdapter(s as SettingsOf<'whatsapp-cloud'>, ctx),
      receiver: (s) => createWhatsAppCloudWebhooks(s as SettingsOf<'whatsapp-cloud'>),
    },
    'apple-link': {
      adapter: (s, _ctx, via) =>
        createAppleLinkAdapter(s as SettingsOf<'apple-link'>, () => via('sms')),
    },
    fcm: {
      adapter: (s, ctx) => createFcmAdapter(s as SettingsOf<'fcm'>, ctx, devices, { tokens }),
    },
    'push-proxy': {
      adapter: (s, ctx) => createPushProxyAdapter(s as SettingsOf<'push-proxy'>, ctx),
      receiver: (s, now) => createPushProxyWebhooks(s as SettingsOf<'push-proxy'>, { now }),
    },
    rbm: {
      adapter: (s, ctx) => createRbmAdapter(s as SettingsOf<'rbm'>, ctx, { tokens }),
      receiver: (s) => createRbmWebhooks(s as SettingsOf<'rbm'>),
    },
  };
}
