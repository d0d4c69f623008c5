import { z } from 'zod';
import { ChannelName } from './channels.js';
import { E164 } from './phone.js';

/**
 * Provider settings per account and channel. Secrets in here (auth tokens, app secrets, private
 * keys) are stored encrypted and never returned by the API; base URLs are configurable so a
 * deployment can use a regional endpoint and tests can point at local servers.
 */
const baseUrl = z.url({ protocol: /^https?$/ });

/**
 * The providers' own endpoints, used when settings name none. They are ours, not a tenant's, so
 * saving settings does not resolve them (a host without DNS can still store them); every call is
 * still made through the outbound guard.
 */
export const DEFAULT_PROVIDER_URLS = {
  twilio: 'https://api.twilio.com',
  whatsappCloud: 'https://graph.facebook.com',
  googleToken: 'https://oauth2.googleapis.com/token',
  fcm: 'https://fcm.googleapis.com',
  rbm: 'https://rcsbusinessmessaging.googleapis.com',
} as const;

export const SandboxSettings = z.object({ provider: z.literal('sandbox') });

export const TwilioSettings = z
  .object({
    provider: z.literal('twilio'),
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC + 32 hex digits'),
    authToken: z.string().min(16).max(128),
    /** Either a Messaging Service or the handoff's outbound number is the sender. */
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'must look like MG + 32 hex digits')
      .optional(),
    fromNumber: E164.optional(),
    baseUrl: baseUrl.default(DEFAULT_PROVIDER_URLS.twilio),
  })
  .strict();

export const WhatsAppCloudSettings = z
  .object({
    provider: z.literal('whatsapp-cloud'),
    phoneNumberId: z.string().regex(/^\d{5,20}$/, 'digits only'),
    wabaId: z
      .string()
      .regex(/^\d{5,20}$/, 'digits only')
      .optional(),
    accessToken: z.string().min(16).max(1024),
    /** Signs every webhook delivery (X-Hub-Signature-256). */
    appSecret: z.string().min(8).max(256),
    /** Echoed back in the webhook verification handshake. */
    verifyToken: z.string().min(8).max(256),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/)
      .default('v21.0'),
    baseUrl: baseUrl.default(DEFAULT_PROVIDER_URLS.whatsappCloud),
  })
  .strict();

export const FcmSettings = z
  .object({
    provider: z.literal('fcm'),
    projectId: z.string().min(1).max(128),
    /** The service account that mints OAuth 2.0 access tokens (RS256 JWT bearer grant). */
    clientEmail: z.email(),
    privateKey: z.string().includes('PRIVATE KEY'),
    tokenUrl: baseUrl.default(DEFAULT_PROVIDER_URLS.googleToken),
    baseUrl: baseUrl.default(DEFAULT_PROVIDER_URLS.fcm),
  })
  .strict();

/** A brand's own push service: c2m posts signed JSON, the brand delivers to its apps. */
export const PushProxySettings = z
  .object({
    provider: z.literal('push-proxy'),
    url: baseUrl,
    secret: z.string().min(16).max(256),
  })
  .strict();

/** Apple Messages for Business: an SMS (through the account's SMS provider) carrying the chat link. */
export const AppleLinkSettings = z
  .object({
    provider: z.literal('apple-link'),
    businessId: z.string().min(1).max(128),
  })
  .strict();

export const RbmSettings = z
  .object({
    provider: z.literal('rbm'),
    agentId: z.string().min(1).max(128),
    clientEmail: z.email(),
    privateKey: z.string().includes('PRIVATE KEY'),
    /** Verifies RBM's webhook signature (X-Goog-Signature, HMAC-SHA512 of the body). */
    webhookClientToken: z.string().min(8).max(256),
    tokenUrl: baseUrl.default(DEFAULT_PROVIDER_URLS.googleToken),
    baseUrl: baseUrl.default(DEFAULT_PROVIDER_URLS.rbm),
  })
  .strict();

export const ProviderSettings = z.discriminatedUnion('provider', [
  SandboxSettings,
  TwilioSettings,
  WhatsAppCloudSettings,
  FcmSettings,
  PushProxySettings,
  AppleLinkSettings,
  RbmSettings,
]);
export type ProviderSettings = z.infer<typeof ProviderSettings>;
export type ProviderName = ProviderSettings['provider'];
export type SettingsOf<P extends ProviderName> = Extract<ProviderSettings, { provider: P }>;

/** A secret as the API answers it: never the value, only whether one is stored. */
export const SecretSet = z.object({ set: z.boolean() });
export type SecretSet = z.infer<typeof SecretSet>;

/** What every provider's view adds to its settings. */
const viewFields = {
  channel: ChannelName,
  updatedAt: z.iso.datetime(),
  /** c2m's URL for this provider's webhooks, to paste into the provider's console. */
  webhookUrl: z.url(),
};

/** A channel's provider settings as the API answers them: each secret replaced by `SecretSet`. */
export const ProviderView = z.discriminatedUnion('provider', [
  SandboxSettings.extend(viewFields),
  TwilioSettings.extend({ ...viewFields, authToken: SecretSet }),
  WhatsAppCloudSettings.extend({
    ...viewFields,
    accessToken: SecretSet,
    appSecret: SecretSet,
    verifyToken: SecretSet,
  }),
  FcmSettings.extend({ ...viewFields, privateKey: SecretSet }),
  PushProxySettings.extend({ ...viewFields, secret: SecretSet }),
  AppleLinkSettings.extend(viewFields),
  RbmSettings.extend({ ...viewFields, privateKey: SecretSet, webhookClientToken: SecretSet }),
]);
export type ProviderView = z.infer<typeof ProviderView>;

export const ProviderList = z.object({ providers: z.array(ProviderView) });
export type ProviderList = z.infer<typeof ProviderList>;

/** The settings fields that hold a secret: stored encrypted, answered only as `SecretSet`. */
export const SECRET_FIELDS: readonly string[] = [
  'authToken',
  'accessToken',
  'appSecret',
  'privateKey',
  'secret',
  'verifyToken',
  'webhookClientToken',
];

/**
 * A channel's provider as the admin element changes it: like `ProviderSettings`, but a secret
 * left out keeps the one stored for the same provider (the form never sees it to send it back).
 * A new provider, or one that had none, still needs every secret (400 naming the field).
 */
export const ProviderChange = z.discriminatedUnion('provider', [
  SandboxSettings,
  TwilioSettings.partial({ authToken: true }),
  WhatsAppCloudSettings.partial({ accessToken: true, appSecret: true, verifyToken: true }),
  FcmSettings.partial({ privateKey: true }),
  PushProxySettings.partial({ secret: true }),
  AppleLinkSettings,
  RbmSettings.partial({ privateKey: true, webhookClientToken: true }),
]);
export type ProviderChange = z.infer<typeof ProviderChange>;

/** Which providers can serve a channel, as the admin element offers them. */
export const ProvidersOfChannel = z.object({
  channel: ChannelName,
  providers: z.array(z.string()),
});
