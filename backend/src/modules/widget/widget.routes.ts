import { z } from 'zod';
import { WIDGET_ROLES, canUseWidget } from '../../../contract/policy.js';
import { OutboundMessageView } from '../../../contract/outbound.js';
import { WidgetQuery } from '../../../contract/realtime.js';
import { forbidden, invalidRequest } from '../../errors.js';
import { ivrErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { checkRate } from '../../http/rate-limit.js';
import { ApiRouter, type Auth } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { sessionOfPath, type VerifiedSession } from '../sessions/admin-auth.js';
import { listOutbound } from './outbound.query.js';

/**
 * A session of the path's account (sessionOfPath: 401, 404) whose role uses the widget (403),
 * within the account's widget rate (429, C2M_WIDGET_RATE_LIMIT).
 */
function widgetSession(deps: AppDeps): Auth<VerifiedSession> {
  return {
    access: { session: 'widget' },
    async check(ctx) {
      const session = await sessionOfPath(deps, ctx);
      if (!canUseWidget(session.role)) {
        throw forbidden(`The role ${session.role} may not use the widget`);
      }
      await checkRate(deps.limiter, 'widget', session.accountId, deps.config.limits.widgetPerSec);
      return session;
    },
  };
}

/**
 * The widget's first load and its catch-up after a reconnect: the same list the socket acks.
 * Errors are in the IVR API's shape, as they always have been.
 */
export function widgetRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, {
    prefix: '/api/widget/account/:accountId',
    tag: 'Widget',
  });

  router.add({
    name: 'listOutboundMessages',
    method: 'get',
    path: '/outbound',
    summary: "A consumer's latest outbound messages",
    description: `Give consumerPhoneNumber, consumerId or conversationId. Roles: ${WIDGET_ROLES.join(', ')}.`,
    auth: widgetSession(deps),
    query: WidgetQuery,
    // "give one of …" is a rule of the whole subject: its message names no field
    refuse: (_part, issue) => (issue.path.length ? undefined : invalidRequest(issue.message)),
    responses: {
      200: json(z.object({ items: z.array(OutboundMessageView) }), 'Newest first'),
    },
    handle: async (_ctx, { caller, query }) => ({
      items: await listOutbound(deps.db, caller.accountId, query, deps.clock()),
    }),
  });
  return router;
}
