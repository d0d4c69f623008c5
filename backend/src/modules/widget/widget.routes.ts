import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { canUseWidget } from '../../../contract/policy.js';
import { WidgetSubject } from '../../../contract/realtime.js';
import type { AppDeps } from '../deps.js';
import {
  authenticateSession,
  SESSION_ENDED_MESSAGE,
  type AdminSession,
} from '../sessions/admin-auth.js';
import { describeIssue } from '../../http/body.js';
import { forbidden, invalidRequest, notFound, unauthorized } from '../../errors.js';
import { checkRate } from '../../http/rate-limit.js';
import { listOutbound } from './outbound.query.js';

/** The widget's first load and its catch-up after a reconnect: the same list the socket acks. */
export function widgetRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/widget/account/:accountId' });
  router.use(async (ctx: Context, next: Next) => {
    const session = await authenticateSession(deps, ctx.get('Authorization'));
    if (!session) throw unauthorized(SESSION_ENDED_MESSAGE);
    if ((ctx.params as { accountId?: string }).accountId !== session.accountId) throw notFound();
    if (!canUseWidget(session.role))
      throw forbidden(`The role ${session.role} may not use the widget`);
    await checkRate(deps.limiter, 'widget', session.accountId, deps.config.limits.widgetPerSec);
    ctx.state.session = session;
    await next();
  });

  router.get('/outbound', async (ctx) => {
    const { accountId } = ctx.state.session as AdminSession;
    const q = ctx.query;
    const text = (name: string) => (typeof q[name] === 'string' ? q[name] : undefined);
    const number = (name: string) => (text(name) === undefined ? undefined : Number(text(name)));
    const parsed = WidgetSubject.safeParse({
      consumerPhoneNumber: text('consumerPhoneNumber'),
      consumerId: text('consumerId'),
      conversationId: text('conversationId'),
      limit: number('limit'),
      days: number('days'),
    });
    if (!parsed.success) throw invalidRequest(describeIssue(parsed.error).replace(/^body: /, ''));
    ctx.body = { items: await listOutbound(deps.db, accountId, parsed.data, deps.clock()) };
  });
  return router;
}
