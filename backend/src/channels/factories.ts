import type { ProviderName, SettingsOf } from '../../contract/providers.js';
import { createAppleLinkAdapter } from './apple-link.js';
import type { ProviderFactory } from './registry.js';
import { createTwilioSmsAdapter, createTwilioWebhooks } from './twilio-sms.js';
import { createWhatsAppCloudAdapter } from './whatsapp-cloud.js';
import { createWhatsAppCloudWebhooks } from './whatsapp-cloud-webhooks.js';

/**
 * Every provider c2m can send through, by the name used in the provider settings. The registry
 * has already validated the settings against the provider's schema, so the casts only narrow.
 */
export const providerFactories: Partial<Record<ProviderName, ProviderFactory>> = {
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
};
