import type { Context, Next } from 'koa';
import type { AppDeps } from '../deps.js';
import { findAccount } from './accounts.repo.js';
import { ADMIN_PREFIX } from '../../http/error-models.js';
import { forbidden } from '../../errors.js';

const ACCOUNT_PATH = /^\/api\/admin\/account\/([^/]+)/;

/**
 * Browsers may call the admin API only from c2m's own page or from an origin on the account's
 * allow-list (the brand's portal that embeds <c2m-admin>). Requests without an Origin (servers,
 * curl) are not browser requests and pass to authentication as usual.
 */
export function adminCors(deps: AppDeps) {
  return async function adminCors(ctx: Context, next: Next) {
    const origin = ctx.get('Origin');
    const sameOrigin = origin === `${ctx.protocol}://${ctx.host}`;
    if (!ctx.path.startsWith(ADMIN_PREFIX) || !origin || sameOrigin) {
      await next();
      return;
    }
    const accountId = ACCOUNT_PATH.exec(ctx.path)?.[1];
    const account = accountId ? await findAccount(deps, accountId) : undefined;
    if (!account?.allowedOrigins.includes(origin)) {
      throw forbidden(`Origin ${origin} may not call this account's admin API`);
    }
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.vary('Origin');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    await next();
  };
}
