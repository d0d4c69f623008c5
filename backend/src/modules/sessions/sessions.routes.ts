import Router from '@koa/router';
import {
  LoginRequest,
  POLICY,
  SessionRequest,
  type SessionResponse,
} from '../../../contract/admin.js';
import type { AppDeps } from '../../deps.js';
import { mintSession } from '../../http/admin-auth.js';
import { parseWith, readJson } from '../../http/body.js';
import { unauthorized } from '../../http/errors.js';
import { accountRate, ivrAuth, type IvrAuth } from '../../http/ivr-auth.js';
import { verifyPassword } from './passwords.js';
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
      const { accountId } = ctx.state.auth as IvrAuth;
      const input = parseWith(SessionRequest, await readJson(ctx));
      const { token, expiresAt } = mintSession(deps, { accountId, ...input });
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
    // one attempt per second per user name: slows password guessing to a crawl
    if ((await deps.limiter.take('login', `${input.accountId}:${input.username}`, 1)) > 0) {
      throw unauthorized('Wrong account, user name or password');
    }
    const user = await findUser(deps.db, input.accountId, input.username);
    const ok = user !== undefined && (await verifyPassword(input.password, user.password_hash));
    if (!user || !ok) throw unauthorized('Wrong account, user name or password');
    const role = user.role as SessionResponse['role'];
    const { token, expiresAt } = mintSession(deps, {
      accountId: user.account_id,
      userId: user.id,
      role,
      ttlSeconds: LOGIN_TTL_SECONDS,
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { token, expiresAt, role, actions: [...POLICY[role]], accountId: user.account_id };
  });
  return router;
}
