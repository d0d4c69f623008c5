import Router from '@koa/router';
import { LoginRequest, SessionRequest, type SessionResponse } from '../../../contract/sessions.js';
import { POLICY } from '../../../contract/policy.js';
import type { AppDeps } from '../deps.js';
import { mintSession } from './admin-auth.js';
import { parseWith, readJson } from '../../http/body.js';
import { AppError, unauthorized } from '../../errors.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import { accountRate, ivrAuth, type IvrAuth } from '../accounts/ivr-auth.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { findUser } from './users.repo.js';

const LOGIN_TTL_SECONDS = 3600;

/**
 * Two ways to a session: the brand portal's backend mints one for its signed-in user with an
 * account credential (permission `admin`), or a person signs in on c2m's own page.
 */
export function sessionRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.post(
    '/api/account/:accountId/sessions',
    ivrAuth(deps, 'admin', accountRate('sessions')),
    async (ctx) => {
      const { accountId, credentialId } = ctx.state.auth as IvrAuth;
      const input = parseWith(SessionRequest, await readJson(ctx));
      // bound to its credential: revoking the credential ends the session (session-guard.ts)
      const { token, expiresAt } = mintSession(deps, { accountId, credentialId, ...input });
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        token,
        expiresAt,
        role: input.role,
        actions: [...POLICY[input.role]],
      } satisfies SessionResponse;
    },
  );

  router.post('/api/login', async (ctx) => {
    const input = parseWith(LoginRequest, await readJson(ctx));
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
    ctx.body = { token, expiresAt, role, actions: [...POLICY[role]], accountId: user.account_id };
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
