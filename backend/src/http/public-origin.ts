import type { Context } from 'koa';
import type { Config } from '../config.js';

/**
 * Where clients reach c2m, for URLs it hands out (a provider's webhook, a Domain API answer):
 * C2M_PUBLIC_URL when set, else the scheme and host the request came to (behind a proxy, what
 * C2M_TRUST_PROXY lets Koa read from X-Forwarded-*).
 */
export function publicOrigin(config: Pick<Config, 'publicUrl'>, ctx: Context): string {
  return config.publicUrl?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}`;
}
