import type { TokenProvider } from '../controllers/live-outbound.js';

/**
 * A token provider from a widget installation key: each call trades the key for a short widget
 * session (`POST /api/widget/sessions`, the key in the body, so no log or Referer keeps it). A
 * revoked key rejects with `reason: 'revoked'`, an unknown one with `'unauthorized'`; anything
 * else (the network, a 5xx, a 429) counts as a lost connection.
 */
export function widgetKeyTokenProvider(apiBase: string, key: string): TokenProvider {
  return async () => {
    const res = await fetch(`${apiBase.replace(/\/+$/, '')}/api/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    if (res.ok) return ((await res.json()) as { token: string }).token;
    const reason = res.status === 403 ? 'revoked' : res.status === 401 ? 'unauthorized' : 'offline';
    throw Object.assign(new Error(`c2m refused the widget key (${res.status})`), { reason });
  };
}
