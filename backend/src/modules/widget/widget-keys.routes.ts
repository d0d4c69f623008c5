import type { Context } from 'koa';
import { z } from 'zod';
import {
  CreatedWidgetKey,
  WidgetKeyInput,
  WidgetKeyView,
  WidgetSessionRequest,
  WidgetSessionResponse,
} from '../../../contract/widget-keys.js';
import { adminErrors, ivrErrors } from '../../http/error-models.js';
import { empty, json } from '../../http/operation.js';
import { publicOrigin } from '../../http/public-origin.js';
import { checkRate } from '../../http/rate-limit.js';
import { anyone, ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import {
  createWidgetKey,
  listAccountWidgetKeys,
  revokeAccountWidgetKey,
  widgetSessionFromKey,
  type WidgetKeyContext,
} from './widget-keys.service.js';

/**
 * Widget installation keys in the admin API: listed without their secret, created with the key
 * shown once, revoked (its sessions and sockets end at once). Another account's key is not found.
 */
export function widgetKeyAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/widget-keys',
    tag: 'Admin: widget keys',
  });
  const manage = admin(deps, 'widget_keys:manage');
  const context = (ctx: Context, accountId: string): WidgetKeyContext => ({
    db: deps.db,
    accountId,
    now: deps.clock(),
    origin: publicOrigin(deps.config, ctx),
    revoked: (id) => deps.sessions.widgetKeyRevoked(id),
  });

  router.add({
    name: 'listWidgetKeys',
    method: 'get',
    path: '',
    summary: 'List widget installation keys (never the keys themselves)',
    auth: admin(deps, 'widget_keys:view'),
    responses: { 200: json(z.object({ items: z.array(WidgetKeyView) }), 'Oldest first') },
    handle: async (_ctx, { caller }) => ({
      items: await listAccountWidgetKeys(deps.db, caller.accountId),
    }),
  });

  router.add({
    name: 'createWidgetKey',
    method: 'post',
    path: '',
    summary: 'Create a widget installation key',
    auth: manage,
    body: WidgetKeyInput,
    example: { name: 'Agent Workspace' },
    responses: { 201: json(CreatedWidgetKey, 'Created; the key is shown this once') },
    handle: async (ctx, { caller, body }) => {
      const created = await createWidgetKey(context(ctx, caller.accountId), body);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 201;
      return created;
    },
  });

  router.add({
    name: 'revokeWidgetKey',
    method: 'delete',
    path: '/:id',
    summary: 'Revoke a widget installation key; its sessions end at once',
    auth: manage,
    responses: { 204: empty('Revoked') },
    errors: { 404: 'No such active widget key' },
    handle: async (ctx, { caller, params }) => {
      await revokeAccountWidgetKey(context(ctx, caller.accountId), params.id);
      ctx.status = 204;
    },
  });
  return router;
}

/**
 * The Agent Workspace page trades its installation key for a short widget session, and again
 * before that one expires. The key travels in the body, never in a URL a log or Referer keeps.
 */
export function widgetSessionRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, { tag: 'Widget' });
  router.add({
    name: 'createWidgetSession',
    method: 'post',
    path: '/api/widget/sessions',
    summary: 'Mint a widget session from an installation key',
    description:
      'The session (role agent, 15 minutes) may read the widget list and its Socket.IO feed, nothing else.',
    auth: anyone,
    body: WidgetSessionRequest,
    example: { key: 'c2m_wk_…' },
    responses: { 200: json(WidgetSessionResponse, 'The session') },
    errors: { 401: 'Unknown key', 403: 'The key was revoked', 429: 'Too many requests' },
    handle: async (ctx, { body }) => {
      const session = await widgetSessionFromKey(deps, body.key);
      await checkRate(deps.limiter, 'widget', session.accountId, deps.config.limits.widgetPerSec);
      ctx.set('Cache-Control', 'no-store');
      return session;
    },
  });
  return router;
}
