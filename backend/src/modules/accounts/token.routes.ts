import type { Context } from 'koa';
import { signJwt } from '../../auth/jwt.js';
import { hashSecret, safeEqual } from '../../auth/secrets.js';
import type { AppDeps } from '../deps.js';
import { readRawBody } from '../../http/body.js';
import { AppError, forbidden, invalidRequest, unauthorized } from '../../errors.js';
import { ivrErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter, oauthClient } from '../../http/route.js';
import { TOKEN_ISSUER } from './ivr-auth.js';
import { TokenRequest, TokenResponse } from '../../../contract/token.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import { findActiveCredentialByKey } from './credentials.repo.js';

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4). Served at c2m's own `/oauth/token` and at the
 * product's sentinel path, so an integration that fetches an AppJWT keeps working.
 */
export function tokenRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, { tag: 'OAuth' });
  const issue = async (ctx: Context) => {
    const form = await readForm(ctx);
    const grantType = form.get('grant_type') ?? String(ctx.query.grant_type ?? '');
    if (grantType !== 'client_credentials') {
      throw invalidRequest('grant_type: must be client_credentials');
    }
    const [clientId, clientSecret] = basicCredentials(ctx) ?? [
      form.get('client_id') ?? '',
      form.get('client_secret') ?? '',
    ];
    const row = clientId ? await findActiveCredentialByKey(deps.db, clientId) : undefined;
    const valid =
      row?.kind === 'oauth2' &&
      row.secret_hash !== null &&
      safeEqual(hashSecret(clientSecret), row.secret_hash);
    if (!row || !valid) throw unauthorized('Invalid client credentials');
    const pathAccount = (ctx.params as { accountId?: string }).accountId;
    if (pathAccount !== undefined && pathAccount !== row.account_id) throw forbidden();

    const expiresIn = deps.config.tokenTtlSeconds;
    // RFC 6749 §3.3: space-delimited; the token claims only what its credential may do
    const scope = (JSON.parse(row.permissions_json) as string[]).join(' ');
    const accessToken = signJwt(
      { iss: TOKEN_ISSUER, aud: row.account_id, sub: row.id, azp: row.key_id, scope },
      deps.keys.tokens,
      { expiresInSeconds: expiresIn, now: deps.clock },
    );
    ctx.set('Cache-Control', 'no-store');
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
    } satisfies TokenResponse;
  };
  const token = {
    method: 'post',
    description: 'The token carries the credential’s permissions as its scope.',
    auth: oauthClient,
    body: { contentType: 'application/x-www-form-urlencoded', schema: TokenRequest },
    responses: { 200: json(TokenResponse, 'A bearer token') },
    errors: { 401: 'Unknown client or wrong secret', 415: 'The body is not a form' },
    handle: issue,
  } as const;
  router.add({
    ...token,
    name: 'createToken',
    path: '/oauth/token',
    summary: 'Get a bearer token',
  });
  router.add({
    ...token,
    name: 'createProductToken',
    path: '/sentinel/api/account/:accountId/app/token',
    summary: "Get a bearer token (the product's path)",
  });
  return router;
}

async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (ctx.get('Content-Length') === '0' || !ctx.request.type) return new URLSearchParams();
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new AppError(
      415,
      IvrErrorCode.unsupportedMediaType,
      'Content-Type must be application/x-www-form-urlencoded',
    );
  }
  return new URLSearchParams((await readRawBody(ctx)).toString('utf8'));
}

function basicCredentials(ctx: Context): [string, string] | undefined {
  const header = ctx.get('Authorization');
  // RFC 7235 §2.1: the scheme name is case-insensitive
  if (!/^Basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64
  const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return [dec(decoded.slice(0, colon)), dec(decoded.slice(colon + 1))];
  } catch {
    // a bad %-escape (URIError) is a client that authenticates as no one: 401, not 500
    return ['', ''];
  }
}
