import type { Context, Next } from 'koa';
import { parseOAuthHeader, verifyOAuth1Request } from '../../auth/oauth1.js';
import { verifyJwt } from '../../auth/jwt.js';
import { decryptSecret } from '../../auth/secrets.js';
import type { AppDeps } from '../deps.js';
import { findAccount, type Account } from './accounts.repo.js';
import {
  activeCredentialById,
  activeCredentialByKey,
  type CredentialRow,
} from './credentials.repo.js';
import type { Permission } from '../../../contract/policy.js';
import { forbidden, unauthorized } from '../../errors.js';
import { checkRate } from '../../http/rate-limit.js';
import type { Auth } from '../../http/route.js';

export interface IvrAuth {
  accountId: string;
  credentialId: string;
  rateLimitPerSec: number;
  account: Account;
}

export const TOKEN_ISSUER = 'c2m';

/** Which per-account limit a credential route counts against: a bucket and its rate. */
export interface CredentialLimit {
  bucket: string;
  perSecond: (auth: IvrAuth) => number;
}

/** The IVR API's own limit: the account's rate, set per account (0 = none). */
export const accountRate = (bucket: string): CredentialLimit => ({
  bucket,
  perSecond: (auth) => auth.rateLimitPerSec,
});

/**
 * Authenticates an IVR request by OAuth 1.0a signature or c2m bearer token, then checks the
 * credential's permission and that the path's account is the credential's own. Failures say
 * nothing about either account. Then the account's rate limit for this kind of route: `limit`,
 * or the shared `api` bucket (C2M_API_RATE_LIMIT) for routes without one of their own.
 */
export function ivrAuth(
  deps: AppDeps,
  permission: Permission | Permission[],
  limit?: CredentialLimit,
) {
  const auth = ivr(deps, permission, limit);
  return async function ivrAuth(ctx: Context, next: Next) {
    ctx.state.auth = await auth.check(ctx);
    await next();
  };
}

/**
 * A route's `auth` (http/route.ts): a credential holding one of `permission`, counted against
 * `limit` (ivrAuth's rule); the handler is given the credential's account.
 */
export function ivr(
  deps: AppDeps,
  permission: Permission | Permission[],
  limit: CredentialLimit = { bucket: 'api', perSecond: () => deps.config.limits.apiPerSec },
): Auth<IvrAuth> {
  const wanted = Array.isArray(permission) ? permission : [permission];
  return {
    access: { credential: wanted },
    async check(ctx) {
      const header = ctx.get('Authorization');
      // RFC 7235 §2.1: the scheme name is case-insensitive
      const credential = /^OAuth\s/i.test(header)
        ? await authenticateOAuth1(ctx, deps, header)
        : /^Bearer\s/i.test(header)
          ? await authenticateBearer(deps, header.slice(7).trim())
          : undefined;
      if (!credential) throw unauthorized();

      const permissions = JSON.parse(credential.permissions_json) as Permission[];
      if (!wanted.some((p) => permissions.includes(p))) throw forbidden();
      const pathAccount = (ctx.params as { accountId?: string }).accountId;
      if (pathAccount !== undefined && pathAccount !== credential.account_id) throw forbidden();

      const account = await findAccount(deps, credential.account_id);
      if (!account) throw unauthorized();
      const auth: IvrAuth = {
        accountId: account.id,
        credentialId: credential.id,
        rateLimitPerSec: account.rateLimitPerSec,
        account,
      };
      await checkRate(deps.limiter, limit.bucket, account.id, limit.perSecond(auth));
      return auth;
    },
  };
}

async function authenticateOAuth1(
  ctx: Context,
  deps: AppDeps,
  header: string,
): Promise<CredentialRow | undefined> {
  const params = parseOAuthHeader(header);
  const consumerKey = params?.oauth_consumer_key;
  if (!consumerKey) return undefined;
  const row = await activeCredentialByKey(deps, consumerKey);
  if (!row || row.kind !== 'oauth1' || !row.secret_enc || !row.token_secret_enc) return undefined;
  const result = await verifyOAuth1Request(
    {
      method: ctx.method,
      url: `${ctx.protocol}://${ctx.host}${ctx.originalUrl}`,
      authorization: header,
    },
    {
      lookup: (key, token) =>
        key === row.key_id && token === row.token
          ? {
              consumerSecret: decryptSecret(row.secret_enc!, deps.keys.secrets),
              tokenSecret: decryptSecret(row.token_secret_enc!, deps.keys.secrets),
            }
          : undefined,
      nonces: deps.nonces,
      now: deps.clock,
      windowSeconds: deps.config.oauth1WindowSeconds,
    },
  );
  // the reason is for the operator only: telling the caller would let it probe which keys exist
  if (!result.ok)
    deps.log.info({ reason: result.reason, consumerKey }, 'OAuth 1.0a request rejected');
  return result.ok ? row : undefined;
}

async function authenticateBearer(
  deps: AppDeps,
  token: string,
): Promise<CredentialRow | undefined> {
  const result = verifyJwt(token, deps.keys.tokens, { now: deps.clock, issuer: TOKEN_ISSUER });
  if (!result.ok) return undefined;
  const { sub, aud } = result.payload as { sub?: unknown; aud?: unknown };
  if (typeof sub !== 'string') return undefined;
  const row = await activeCredentialById(deps, sub);
  // the token is bound to the account it was issued for; a moved or revoked credential fails
  return row && row.account_id === aud ? row : undefined;
}
