import { z } from 'zod';
import { POLICY } from '../../../contract/policy.js';
import { LoginRequest, SessionRequest, SessionResponse } from '../../../contract/sessions.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import { AppError, notFound, unauthorized } from '../../errors.js';
import { adminErrors, ivrErrors } from '../../http/error-models.js';
import { empty, json } from '../../http/operation.js';
import { anyone, ApiRouter, type Auth } from '../../http/route.js';
import { accountRate, ivr } from '../accounts/ivr-auth.js';
import type { AppDeps } from '../deps.js';
import {
  mintSession,
  readSession,
  SESSION_ENDED_MESSAGE,
  type VerifiedSession,
} from './admin-auth.js';
import { insertEndedSession } from './ended-sessions.repo.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { findUser } from './users.repo.js';

const LOGIN_TTL_SECONDS = 3600;

/**
 * Two ways to a session: the brand portal's backend mints one for its signed-in user with an
 * account credential (permission `admin`), or a person signs in on c2m's own page. Both answer
 * errors in the IVR API's shape, as they always have.
 */
export function sessionRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, { tag: 'Sessions' });

  router.add({
    name: 'createSession',
    method: 'post',
    path: '/api/account/:accountId/sessions',
    summary: "Mint a session for one of the brand's users",
    auth: ivr(deps, 'admin', accountRate('sessions')),
    body: SessionRequest,
    example: { userId: 'u-42', role: 'campaign_manager' },
    responses: { 200: json(SessionResponse, 'The session and what its role may do') },
    errors: { 429: 'Too many sessions minted' },
    handle: (ctx, { caller: { accountId, credentialId }, body }) => {
      // bound to its credential: revoking the credential ends the session (session-guard.ts)
      const { token, expiresAt } = mintSession(deps, { accountId, credentialId, ...body });
      ctx.set('Cache-Control', 'no-store');
      return {
        token,
        expiresAt,
        role: body.role,
        actions: [...POLICY[body.role]],
      } satisfies SessionResponse;
    },
  });

  router.add({
    name: 'login',
    method: 'post',
    path: '/api/login',
    summary: "Sign in on c2m's own page",
    auth: anyone,
    body: LoginRequest,
    example: { accountId: 'acme', username: 'ada', password: 'correct horse battery' },
    responses: {
      200: json(SessionResponse.extend({ accountId: z.string() }), 'The session'),
    },
    errors: { 401: 'Wrong account, user name or password' },
    handle: async (ctx, { body: input }) => {
      const attempt = { accountId: input.accountId, username: input.username, ip: ctx.ip };
      // a throttled attempt is told so, with how long to wait, and its password is not even tried
      const waitMs = await deps.signIn.waitMs(attempt);
      if (waitMs > 0) throw tooManySignIns(waitMs);
      const user = await findUser(deps.db, input.accountId, input.username);
      // an unknown name is verified against a decoy of the same cost: its answer takes as long
      const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
      if (!user || !ok) {
        await deps.signIn.failed(attempt);
        throw unauthorized('Wrong account, user name or password');
      }
      await deps.signIn.succeeded(attempt);
      const role = user.role as SessionResponse['role'];
      const { token, expiresAt } = mintSession(deps, {
        accountId: user.account_id,
        userId: user.id,
        role,
        login: true,
        ttlSeconds: LOGIN_TTL_SECONDS,
      });
      ctx.set('Cache-Control', 'no-store');
      return { token, expiresAt, role, actions: [...POLICY[role]], accountId: user.account_id };
    },
  });
  return router;
}

/**
 * The request's own session, whatever its role (a widget key's too), of the path's account (404
 * otherwise), read for signature and expiry only: a session already ended may be ended again.
 */
function ownSession(deps: AppDeps): Auth<VerifiedSession> {
  return {
    access: { session: 'own' },
    check(ctx) {
      const session = readSession(deps, ctx.get('Authorization'));
      if (!session) return Promise.reject(unauthorized(SESSION_ENDED_MESSAGE));
      if ((ctx.params as { accountId?: string }).accountId !== session.accountId) {
        return Promise.reject(notFound());
      }
      return Promise.resolve(session);
    },
  };
}

/**
 * Sign-out: the bearer's session ends on the server before its token's expiry, on REST and on
 * its open sockets, on every node (sessions/session-guard.ts). Under the admin API's path, so the
 * embedding page's origin (the account's allow-list) may call it like the rest.
 */
export function signOutRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/session',
    tag: 'Sessions',
  });
  router.add({
    name: 'signOut',
    method: 'delete',
    path: '',
    summary: 'Sign out: end this session (the bearer token) now',
    description:
      'Any role. The token is refused from then on, by the admin API, the widget and the sockets, until it expires; other sessions of the same user stay. Again with the same token: 204 again.',
    auth: ownSession(deps),
    responses: { 204: empty('Ended') },
    handle: async (ctx, { caller }) => {
      await insertEndedSession(
        deps.db,
        { id: caller.sessionId, accountId: caller.accountId, expiresAt: caller.expiresAtMs },
        deps.clock(),
      );
      deps.sessions.sessionEnded(caller.sessionId);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 204;
    },
  });
  return router;
}

/** 429 with Retry-After: a clear "wait", never "wrong password", for a throttled sign-in. */
function tooManySignIns(waitMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError(
    429,
    IvrErrorCode.rateLimited,
    `Too many failed sign-ins: wait ${seconds} seconds before trying again`,
    { 'Retry-After': String(seconds) },
  );
}
