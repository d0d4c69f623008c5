import type { StoredProvider } from './providers.repo.js';

const SECRET_FIELDS = new Set([
  'authToken',
  'accessToken',
  'appSecret',
  'privateKey',
  'secret',
  'verifyToken',
  'webhookClientToken',
]);

/** The API's view of settings: every secret replaced by whether it is set. */
export function presentProviderSettings(s: StoredProvider): Record<string, unknown> {
  const settings = Object.fromEntries(
    Object.entries(s.settings).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? { set: Boolean(v) } : v]),
  );
  return { channel: s.channel, ...settings, updatedAt: new Date(s.updatedAt).toISOString() };
}
