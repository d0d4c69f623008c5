import { msg } from '@lit/localize';
import { SECRET_FIELDS, type ProviderChange } from '../../../backend/contract/providers.js';
import type { ProviderView } from '../api/admin-client.js';

export type ProviderName = ProviderChange['provider'];

/** One field of a provider's form; a secret is write-only (never filled in from the server). */
export interface ProviderField {
  key: string;
  label: string;
  hint?: string;
  optional?: boolean;
  /** Long text (a PEM private key). */
  multiline?: boolean;
}

const optionalUrl = (key: string, label: string): ProviderField => ({
  key,
  label,
  optional: true,
  hint: msg('Leave empty for the provider’s own endpoint.'),
});

/** Each provider's fields, in the order the form asks them. */
export function fieldsOf(provider: ProviderName): ProviderField[] {
  switch (provider) {
    case 'sandbox':
      return [];
    case 'twilio':
      return [
        {
          key: 'accountSid',
          label: msg('Account SID'),
          hint: msg('AC followed by 32 hex digits.'),
        },
        { key: 'authToken', label: msg('Auth token') },
        {
          key: 'fromNumber',
          label: msg('Default outbound number'),
          optional: true,
          hint: msg('E.164, like +14155550100. Used when a handoff names no outbound number.'),
        },
        {
          key: 'messagingServiceSid',
          label: msg('Messaging Service SID'),
          optional: true,
          hint: msg('MG followed by 32 hex digits; sends instead of the number when given.'),
        },
        optionalUrl('baseUrl', msg('API base URL')),
      ];
    case 'whatsapp-cloud':
      return [
        { key: 'phoneNumberId', label: msg('Phone number ID'), hint: msg('Digits only.') },
        {
          key: 'wabaId',
          label: msg('WhatsApp Business Account ID'),
          optional: true,
          hint: msg('Digits only; needed to submit templates.'),
        },
        { key: 'accessToken', label: msg('Access token') },
        {
          key: 'appSecret',
          label: msg('App secret'),
          hint: msg('Checks the webhooks’ signature.'),
        },
        {
          key: 'verifyToken',
          label: msg('Verify token'),
          hint: msg('The same text you enter in Meta’s webhook set-up.'),
        },
        { key: 'apiVersion', label: msg('Graph API version'), optional: true, hint: 'v21.0' },
        optionalUrl('baseUrl', msg('Graph API base URL')),
      ];
    case 'fcm':
      return [
        { key: 'projectId', label: msg('Firebase project ID') },
        { key: 'clientEmail', label: msg('Service account e-mail') },
        { key: 'privateKey', label: msg('Service account private key'), multiline: true },
        optionalUrl('tokenUrl', msg('Token URL')),
        optionalUrl('baseUrl', msg('FCM base URL')),
      ];
    case 'push-proxy':
      return [
        { key: 'url', label: msg('Your push service URL') },
        { key: 'secret', label: msg('Signing secret'), hint: msg('At least 16 characters.') },
      ];
    case 'apple-link':
      return [{ key: 'businessId', label: msg('Apple Messages for Business ID') }];
    case 'rbm':
      return [
        { key: 'agentId', label: msg('RBM agent ID') },
        { key: 'clientEmail', label: msg('Service account e-mail') },
        { key: 'privateKey', label: msg('Service account private key'), multiline: true },
        {
          key: 'webhookClientToken',
          label: msg('Webhook client token'),
          hint: msg('Checks the webhooks’ signature.'),
        },
        optionalUrl('tokenUrl', msg('Token URL')),
        optionalUrl('baseUrl', msg('RBM base URL')),
      ];
  }
}

export const isSecret = (key: string) => SECRET_FIELDS.includes(key);

export const providerLabel = (p: string): string =>
  ({
    sandbox: msg('Sandbox (no real messages)'),
    twilio: 'Twilio SMS',
    'whatsapp-cloud': 'WhatsApp Cloud API',
    fcm: msg('Firebase Cloud Messaging (push)'),
    'push-proxy': msg('Your own push service'),
    'apple-link': 'Apple Messages for Business',
    rbm: 'Google RCS Business Messaging',
  })[p] ?? p;

/** The providers that receive webhooks from the provider (a URL to paste into its console). */
export const HAS_WEBHOOKS: readonly string[] = ['twilio', 'whatsapp-cloud', 'rbm'];

/** The form's text per field, from a stored provider: secrets never (they are not sent). */
export function valuesOf(view: ProviderView | undefined): Record<string, string> {
  if (!view) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(view)) {
    if (typeof value === 'string' && !isSecret(key)) out[key] = value;
  }
  return out;
}

/** Whether the stored provider has this secret. */
export function secretSet(view: ProviderView | undefined, key: string): boolean {
  const value = (view as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'object' && value !== null && (value as { set?: boolean }).set === true;
}

/** The change to send: what was typed, an empty optional field or secret left out. */
export function changeOf(provider: ProviderName, values: Record<string, string>): ProviderChange {
  const change: Record<string, string> = { provider };
  for (const f of fieldsOf(provider)) {
    const value = f.multiline ? (values[f.key] ?? '') : (values[f.key] ?? '').trim();
    if (value !== '') change[f.key] = value;
  }
  return change as unknown as ProviderChange;
}
